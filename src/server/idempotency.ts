/**
 * `Idempotency-Key`: a client may send one with any mutation so that a retry (after a timeout, a
 * dropped connection, an error) cannot write twice. The answer is stored with the write, in the
 * same transaction (`mutation-tx.ts`), under (user, key), with a hash of the request:
 *
 * - the same key and the same request by the same user: the stored answer, nothing written;
 * - the same key with another request: CONFLICT, nothing written;
 * - while a request holding the key is still running, a second one waits for it (a transaction
 *   lock on the user and key), then answers as above; if the first one failed, nothing was
 *   stored and the second one runs;
 * - after `IDEMPOTENCY_KEY_TTL_HOURS` the key is free again.
 *
 * Only successful answers are stored: a mutation that answers an error writes nothing, so its
 * retry simply runs again.
 */
import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import { badInput, conflict } from '../common/errors';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Visible ASCII, no spaces (a UUID or a ULID fits): bounded, and safe in logs. */
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** The header's value; null without one. A malformed value is BAD_USER_INPUT naming the header. */
export function idempotencyKeyOf(headers: { get(name: string): string | null } | undefined) {
  const value = headers?.get(IDEMPOTENCY_HEADER) ?? null;
  if (value === null) return null;
  if (!KEY_FORMAT.test(value))
    throw badInput(
      IDEMPOTENCY_HEADER,
      'must be 1 to 255 visible ASCII characters without spaces (a UUID, for instance)',
    );
  return value;
}

/** JSON with every object's keys sorted, so equal values always give the same text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What makes two requests "the same": the operation text, the operation chosen, the variables. */
export function requestHash(
  source: string,
  operationName: string | null,
  variables: Record<string, unknown> | undefined,
): string {
  return crypto
    .createHash('sha256')
    .update(canonical([source, operationName, variables ?? {}]))
    .digest('hex');
}

/** A transaction-scoped lock for one user's key: 64 bits of a hash, as PostgreSQL's bigint. */
function lockId(userId: string, key: string): string {
  const digest = crypto.createHash('sha256').update(`idempotency\0${userId}\0${key}`).digest();
  return digest.readBigInt64BE(0).toString();
}

export interface KeyClaim {
  userId: string;
  key: string;
  hash: string;
}

/**
 * Inside the mutation's transaction, before anything runs: waits for any other request holding the
 * same user and key, then returns the stored answer of the same request (a replay), throws CONFLICT
 * for another request under the key, or returns null: the key is free, run the mutation.
 */
export async function claimKey(
  tx: EntityManager,
  claim: KeyClaim,
  now: Date,
): Promise<{ data: unknown } | null> {
  await tx.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [lockId(claim.userId, claim.key)]);
  const [row] = (await tx.query(
    `SELECT request_hash, response, expires_at > $3 AS live
       FROM idempotency_keys WHERE user_id = $1 AND "key" = $2`,
    [claim.userId, claim.key, now],
  )) as { request_hash: string; response: unknown; live: boolean }[];
  if (!row) return null;
  if (!row.live) {
    await tx.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND "key" = $2`, [
      claim.userId,
      claim.key,
    ]);
    return null;
  }
  if (row.request_hash !== claim.hash)
    throw conflict(
      `This ${IDEMPOTENCY_HEADER} was already used for a different request; use a new key for a new request.`,
    );
  return { data: row.response };
}

/** Stores the answer under the key, in the mutation's transaction, just before it commits. */
export async function storeOutcome(
  tx: EntityManager,
  claim: KeyClaim,
  data: unknown,
  now: Date,
  ttlHours: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO idempotency_keys (user_id, "key", request_hash, response, created_at, expires_at)
     VALUES ($1, $2, $3, $4::json, $5, $6)`,
    [
      claim.userId,
      claim.key,
      claim.hash,
      JSON.stringify(data),
      now,
      new Date(now.getTime() + ttlHours * 3_600_000),
    ],
  );
}

/** Expired keys are deleted at most this often, per service process. */
const SWEEP_EVERY_MS = 60_000;
/** Rows deleted by one sweep: keeps its statement short; the next sweep takes the rest. */
const SWEEP_ROWS = 1_000;
const nextSweep = new WeakMap<DataSource, number>();

/**
 * Deletes expired keys, in its own short statement outside any request's transaction (so no
 * request waits on the rows it deletes), at most once a minute, when a keyed mutation comes in.
 * A failure only delays the cleanup: expired rows are never answered from.
 */
export async function sweepExpiredKeys(dataSource: DataSource, now: Date, log: Logger) {
  if (now.getTime() < (nextSweep.get(dataSource) ?? 0)) return;
  nextSweep.set(dataSource, now.getTime() + SWEEP_EVERY_MS);
  try {
    await dataSource.query(
      `DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT ${SWEEP_ROWS}))`,
      [now],
    );
  } catch (err) {
    log.warn({ err }, 'could not delete expired idempotency keys');
  }
}
