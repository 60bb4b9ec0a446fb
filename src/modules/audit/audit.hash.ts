/**
 * The hash chain, in one place for the writer and the verifier:
 *   hash(n) = sha256( hash(n-1) "|" n "|" canonical-json(content(n)) )
 * Canonical JSON sorts object keys at every level, so jsonb's own key order does not matter.
 */
import crypto from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContent {
  occurredAt: string;
  kind: string;
  actorId: string | null;
  actorRole: string | null;
  actorOfficeId: string | null;
  operation: string;
  recordType: string | null;
  recordIds: string[];
  officeIds: string[];
  reason: string | null;
  change: unknown;
  requestId: string | null;
}

export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The text hashed after `prevHash|seq|`. */
export function hashPayload(content: AuditContent): string {
  return canonicalJson(content);
}

export function chainHash(prevHash: string, seq: string, payload: string): string {
  return crypto.createHash('sha256').update(`${prevHash}|${seq}|${payload}`, 'utf8').digest('hex');
}
