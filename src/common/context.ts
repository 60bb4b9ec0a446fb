/**
 * The request context every service method takes first: who is calling, the clock, the logger, and
 * the entity manager all database work goes through (inside `inTransaction`, the transaction's).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { ServiceCaches } from './caches';
import type { Deadline } from './deadline';
import { AppError, unauthenticated } from './errors';
import type { LoaderSet } from './loaders';
import type { Selection } from './selection';

/**
 * What a running service gives every request. A module that needs more of the composition root
 * adds its fields here by declaration merging (`declare module '.../common/context'`, as the audit
 * module does for its keys), so the kernel names no module.
 */
export interface ServiceDeps {
  dataSource: DataSource;
  clock: Clock;
  log: Logger;
  /** Answers kept between requests, for this service's database. */
  caches: ServiceCaches;
}

/** The loader sets one request has made, and the manager they read through. */
interface LoaderSets {
  manager: EntityManager;
  made: Map<LoaderSet<unknown>, unknown>;
}

export class RequestContext {
  /** Cases whose subject identity this response shows: one READ audit record names them all. */
  readonly subjectReads: Map<string, string>;
  private readonly loaderSets: LoaderSets;
  /** The request's execution budget (none in scripts). */
  deadline: Deadline | null;
  /** What the operation selects, type by type (none in scripts: loaders then read every column). */
  selection: Selection | null;

  constructor(
    readonly deps: ServiceDeps,
    readonly requestId: string,
    readonly caller: Caller | null,
    /** Why there is no caller (bad or expired token, unknown or deactivated user). */
    readonly authError: AppError | null,
    readonly manager: EntityManager = deps.dataSource.manager,
    shared?: {
      subjectReads: Map<string, string>;
      loaders: LoaderSets;
      deadline: Deadline | null;
      selection: Selection | null;
    },
  ) {
    this.subjectReads = shared?.subjectReads ?? new Map();
    this.loaderSets = shared?.loaders ?? { manager: deps.dataSource.manager, made: new Map() };
    this.deadline = shared?.deadline ?? null;
    this.selection = shared?.selection ?? null;
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  get log(): Logger {
    return this.deps.log;
  }

  /** The caller, or UNAUTHENTICATED. The shield already refused anonymous calls; this is the second layer. */
  get user(): Caller {
    if (!this.caller) throw this.authError ?? unauthenticated();
    return this.caller;
  }

  /**
   * A module's loaders for this request (`caseLoaders(ctx)` and the like call this), made on first
   * use on the manager the request reads through: the root manager, or the transaction's.
   */
  loadersOf<T>(set: LoaderSet<T>): T {
    const { made, manager } = this.loaderSets;
    if (!made.has(set))
      made.set(
        set,
        set(manager, {
          selection: this.selection,
          caches: this.deps.caches,
          committed: !manager.queryRunner?.isTransactionActive,
        }),
      );
    return made.get(set) as T;
  }

  /**
   * Forgets every loaded row, after a write: a later read in the same request (the next root field
   * of a mutation, a nested field of its answer) loads what the write left.
   */
  clearLoaders(): void {
    this.loaderSets.made.clear();
  }

  /**
   * For work run in one transaction (a whole mutation: `mutation-tx.ts`; a service's
   * `inTransaction`): its manager, and loaders of its own that read through it, so nested fields
   * see the rows it wrote and nothing cached outside it.
   */
  forTransaction(manager: EntityManager): RequestContext {
    return new RequestContext(this.deps, this.requestId, this.caller, this.authError, manager, {
      subjectReads: this.subjectReads,
      loaders: { manager, made: new Map() },
      deadline: this.deadline,
      selection: this.selection,
    });
  }
}

/**
 * Runs `work` in one transaction; everything it writes (the audit record included) commits together
 * or not at all. Services decide every expected failure before their first write. Within a
 * request it is bounded by the request's budget and rolls back, never commits, once that is spent.
 */
export async function inTransaction<T>(
  ctx: RequestContext,
  work: (tx: RequestContext) => Promise<T>,
): Promise<T> {
  if (ctx.manager.queryRunner?.isTransactionActive) {
    const joined = await work(ctx);
    ctx.clearLoaders();
    return joined;
  }
  const deadline = ctx.deadline;
  const out = await ctx.deps.dataSource.transaction(async (manager) => {
    await deadline?.bound(manager);
    const result = await work(ctx.forTransaction(manager));
    deadline?.beforeCommit();
    return result;
  });
  // What the request loaded before may be stale now.
  ctx.clearLoaders();
  return out;
}
