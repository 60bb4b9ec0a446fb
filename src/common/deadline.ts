/**
 * The execution budget of one request (`REQUEST_TIMEOUT_MS`). It starts when the request arrives;
 * when it runs out the client is answered REQUEST_TIMEOUT at once, and whatever the request was
 * still doing must not leave a trace:
 *
 * - a transaction's statements are bounded server-side by the budget left when it began
 *   (`SET LOCAL statement_timeout`, which also bounds lock waits), so PostgreSQL cancels them;
 * - a transaction whose work ends after the budget rolls back instead of committing (checked just
 *   before COMMIT), so a write the client was told timed out never commits later.
 *
 * The one window left is a COMMIT already sent when the budget runs out: the answer then waits for
 * it (up to `COMMIT_GRACE_MS`) rather than report a timeout for a write that happened.
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { EntityManager } from 'typeorm';
import { requestTimeout } from './errors';

/** How far past the budget a statement may run when the connection's statement_timeout bounds it. */
export const STATEMENT_SLACK_MS = 1_000;

/** How long an answer may wait past the budget for a write that began committing in time. */
export const COMMIT_GRACE_MS = 2_000;

export class Deadline {
  readonly expiresAt: number;
  private expired = false;
  /** A transaction of this request reached COMMIT: a timeout answer could contradict it. */
  private wrote = false;

  constructor(
    readonly budgetMs: number,
    /** The statement_timeout every pooled connection already has. */
    private readonly statementTimeoutMs = Infinity,
    startedAt = Date.now(),
  ) {
    this.expiresAt = startedAt + budgetMs;
  }

  remainingMs(): number {
    return this.expired ? 0 : Math.max(0, this.expiresAt - Date.now());
  }

  /**
   * Called first in every transaction: its statements may not outlive the request (by more than
   * `STATEMENT_SLACK_MS`, when the connection's own statement_timeout already bounds them that
   * closely: a transaction early in a request then costs no extra round trip, and the answer and
   * the commit check still hold to the budget exactly).
   */
  async bound(manager: EntityManager): Promise<void> {
    const left = this.remainingMs();
    if (left <= 0) throw requestTimeout(this.budgetMs);
    if (left + STATEMENT_SLACK_MS < this.statementTimeoutMs) {
      await manager.query(`SELECT set_config('statement_timeout', $1, true)`, [`${left}ms`]);
    }
  }

  /** Called last in every transaction, just before COMMIT: out of time means roll back. */
  beforeCommit(): void {
    if (this.remainingMs() <= 0) throw requestTimeout(this.budgetMs);
    this.wrote = true;
  }

  /**
   * `work`'s result, or `timedOut()` once the budget runs out. After that no transaction of the
   * request may commit; if one already began committing, the answer waits a little for the truth.
   */
  async race<T>(work: Promise<T>, timedOut: () => T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<typeof EXPIRED>((resolve) => {
      timer = setTimeout(() => resolve(EXPIRED), this.remainingMs());
    });
    try {
      const first = await Promise.race([work, expiry]);
      if (first !== EXPIRED) return first;
      this.expired = true;
      if (!this.wrote) return timedOut();
      const grace = new Promise<typeof EXPIRED>((resolve) => {
        timer = setTimeout(() => resolve(EXPIRED), COMMIT_GRACE_MS);
      });
      const late = await Promise.race([work, grace]);
      return late === EXPIRED ? timedOut() : late;
    } finally {
      clearTimeout(timer);
    }
  }
}

const EXPIRED = Symbol('expired');

/** The executor's step: an operation's result, or REQUEST_TIMEOUT when its context's budget runs out. */
export async function withinBudget(
  context: unknown,
  run: Promise<ExecutionResult> | ExecutionResult,
): Promise<ExecutionResult> {
  const deadline = (context as { deadline?: Deadline | null }).deadline;
  if (!deadline) return run;
  return deadline.race(Promise.resolve(run), () => {
    const error = requestTimeout(deadline.budgetMs);
    return { data: null, errors: [new GraphQLError(error.message, { originalError: error })] };
  });
}
