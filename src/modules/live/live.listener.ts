/**
 * The one connection of a process that listens for live events on a real PostgreSQL: a `pg`
 * client of its own, outside the request pool (a pooled connection cannot hold a LISTEN), which
 * reconnects with backoff when the database goes away. Events committed while it was
 * disconnected are not replayed (a NOTIFY reaches only the connections listening at commit):
 * `onResumed` is called each time it starts listening, and the hub ends the subscriptions that
 * may have missed some (LiveHub.resync), so their clients subscribe again and re-read.
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

/** How the listener's connection shows in pg_stat_activity (operators and tests find it there). */
export const LISTENER_APPLICATION_NAME = 'enforcement-priorities-live';

export function startListener(
  url: string,
  onPayload: (payload: string | undefined) => void,
  log: Logger,
  /** Listening (again): events committed before, while it was not, were not heard. */
  onResumed: () => void = () => {},
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
    const c = new Client({
      connectionString: url,
      keepAlive: true,
      application_name: LISTENER_APPLICATION_NAME,
    });
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
        log.info('live-event listener reconnected; subscriptions that may have missed events end');
      everConnected = true;
      // Also after a first connection that came late (the service started without it): any
      // subscription made before then heard nothing.
      onResumed();
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
