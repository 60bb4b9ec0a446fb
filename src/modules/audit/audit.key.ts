/**
 * The audit key: the secret that makes the chain's links unforgeable by anyone who can write to the
 * database but does not have the key. It comes from `AUDIT_KEY` (required in production) or,
 * outside production, from a file generated once into the data directory, like the development
 * JWT secret. It is never written to the database.
 *
 * Three keys are derived from it (domain separation), so no signature can pass for another kind:
 *   record MAC (writer)       = HMAC-SHA256(recordKey, insertion "|" canonical content)
 *   link hash (key version 2) = HMAC-SHA256(chainKey, prevHash "|" seq "|" insertion "|" content)
 *   link hash (key version 1) = HMAC-SHA256(chainKey, prevHash "|" seq "|" canonical content)
 *   checkpoint signature      = HMAC-SHA256(checkpointKey, ...) (audit.checkpoints.ts)
 * Key version 0 is the unkeyed sha256 chain written before the key existed (audit.hash.ts);
 * version 1 the chain written under a lock by each request, before the chainer.
 */
import crypto from 'node:crypto';
import { localSecret } from '../../auth/local-secret';
import type { Config } from '../../config';
import { chainHash } from './audit.hash';

/** Records written before the keyed scheme: sha256 with no secret. */
export const UNKEYED_VERSION = 0;
/** HMAC-SHA256 with the key derived from `AUDIT_KEY`, linked by each writer (before the chainer). */
export const KEYED_VERSION = 1;
/** Written with a record MAC, linked by the chainer; the link binds the insertion number too. */
export const CHAINED_VERSION = 2;

export interface AuditKeys {
  /** Links the chain (key version 1). */
  readonly chain: Buffer;
  /** Signs checkpoints of the head. */
  readonly checkpoint: Buffer;
  /** MACs each record as it is written, before it is chained. */
  readonly record: Buffer;
}

const KEY_FILE = 'audit-key';

export function deriveAuditKeys(secret: string): AuditKeys {
  const derive = (purpose: string) =>
    crypto.createHmac('sha256', secret).update(purpose, 'utf8').digest();
  return {
    chain: derive('enforcement-priorities audit chain v1'),
    checkpoint: derive('enforcement-priorities audit checkpoint v1'),
    record: derive('enforcement-priorities audit record v1'),
  };
}

/**
 * `AUDIT_KEY`, or outside production one generated once and kept in the data directory (mode 0600),
 * so the chain verifies across restarts. Production has no default (loadConfig refuses to start).
 */
export function resolveAuditKeys(config: Config): AuditKeys {
  let secret = config.auditKey;
  if (secret === undefined) {
    if (config.production) throw new Error('AUDIT_KEY is required in production');
    secret = localSecret(config.dataDir, KEY_FILE);
  }
  return deriveAuditKeys(secret);
}

/**
 * The link hash of a record written with `keyVersion`; undefined for a version this code does not
 * know. `insertion` is bound from version 2 on.
 */
export function linkHash(
  keys: AuditKeys,
  keyVersion: number,
  prevHash: string,
  seq: string,
  payload: string,
  insertion?: string,
): string | undefined {
  if (keyVersion === UNKEYED_VERSION) return chainHash(prevHash, seq, payload);
  const text =
    keyVersion === KEYED_VERSION
      ? `${prevHash}|${seq}|${payload}`
      : keyVersion === CHAINED_VERSION && insertion !== undefined
        ? `${prevHash}|${seq}|${insertion}|${payload}`
        : undefined;
  if (text === undefined) return undefined;
  return crypto.createHmac('sha256', keys.chain).update(text, 'utf8').digest('hex');
}

/** The MAC a writer gives its record: only a holder of the audit key can make one. */
export function recordMac(keys: AuditKeys, insertion: string, payload: string): string {
  return crypto
    .createHmac('sha256', keys.record)
    .update(`${insertion}|${payload}`, 'utf8')
    .digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
