/**
 * The pure rules of webhooks: which URLs may be registered, how a delivery is signed, and how
 * long to wait before the next attempt. No database, no clock: instants and randomness are
 * arguments.
 */
import crypto from 'node:crypto';
import { badInput } from '../../common/errors';

/** Longest URL accepted (browsers and proxies commonly stop near here). */
export const MAX_URL_LENGTH = 2048;
/** Longest description accepted. */
export const MAX_DESCRIPTION_LENGTH = 500;
/** The longest wait between two attempts, whatever the backoff says. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/**
 * The URL a webhook may be registered with, normalized; BAD_USER_INPUT naming `field` otherwise:
 * absolute, http or https (https only when `httpsOnly`, as in production), with a host, and no
 * user name or password in it (the secret signs the deliveries; credentials in a URL leak into
 * logs).
 */
export function checkWebhookUrl(raw: string, httpsOnly: boolean, field = 'input.url'): string {
  const text = raw.trim();
  if (text.length === 0) throw badInput(field, 'must not be empty.');
  if (text.length > MAX_URL_LENGTH)
    throw badInput(field, `must be at most ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badInput(field, 'must be an absolute URL such as https://example.org/hooks/approvals.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw badInput(field, `must use https:// (or http:// outside production), not ${url.protocol}`);
  if (httpsOnly && url.protocol !== 'https:')
    throw badInput(field, 'must use https:// in production.');
  if (!url.hostname) throw badInput(field, 'must name a host.');
  if (url.username || url.password) throw badInput(field, 'must not hold a user name or password.');
  return url.toString();
}

/** The signature header's value: `v1=` and the hex HMAC-SHA256 of `<timestamp>.<body>`. */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  const mac = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `v1=${mac}`;
}

/**
 * How long after failed attempt number `attempt` (1 for the first) the next may start: the base
 * doubled per attempt, capped at an hour, then between half and all of that at random (`random`
 * in [0, 1)), so receivers coming back from an outage are not hit by every sender at once.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: number): number {
  const full = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS);
  return Math.round(full / 2 + (full / 2) * random);
}

/** A fresh secret: 32 random bytes, hex. */
export function newWebhookSecret(): string {
  return crypto.randomBytes(32).toString('hex');
}
