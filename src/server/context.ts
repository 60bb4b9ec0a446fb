/**
 * The request context every service method takes first: who is calling, the clock, the logger, and
 * the entity manager all database work goes through (inside `inTransaction`, the transaction's).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { CheckpointSink } from '../modules/audit/audit.checkpoints';
import type { AuditKeys } from '../modules/audit/audit.key';
import type { ServiceCaches } from './caches';
import type { Deadline } from './deadline';
import { AppError, unauthenticated } from './errors';
import { createLoaders, type Loaders } from './loaders';

export interface ServiceDeps {
  dataSource: DataSource;
  clock: Clock;
  log: Logger;
  /** Answers kept between requests, for this service's database. */
  caches: ServiceCaches;
  /** Keys the audit chain (never stored in the database). */
  auditKeys: AuditKeys;
  /** Where the head's signed checkpoints are kept; `auditIntegrity` verifies against them. */
  checkpointSink?: CheckpointSink;
}

export class RequestContext {
  /** Cases whose subject identity this response shows: one READ audit record names them all. */
  readonly subjectReads: Map<string, string>;
  readonly loaders: Loaders;
  /** The request's execution budget (none in scripts). */
  deadline: Deadline | null;

  constructor(
    readonly deps: ServiceDeps,
    readonly requestId: string,
    readonly caller: Caller | null,
    /** Why there is no caller (bad or expired token, unknown or deactivated user). */
    readonly authError: AppError | null,
    readonly manager: EntityManager = deps.dataSource.manager,
    shared?: { subjectReads: Map<string, string>; loaders: Loaders; deadline: Deadline | null },
  ) {
    this.subjectReads = shared?.subjectReads ?? new Map();
    this.loaders = shared?.loaders ?? createLoaders(deps.dataSource.manager);
    this.deadline = shared?.deadline ?? null;
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

  withManager(manager: EntityManager): RequestContext {
    return new RequestContext(this.deps, this.requestId, this.caller, this.authError, manager, {
      subjectReads: this.subjectReads,
      loaders: this.loaders,
      deadline: this.deadline,
    });
  }

  /**
   * For a whole operation run in one transaction (a mutation: `mutation-tx.ts`): its manager, and
   * loaders of its own that read through it, so nested fields see the rows it wrote and nothing
   * cached outside it.
   */
  forTransaction(manager: EntityManager): RequestContext {
    return new RequestContext(this.deps, this.requestId, this.caller, this.authError, manager, {
      subjectReads: this.subjectReads,
      loaders: createLoaders(manager),
      deadline: this.deadline,
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
  if (ctx.manager.queryRunner?.isTransactionActive) return work(ctx);
  const deadline = ctx.deadline;
  return ctx.deps.dataSource.transaction(async (manager) => {
    await deadline?.bound(manager);
    const out = await work(ctx.withManager(manager));
    deadline?.beforeCommit();
    return out;
  });
}
