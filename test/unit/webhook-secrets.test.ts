/**
 * Webhook secrets sealed at rest (webhook.secrets.ts): what is sealed opens with the same audit key
 * for the same hook, and for nothing else; a secret stored before sealing reads as it is.
 */
import { deriveAuditKeys } from '../../src/modules/audit/audit.key';
import { openSecret, sealSecret } from '../../src/modules/webhooks/webhook.secrets';

const KEYS = deriveAuditKeys('webhook-secrets-test-key-webhook-secrets-test-key');
const OTHER_KEYS = deriveAuditKeys('another-audit-key-another-audit-key-another-key');
const HOOK = '2b0f8c8e-1111-4c6e-9a0b-3f1f2d4c5e6f';
const OTHER_HOOK = '2b0f8c8e-2222-4c6e-9a0b-3f1f2d4c5e6f';
const SECRET = 'a'.repeat(32) + 'b'.repeat(32);

test('sealed: opens for the same key and hook, never shows the secret, differs each time', () => {
  const sealed = sealSecret(KEYS, HOOK, SECRET);
  expect(sealed).toMatch(/^sealed:v1:/);
  expect(sealed).not.toContain(SECRET);
  expect(sealSecret(KEYS, HOOK, SECRET)).not.toBe(sealed);
  expect(openSecret(KEYS, HOOK, sealed)).toBe(SECRET);
});

test('does not open under another audit key, for another hook, or edited', () => {
  const sealed = sealSecret(KEYS, HOOK, SECRET);
  expect(() => openSecret(OTHER_KEYS, HOOK, sealed)).toThrow();
  expect(() => openSecret(KEYS, OTHER_HOOK, sealed)).toThrow();
  const bytes = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64');
  bytes[bytes.length - 1] ^= 1;
  expect(() => openSecret(KEYS, HOOK, `sealed:v1:${bytes.toString('base64')}`)).toThrow();
  expect(() => openSecret(KEYS, HOOK, 'sealed:v1:AAAA')).toThrow();
});

test('a secret stored before sealing reads as it is', () => {
  expect(openSecret(KEYS, HOOK, SECRET)).toBe(SECRET);
});
