/**
 * The delivery worker, one per service process. It claims due deliveries with one statement
 * (`FOR UPDATE SKIP LOCKED`, so several processes never claim the same row) that also leases
 * them, pushing `next_attempt_at` past the attempt's timeout; the claim commits before any HTTP
 * call, so no connection is held while a receiver answers (the embedded database has only one),
 * and a delivery whose sender died is claimed again once its lease ends. Each answer is recorded
 * with its attempt: 2xx is DELIVERED; anything else is retried with exponential backoff
 * (webhook.rules.ts) until WEBHOOK_MAX_ATTEMPTS, then FAILED. Redirects are not followed, and
 * each attempt opens its own connection, checked against private addresses as it connects.
 *
 * It looks for due deliveries every WEBHOOK_POLL_INTERVAL_MS (deliveries enqueued by another
 * process, retries falling due) and at once when a transaction of this process enqueued some.
 */
import type { EntitySubscriberInterface } from 'typeorm';
import type { WebhookSettings } from '../../config';
import { inTransaction, RequestContext, type ServiceDeps } from '../../common/context';
import { DELIVERIES_ENQUEUED, type WebhookWaker } from './webhook.outbox';
import {
  guardedLookup,
  privateDestination,
  PRIVATE_AT_CONNECT,
  type PrivateAddressPolicy,
} from './webhook.addresses';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { retryDelayMs, signDelivery } from './webhook.rules';
import { openSecret, sealStoredSecrets } from './webhook.secrets';
import crypto from 'node:crypto';

/** Deliveries claimed at once (sent concurrently). */
const BATCH = 20;
/** A lease outlasts the attempt's timeout by this much (recording the answer takes a moment). */
const LEASE_MARGIN_MS = 30_000;
/** An attempt's error when the hook's stored secret does not open (another AUDIT_KEY, or edited). */
const NOT_OPENED =
  'not sent: the webhook secret does not open with this AUDIT_KEY (sealed under another key, or edited); register the hook again';
/** The longest error text kept per attempt. */
const MAX_ERROR = 500;

/** The header names a receiver reads (README "Webhooks"). */
export const WEBHOOK_HEADERS = {
  id: 'Webhook-Id',
  event: 'Webhook-Event',
  timestamp: 'Webhook-Timestamp',
  signature: 'Webhook-Signature',
} as const;

interface Claimed {
  id: string;
  event_kind: string;
  attempts: number;
  /** The stored payload, parsed: sent as `deliveryBody(payload)`. */
  payload: unknown;
  webhook_id: string;
  url: string;
  /** As stored: sealed (webhook.secrets.ts). */
  secret: string;
}

/** How one attempt ended. */
export interface AttemptOutcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

const CLAIM = `
  WITH due AS (
    SELECT d.id
      FROM webhook_deliveries d
     WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1
     ORDER BY d.next_attempt_at
     LIMIT ${BATCH}
       FOR UPDATE SKIP LOCKED
  )
  UPDATE webhook_deliveries d
     SET attempts = d.attempts + 1, last_attempt_at = $1, next_attempt_at = $2
    FROM due, webhooks h
   WHERE d.id = due.id AND h.id = d.webhook_id
  RETURNING d.id, d.event_kind, d.attempts, d.payload, h.id AS webhook_id, h.url, h.secret`;

export interface WebhookWorker extends WebhookWaker {
  /** Sends every delivery due now (by the service's clock), batch after batch: how many it tried. */
  runDue(): Promise<number>;
  /** Stops the timer, aborts attempts in flight (recorded as failed) and waits for the run. */
  stop(): Promise<void>;
}

/**
 * The bytes POSTed for a stored payload: the same on every attempt, and what the API shows as
 * `WebhookDelivery.payload` (both derive from the jsonb as PostgreSQL returns it).
 */
export function deliveryBody(payload: unknown): string {
  return JSON.stringify(payload);
}

/** POSTs `body` to `url` and answers the status; the answer's body is not read. */
function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
  lookup: net.LookupFunction | undefined,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal,
        // Never a pooled socket: each attempt connects (and is checked) anew.
        agent: false,
        ...(lookup && { lookup }),
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * POSTs one delivery's body, signed, and says how it went. Never throws. Under
 * `WEBHOOK_PRIVATE_ADDRESSES=refuse` the connection refuses a private address it resolves to.
 */
export async function sendDelivery(
  target: { id: string; event: string; url: string; secret: string; body: string },
  timeoutMs: number,
  stopping: AbortSignal,
  privateAddresses: PrivateAddressPolicy = 'allow',
): Promise<AttemptOutcome> {
  // Wall time, not the service's clock: receivers compare it with their own clock.
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const status = await post(
      new URL(target.url),
      {
        'content-type': 'application/json',
        'user-agent': 'enforcement-priorities-webhooks/1',
        [WEBHOOK_HEADERS.id]: target.id,
        [WEBHOOK_HEADERS.event]: target.event,
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [WEBHOOK_HEADERS.signature]: signDelivery(target.secret, timestamp, target.body),
      },
      target.body,
      AbortSignal.any([AbortSignal.timeout(timeoutMs), stopping]),
      guardedLookup(privateAddresses),
    );
    if (status >= 200 && status < 300)
      return { statusCode: status, error: null, durationMs: took() };
    const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
    return { statusCode: status, error: `HTTP ${status}${redirect}`, durationMs: took() };
  } catch (err) {
    const failure = err as { name?: string; code?: string; message?: string; cause?: unknown };
    let error: string;
    if (stopping.aborted) error = 'the service stopped before the receiver answered';
    else if (failure.name === 'TimeoutError' || failure.name === 'AbortError')
      error = `no answer within ${timeoutMs} ms`;
    else if (failure.code === PRIVATE_AT_CONNECT) error = `not sent: ${failure.message}`;
    else error = `no answer: ${failure.code ?? failure.message ?? String(err)}`;
    return { statusCode: null, error: error.slice(0, MAX_ERROR), durationMs: took() };
  }
}

/** Records how attempt `claimed.attempts` ended, with the delivery's new state, in one transaction. */
async function record(
  ctx: RequestContext,
  settings: WebhookSettings,
  claimed: Claimed,
  outcome: AttemptOutcome,
  startedAt: Date,
): Promise<void> {
  const delivered = outcome.error === null;
  const now = ctx.clock.now();
  const failed = !delivered && claimed.attempts >= settings.maxAttempts;
  const next =
    delivered || failed
      ? null
      : new Date(
          now.getTime() + retryDelayMs(claimed.attempts, settings.retryBaseMs, Math.random()),
        );
  await inTransaction(ctx, async (tx) => {
    await tx.manager.query(
      `INSERT INTO webhook_delivery_attempts (id, delivery_id, number, at, status_code, error, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (delivery_id, number) DO NOTHING`,
      [
        crypto.randomUUID(),
        claimed.id,
        claimed.attempts,
        startedAt,
        outcome.statusCode,
        outcome.error,
        outcome.durationMs,
      ],
    );
    // Only while it is still this attempt's: a removal (FAILED) or a later claim after this
    // lease ran out wins, except that a 2xx always counts as delivered.
    await tx.manager.query(
      `UPDATE webhook_deliveries
          SET status = $3::webhook_delivery_status, next_attempt_at = $4, last_status_code = $5, last_error = $6,
              delivered_at = $7
        WHERE id = $1 AND status = 'PENDING' AND (attempts = $2 OR $8)`,
      [
        claimed.id,
        claimed.attempts,
        delivered ? 'DELIVERED' : failed ? 'FAILED' : 'PENDING',
        next,
        outcome.statusCode,
        outcome.error,
        delivered ? now : null,
        delivered,
      ],
    );
  });
}

/** Starts this process's delivery worker: a run now, then every poll interval and on each wake. */
export function startWebhookWorker(deps: ServiceDeps, settings: WebhookSettings): WebhookWorker {
  const ctx = new RequestContext(deps, 'webhook-worker', null, null);
  const stopping = new AbortController();
  let current: Promise<number> | null = null;
  let queued: Promise<number> | null = null;
  let stopped = false;

  /** The hook's secret in clear, or null (logged) when it does not open under this AUDIT_KEY. */
  const openedSecret = (c: Claimed): string | null => {
    try {
      return openSecret(deps.auditKeys, c.webhook_id, c.secret);
    } catch (err) {
      deps.log.error({ err, webhook: c.webhook_id }, 'webhook secret does not open');
      return null;
    }
  };

  const drain = async (): Promise<number> => {
    let total = 0;
    while (!stopped) {
      const now = ctx.clock.now();
      const lease = new Date(now.getTime() + settings.timeoutMs + LEASE_MARGIN_MS);
      // An UPDATE ... RETURNING answers [rows, count].
      const [claimed] = (await deps.dataSource.query(CLAIM, [now, lease])) as [Claimed[], number];
      total += claimed.length;
      await Promise.all(
        claimed.map(async (c) => {
          // Checked before each attempt: the hook's name may point elsewhere since registration.
          const refused = await privateDestination(c.url, settings.privateAddresses);
          const secret = refused ? null : openedSecret(c);
          const outcome: AttemptOutcome = refused
            ? { statusCode: null, error: `not sent: ${refused}`.slice(0, MAX_ERROR), durationMs: 0 }
            : secret === null
              ? { statusCode: null, error: NOT_OPENED, durationMs: 0 }
              : await sendDelivery(
                  {
                    id: c.id,
                    event: c.event_kind,
                    url: c.url,
                    secret,
                    body: deliveryBody(c.payload),
                  },
                  settings.timeoutMs,
                  stopping.signal,
                  settings.privateAddresses,
                );
          try {
            await record(ctx, settings, c, outcome, now);
          } catch (err) {
            // Its lease runs out and it is sent again: receivers deduplicate by Webhook-Id.
            deps.log.warn({ err, delivery: c.id }, 'webhook attempt not recorded');
          }
        }),
      );
      if (claimed.length < BATCH) break;
    }
    return total;
  };

  // One run at a time; wakes during a run make one more run after it, not one each.
  const runDue = (): Promise<number> => {
    if (queued) return queued;
    const run: Promise<number> = (current ?? Promise.resolve(0))
      .catch(() => 0)
      .then(() => {
        queued = null;
        return drain();
      });
    queued = run;
    current = run;
    return run;
  };
  const tick = () => {
    if (stopped) return;
    runDue().catch((err: unknown) => {
      deps.log.warn({ err }, 'webhook deliveries not sent; the worker tries again');
    });
  };

  // Woken when a transaction of this process that enqueued deliveries commits.
  const afterCommit: EntitySubscriberInterface = {
    afterTransactionCommit: ({ queryRunner }) => {
      if (queryRunner.isTransactionActive) return;
      const data = queryRunner.data as { [DELIVERIES_ENQUEUED]?: boolean };
      if (!data[DELIVERIES_ENQUEUED]) return;
      delete data[DELIVERIES_ENQUEUED];
      tick();
    },
    afterTransactionRollback: ({ queryRunner }) => {
      if (queryRunner.isTransactionActive) return;
      delete (queryRunner.data as { [DELIVERIES_ENQUEUED]?: boolean })[DELIVERIES_ENQUEUED];
    },
  };
  deps.dataSource.subscribers.push(afterCommit);
  // Secrets stored in clear before sealing: sealed now (they are read either way meanwhile).
  const sealing = sealStoredSecrets(deps.dataSource, deps.auditKeys).then(
    (sealed) => {
      if (sealed) deps.log.info({ sealed }, 'webhook secrets stored in clear are now sealed');
    },
    (err: unknown) =>
      deps.log.warn({ err }, 'webhook secrets in clear not sealed; next start tries again'),
  );
  const timer = setInterval(tick, settings.pollIntervalMs);
  timer.unref();
  tick();

  return {
    settings,
    runDue,
    wake: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      stopping.abort();
      const list = deps.dataSource.subscribers;
      const at = list.indexOf(afterCommit);
      if (at >= 0) list.splice(at, 1);
      await sealing;
      await current?.catch(() => 0);
    },
  };
}
