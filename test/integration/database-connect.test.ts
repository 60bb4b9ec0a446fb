/**
 * Issue #13: start-up against a database it cannot reach. A server that accepts the TCP connection
 * and never answers used to hang start-up forever; a closed port said only ECONNREFUSED. Both now
 * fail within DATABASE_CONNECT_TIMEOUT_MS with a message naming the variable and where it points,
 * never the password.
 */
import net from 'node:net';
import { loadConfig } from '../../src/config';
import { startService } from '../../src/server/service';
import { ADMIN_URL } from '../helpers/database';

const PASSWORD = 'do-not-print-me';

/** A TCP server that accepts connections and says nothing (a paused VM, a dead proxy backend). */
async function silentServer(): Promise<{
  port: number;
  accepted: () => number;
  close(): Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function config(env: Record<string, string>) {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    AUDIT_KEY: 'test-audit-key-test-audit-key-0123456789',
    DATA_DIR: '/tmp/ep-test-connect',
    ...env,
  });
}

/** How start-up ends, and after how long. */
async function start(env: Record<string, string>): Promise<{ error: Error; ms: number }> {
  const started = Date.now();
  try {
    const service = await startService(config(env), { seedDemo: false });
    await service.stop();
  } catch (err) {
    return { error: err as Error, ms: Date.now() - started };
  }
  throw new Error('start-up succeeded against a database that cannot be reached');
}

test('a server that accepts and never answers fails start-up after DATABASE_CONNECT_TIMEOUT_MS, naming DATABASE_URL', async () => {
  const silent = await silentServer();
  try {
    const { error, ms } = await start({
      DATABASE_URL: `postgres://ep_app:${PASSWORD}@127.0.0.1:${silent.port}/ep?sslmode=disable`,
      DATABASE_CONNECT_TIMEOUT_MS: '700',
    });
    expect(silent.accepted()).toBeGreaterThanOrEqual(1);
    expect(error.message).toBe(
      `Cannot connect to the database at DATABASE_URL (postgres://ep_app@127.0.0.1:${silent.port}/ep): ` +
        'no answer within 700 ms (DATABASE_CONNECT_TIMEOUT_MS); is the server up and is it PostgreSQL?',
    );
    expect(error.message).not.toContain(PASSWORD);
    expect(ms).toBeGreaterThanOrEqual(650);
    expect(ms).toBeLessThan(10_000);
  } finally {
    await silent.close();
  }
});

test('a closed port fails start-up at once, naming DATABASE_URL (not only ECONNREFUSED)', async () => {
  const port = await closedPort();
  const { error, ms } = await start({
    DATABASE_URL: `postgres://ep_app:${PASSWORD}@127.0.0.1:${port}/ep`,
  });
  expect(error.message).toBe(
    `Cannot connect to the database at DATABASE_URL (postgres://ep_app@127.0.0.1:${port}/ep): ` +
      'connection refused (ECONNREFUSED); is PostgreSQL running there?',
  );
  expect(error.message).not.toContain(PASSWORD);
  expect(ms).toBeLessThan(5_000);
});

test('a separate MIGRATION_DATABASE_URL that cannot be reached is the one named', async () => {
  const port = await closedPort();
  const { error } = await start({
    DATABASE_URL: ADMIN_URL,
    MIGRATION_DATABASE_URL: `postgres://owner:${PASSWORD}@127.0.0.1:${port}/ep`,
  });
  expect(error.message).toMatch(
    new RegExp(
      `^Cannot connect to the database at MIGRATION_DATABASE_URL \\(postgres://owner@127\\.0\\.0\\.1:${port}/ep\\): connection refused`,
    ),
  );
  expect(error.message).not.toContain(PASSWORD);
});

test('DATABASE_CONNECT_TIMEOUT_MS is validated like the other settings', () => {
  expect(() => config({ DATABASE_CONNECT_TIMEOUT_MS: '50' })).toThrow(
    'Invalid configuration: DATABASE_CONNECT_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000, got "50"',
  );
});
