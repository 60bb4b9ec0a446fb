/**
 * A real graphql-ws client (over the `ws` package) against a running test server, for the live
 * subscriptions: `subscribe()` collects what arrives; `rawConnect()` opens a bare socket to see how
 * the server answers a connection (acknowledged, or closed with which code).
 */
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestServer } from './server';

export const wsUrl = (httpUrl: string): string => httpUrl.replace(/^http/, 'ws');

export interface Received<T = Record<string, any>> {
  /** Every `next` payload, in order. */
  results: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] }[];
  /** Set when the server completed the subscription or it failed. */
  ended: boolean;
  error: unknown;
  /** The next result not yet taken, within `ms`. */
  next(ms?: number): Promise<Received<T>['results'][number]>;
  stop(): void;
}

export interface LiveClient {
  client: WsClient;
  /** The close event of the socket, once it closed. */
  closed: Promise<{ code: number; reason: string }>;
  subscribe<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Received<T>;
  dispose(): Promise<void>;
}

/** Connects as `token` (acknowledged before it resolves). */
export function liveClient(server: TestServer, token: string): Promise<LiveClient> {
  return liveClientAt(server.url, token);
}

/** The same, to the GraphQL address `url` (http://…/graphql) of any running service. */
export async function liveClientAt(url: string, token: string): Promise<LiveClient> {
  let onClosed: (e: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  let onConnected: () => void = () => {};
  let onFailed: (e: unknown) => void = () => {};
  const connected = new Promise<void>((resolve, reject) => {
    onConnected = resolve;
    onFailed = reject;
  });
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: (e) => onFailed(e),
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const e = event as { code: number; reason: string };
        onClosed({ code: e.code, reason: String(e.reason) });
        onFailed(e);
      },
    },
  });
  await connected;
  return {
    client,
    closed,
    subscribe<T>(query: string, variables?: Record<string, unknown>): Received<T> {
      const results: Received<T>['results'] = [];
      let taken = 0;
      let wake: (() => void) | null = null;
      const received: Received<T> = {
        results,
        ended: false,
        error: undefined,
        async next(ms = 2000) {
          const deadline = Date.now() + ms;
          while (results.length <= taken) {
            if (received.ended) throw new Error(`subscription ended: ${String(received.error)}`);
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`no event within ${ms} ms`);
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, left);
            });
          }
          return results[taken++];
        },
        stop: () => {},
      };
      received.stop = client.subscribe<T>(
        { query, variables },
        {
          next: (value) => {
            results.push(value as Received<T>['results'][number]);
            wake?.();
          },
          error: (err) => {
            received.ended = true;
            received.error = err;
            wake?.();
          },
          complete: () => {
            received.ended = true;
            wake?.();
          },
        },
      );
      return received;
    },
    dispose: () => Promise.resolve(client.dispose()),
  };
}

/** Waits until `check()` holds (polling), or fails after `ms`. */
export async function until(check: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A bare socket: sends `payload` as connection_init; how the server answered. */
export function rawConnect(
  server: TestServer,
  payload: Record<string, unknown> | undefined,
): Promise<{ acked: boolean; code?: number; reason?: string; socket: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(server.url), 'graphql-transport-ws');
    socket.on('error', reject);
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) }));
    });
    socket.on('message', (data) => {
      const message = JSON.parse((data as Buffer).toString('utf8')) as { type: string };
      if (message.type === 'connection_ack') resolve({ acked: true, socket });
    });
    socket.on('close', (code, reason) =>
      resolve({ acked: false, code, reason: reason.toString(), socket }),
    );
  });
}
