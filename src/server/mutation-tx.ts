/**
 * A mutation operation runs whole in ONE database transaction: its root fields, their nested
 * fields, the READ audit record of any subject identity it shows, and the answer stored under its
 * `Idempotency-Key`. Any error in the result rolls all of it back and the client gets the errors
 * with `data: null`, so an error always means nothing was written (never a write acknowledged by
 * an id next to an error from a nested field that failed after the commit), and a success means
 * everything was. Services' `inTransaction` joins this transaction; loaders are made fresh on it
 * (`RequestContext.forTransaction`). Queries keep running outside transactions.
 */
import { GraphQLError, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import type { RequestContext } from '../common/context';
import { databaseFailure } from '../common/errors';
import {
  claimKey,
  idempotencyKeyOf,
  requestHash,
  storeOutcome,
  sweepExpiredKeys,
  type KeyClaim,
} from './idempotency';
import { auditCommitted } from '../modules/audit/audit.service';
import { auditSubjectReads } from './subject-reads';

interface Headers {
  get(name: string): string | null;
  set(name: string, value: string): void;
}

/** What the executor needs of Apollo's gateway request context. */
export interface MutationRequest {
  readonly context: object;
  readonly source: string;
  readonly operationName: string | null;
  readonly operation: OperationDefinitionNode;
  readonly request: { variables?: Record<string, unknown>; http?: { headers: Headers } };
  readonly response?: { http?: { headers: Headers } };
}

export interface MutationOptions {
  /** How long an answer stays stored under its key (IDEMPOTENCY_KEY_TTL_HOURS). */
  idempotencyKeyTtlHours: number;
}

/** Set on an answer served from the store: the mutation did not run again. */
export const REPLAYED_HEADER = 'Idempotency-Replayed';

function failed(err: unknown): ExecutionResult {
  if (err instanceof GraphQLError) return { data: null, errors: [err] };
  // A database outage is named as such (SERVICE_UNAVAILABLE, REQUEST_TIMEOUT) whatever threw it.
  // Any other object is kept as the cause: an error made in another realm (Node's own, under a
  // test runner's sandbox) is not `instanceof Error` here, and dropping it would lose its code.
  const cause =
    databaseFailure(err) ?? (typeof err === 'object' && err !== null ? (err as Error) : undefined);
  const message = cause?.message ?? String(err);
  return { data: null, errors: [new GraphQLError(message, { originalError: cause })] };
}

export async function executeMutation(
  request: MutationRequest,
  execute: (context: RequestContext) => ExecutionResult | Promise<ExecutionResult>,
  options: MutationOptions,
): Promise<ExecutionResult> {
  const ctx = request.context as RequestContext;
  let claim: KeyClaim | null = null;
  try {
    const key = idempotencyKeyOf(request.request.http?.headers);
    // Keys are per user; an anonymous call is refused by the shield before it writes anything.
    if (key !== null && ctx.caller)
      claim = {
        userId: ctx.caller.id,
        key,
        hash: requestHash(request.source, request.operationName, request.request.variables),
      };
  } catch (err) {
    return failed(err);
  }
  if (claim) await sweepExpiredKeys(ctx.deps.dataSource, ctx.clock.now(), ctx.log);

  const runner = ctx.deps.dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    // Its statements may not outlive the request's budget (as in `inTransaction`).
    await ctx.deadline?.bound(runner.manager);
    if (claim) {
      const stored = await claimKey(runner.manager, claim, ctx.clock.now());
      if (stored) {
        await runner.rollbackTransaction();
        request.response?.http?.headers.set(REPLAYED_HEADER, 'true');
        return { data: stored.data as ExecutionResult['data'] };
      }
    }
    const tx = ctx.forTransaction(runner.manager);
    const result = await execute(tx);
    if (result.errors?.length) {
      await runner.rollbackTransaction();
      // Nothing of the answer is shown, so no identity was read.
      ctx.subjectReads.clear();
      return { data: null, errors: result.errors };
    }
    await auditSubjectReads(tx, request.operationName, request.operation);
    ctx.subjectReads.clear();
    if (claim)
      await storeOutcome(
        runner.manager,
        claim,
        result.data,
        ctx.clock.now(),
        options.idempotencyKeyTtlHours,
      );
    // Out of budget: roll back, never commit a write the client was told timed out.
    ctx.deadline?.beforeCommit();
    await runner.commitTransaction();
    // Its audit records are committed: the chainer may link them now.
    auditCommitted(ctx);
    return result;
  } catch (err) {
    ctx.subjectReads.clear();
    if (runner.isTransactionActive)
      await runner.rollbackTransaction().catch((rollbackErr: unknown) => {
        ctx.log.warn({ err: rollbackErr }, 'rollback of a failed mutation failed');
      });
    return failed(err);
  } finally {
    await runner.release();
  }
}
