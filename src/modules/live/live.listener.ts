/**
 * The one connection of a process that listens for live events on a real PostgreSQL: a `pg`
 * client of its own, outside the request pool (a pooled connection cannot hold a LISTEN), which
 * reconnects with backoff when the database goes away. Events committed while it was
 * disconnected are not replayed: clients re-read the queue when their own connection comes back.
 */
import { Client } from 'pg';
import type { Logger } from '../../logger';
import { LIVE_CHANNEL } from './live.events';

export interface LiveListener {
  /** Resolves once listening (or once it stopped trying because it was closed). */
  ready: Promise<void>;
  close(): Promise<void>;
}

const MAX_BACKOFF_MS = 10_000;

export function startListener(
  url: string,
  onPayload: (payload: string | undefined) => void,
  log: Logger,
): LiveListener {
  let client: Client | null = null;
  let closed = false;
  let backoff = 250;
  let timer: NodeJS.Timeout | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let everConnected = false;

  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new Client({ connectionString: url, keepAlive: true });
    client = c;
    let failed = false;
    const retry = (err: unknown) => {
      if (failed || closed) return;
      failed = true;
      log.warn({ err }, 'live-event listener lost its database connection; reconnecting');
      c.removeAllListeners('notification');
      void c.end().catch(() => {});
      timer = setTimeout(() => void connect(), backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    };
    c.on('error', retry);
    c.on('end', () => retry(new Error('connection ended')));
    c.on('notification', (msg) => {
      if (msg.channel === LIVE_CHANNEL) onPayload(msg.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${LIVE_CHANNEL}`);
      backoff = 250;
      if (everConnected)
        log.info('live-event listener reconnected (events during the gap were not delivered)');
      everConnected = true;
      markReady();
    } catch (err) {
      retry(err);
    }
  };
  void connect();

  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      markReady();
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => {});
        await c.end().catch(() => {});
      }
    },
  };
}
