/**
 * The two servers under load, each its own child process (so its CPU time is its own in /proc):
 * the service as `npm start` runs it (dist/src/main.js with the service's node flags,
 * NODE_ENV=production), and the raw baseline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { SERVICE_NODE_FLAGS } from '../../../server/node-flags';
import type { RawConfig } from './raw-server';

export interface Child {
  name: string;
  pid: number;
  url: string;
  /** Whatever it printed last (stderr and stdout), for an error message. */
  tail: () => string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function track(name: string, child: ChildProcess, url: string, logs: boolean): Child {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stderr?.on('data', keep);
  // The service's request log goes to stdout: read (so the pipe never blocks it) but not kept.
  child.stdout?.on('data', (chunk: Buffer) => {
    if (!logs) keep(chunk);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  // Never left running: ended with the benchmark, whatever ends it.
  const kill = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  return {
    name,
    pid: child.pid ?? -1,
    url,
    tail: () => tail,
    async stop() {
      process.removeListener('exit', kill);
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(kill, 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200 (or the process ends, or a minute passes). */
async function ready(child: Child, probe: string, exited: () => boolean): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (exited()) throw new Error(`${child.name} ended at start:\n${child.tail()}`);
    try {
      const res = await fetch(probe);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${child.name} did not become ready within a minute:\n${child.tail()}`);
}

export interface ServiceSettings {
  /** The service's login (a member of ep_service) and the owner's, for migrations. */
  databaseUrl: string;
  migrationDatabaseUrl: string;
  poolSize: number;
  jwtSecret: string;
  auditKey: string;
  dataDir: string;
  logLevel: string;
  /** Node flags besides the service's own (e.g. `--cpu-prof`). */
  extraNodeFlags?: readonly string[];
}

/** dist/src/main.js next to this compiled file (dist/src/scripts/bench/api/). */
const distSrc = path.resolve(__dirname, '..', '..', '..');

export async function startServiceProcess(s: ServiceSettings): Promise<Child> {
  const port = await freePort();
  const flags = [...SERVICE_NODE_FLAGS, ...(s.extraNodeFlags ?? [])];
  const child = spawn(process.execPath, [...flags, path.join(distSrc, 'main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: s.databaseUrl,
      MIGRATION_DATABASE_URL: s.migrationDatabaseUrl,
      DATABASE_POOL_SIZE: String(s.poolSize),
      JWT_SECRET: s.jwtSecret,
      AUDIT_KEY: s.auditKey,
      DATA_DIR: s.dataDir,
      LOG_LEVEL: s.logLevel,
      RATE_LIMIT_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  const tracked = track('the service', child, `http://127.0.0.1:${port}/graphql`, true);
  await ready(tracked, `http://127.0.0.1:${port}/readyz`, () => exited);
  return tracked;
}

export async function startRawProcess(config: Omit<RawConfig, 'port'>): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(__dirname, 'raw-server.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      BENCH_RAW_CONFIG: JSON.stringify({ ...config, port }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tracked = track('the raw baseline', child, `http://127.0.0.1:${port}`, false);
  // It says when it listens (a probe would need a POST to a route).
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the raw baseline did not start')), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the raw baseline ended at start:\n${tracked.tail()}`));
    });
  });
  return tracked;
}
