import crypto from 'node:crypto';
import { AppError } from '../../src/common/errors';
import {
  checkWebhookUrl,
  MAX_RETRY_DELAY_MS,
  retryDelayMs,
  signDelivery,
} from '../../src/modules/webhooks/webhook.rules';

function refusal(url: string, httpsOnly: boolean): AppError {
  try {
    checkWebhookUrl(url, httpsOnly);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error(`accepted ${url}`);
}

describe('checkWebhookUrl', () => {
  test.each([
    ['https://hooks.example.org/approvals', false],
    ['https://hooks.example.org/approvals', true],
    ['http://127.0.0.1:8080/hooks', false],
    ['https://[::1]:8443/x?y=1', true],
  ])('accepts %s (https only: %s)', (url, httpsOnly) => {
    expect(checkWebhookUrl(url, httpsOnly)).toBe(new URL(url).toString());
  });

  test('https only in production: http is BAD_USER_INPUT naming input.url', () => {
    const err = refusal('http://hooks.example.org/approvals', true);
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.details).toEqual({ field: 'input.url' });
    expect(err.message).toContain('https');
  });

  test.each([
    '',
    '   ',
    'hooks.example.org/approvals',
    '/relative',
    'ftp://example.org/x',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'https://user:secret@example.org/x',
    `https://example.org/${'a'.repeat(2048)}`,
  ])('refuses %j', (url) => {
    expect(refusal(url, false).details).toEqual({ field: 'input.url' });
  });
});

describe('signDelivery', () => {
  test('v1= and the hex HMAC-SHA256 of "<timestamp>.<body>" with the secret', () => {
    const secret = 'f'.repeat(64);
    const body = '{"id":"x","event":"DECIDED"}';
    const expected = crypto.createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signDelivery(secret, 1700000000, body)).toBe(`v1=${expected}`);
    expect(signDelivery(secret, 1700000001, body)).not.toBe(`v1=${expected}`);
    expect(signDelivery('e'.repeat(64), 1700000000, body)).not.toBe(`v1=${expected}`);
  });
});

describe('retryDelayMs', () => {
  test.each([
    [1, 10_000, 5_000, 10_000],
    [2, 10_000, 10_000, 20_000],
    [4, 10_000, 40_000, 80_000],
    [20, 10_000, MAX_RETRY_DELAY_MS / 2, MAX_RETRY_DELAY_MS],
  ])('after attempt %i (base %i): from %i to %i', (attempt, base, low, high) => {
    expect(retryDelayMs(attempt, base, 0)).toBe(low);
    expect(retryDelayMs(attempt, base, 0.999999)).toBeLessThanOrEqual(high);
    expect(retryDelayMs(attempt, base, 0.999999)).toBeGreaterThan(high * 0.99);
  });
});
