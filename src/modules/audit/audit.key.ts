/**
 * The audit key: the secret that makes the chain's links unforgeable by anyone who can write to the
 * database but does not have the key. It comes from `AUDIT_KEY` (required in production) or,
 * outside production, from a file generated once into the data directory, like the development
 * JWT secret. It is never written to the database.
 *
 * Two keys are derived from it (domain separation), so a checkpoint signature can never pass for a
 * link hash or the other way round:
 *   link hash (key version 1) = HMAC-SHA256(chainKey, prevHash "|" seq "|" canonical content)
 *   checkpoint signature      = HMAC-SHA256(checkpointKey, ...) (audit.checkpoints.ts)
 * Key version 0 is the unkeyed sha256 chain written before the key existed (audit.hash.ts).
 */
import crypto from 'node:crypto';
import { localSecret } from '../../auth/local-secret';
import type { Config } from '../../config';
import { chainHash } from './audit.hash';

/** Records written before the keyed scheme: sha256 with no secret. */
export const UNKEYED_VERSION = 0;
/** HMAC-SHA256 with the key derived from `AUDIT_KEY`. Every new record is written with it. */
export const KEYED_VERSION = 1;

export interface AuditKeys {
  /** Links the chain (key version 1). */
  readonly chain: Buffer;
  /** Signs checkpoints of the head. */
  readonly checkpoint: Buffer;
}

const KEY_FILE = 'audit-key';

export function deriveAuditKeys(secret: string): AuditKeys {
  const derive = (purpose: string) =>
    crypto.createHmac('sha256', secret).update(purpose, 'utf8').digest();
  return {
    chain: derive('enforcement-priorities audit chain v1'),
    checkpoint: derive('enforcement-priorities audit checkpoint v1'),
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

/** The link hash of a record written with `keyVersion`; undefined for a version this code does not know. */
export function linkHash(
  keys: AuditKeys,
  keyVersion: number,
  prevHash: string,
  seq: string,
  payload: string,
): string | undefined {
  if (keyVersion === UNKEYED_VERSION) return chainHash(prevHash, seq, payload);
  if (keyVersion === KEYED_VERSION) {
    return crypto
      .createHmac('sha256', keys.chain)
      .update(`${prevHash}|${seq}|${payload}`, 'utf8')
      .digest('hex');
  }
  return undefined;
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
