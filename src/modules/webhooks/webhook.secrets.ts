/**
 * Webhook secrets at rest: sealed with AES-256-GCM under a key derived from the audit key, so a
 * copy of the database (a dump, a backup, a replica) does not hand out the secrets that sign
 * deliveries, and a sealed secret moved onto another hook's row does not open (the hook's id is
 * bound in as associated data). Stored as `sealed:v1:<base64 of iv | tag | ciphertext>`; a row
 * written before secrets were sealed (64 hex characters) is read as it is, and sealed when a
 * service starts (`sealStoredSecrets`: a migration has no audit key).
 */
import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AuditKeys } from '../audit/audit.key';

const PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const keys = new WeakMap<AuditKeys, Buffer>();

/** The sealing key: its own derivation from the audit key (domain separation, as audit.key.ts). */
function sealingKey(auditKeys: AuditKeys): Buffer {
  let key = keys.get(auditKeys);
  if (!key) {
    key = crypto
      .createHmac('sha256', auditKeys.record)
      .update('enforcement-priorities webhook secrets v1', 'utf8')
      .digest();
    keys.set(auditKeys, key);
  }
  return key;
}

/** `secret` as stored for hook `hookId`. */
export function sealSecret(auditKeys: AuditKeys, hookId: string, secret: string): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', sealingKey(auditKeys), iv);
  cipher.setAAD(Buffer.from(hookId, 'utf8'));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

/**
 * The secret stored for hook `hookId`. Throws when it does not open: sealed under another
 * `AUDIT_KEY`, edited, or another hook's.
 */
export function openSecret(auditKeys: AuditKeys, hookId: string, stored: string): string {
  if (!stored.startsWith(PREFIX)) return stored;
  const bytes = Buffer.from(stored.slice(PREFIX.length), 'base64');
  if (bytes.length <= IV_BYTES + TAG_BYTES)
    throw new Error('the webhook secret is not sealed whole');
  const decipher = crypto.createDecipheriv(
    'aes-256-gcm',
    sealingKey(auditKeys),
    bytes.subarray(0, IV_BYTES),
  );
  decipher.setAAD(Buffer.from(hookId, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([
    decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
    decipher.final(),
  ]).toString('utf8');
}

/** Seals the secrets stored in clear before sealing existed; answers how many it sealed. */
export async function sealStoredSecrets(
  dataSource: DataSource,
  auditKeys: AuditKeys,
): Promise<number> {
  const rows = (await dataSource.query(
    `SELECT id, secret FROM webhooks WHERE secret NOT LIKE '${PREFIX}%'`,
  )) as { id: string; secret: string }[];
  let sealed = 0;
  for (const row of rows) {
    // Only while it is still that clear secret: another process may be sealing it too.
    const [, count] = (await dataSource.query(
      `UPDATE webhooks SET secret = $1 WHERE id = $2 AND secret = $3`,
      [sealSecret(auditKeys, row.id, row.secret), row.id, row.secret],
    )) as [unknown, number];
    sealed += count;
  }
  return sealed;
}
