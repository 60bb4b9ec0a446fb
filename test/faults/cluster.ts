/**
 * A private PostgreSQL 15 cluster for the fault tests: initdb and pg_ctl run as the `postgres` OS
 * user in a temporary folder, on a free loopback port, and the folder is removed afterwards. The
 * machine's own server (port 5432) is never touched: every pg_ctl call names this cluster's folder.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = '/usr/lib/postgresql/15/bin';

export interface Cluster {
  port: number;
  url: string;
  /** Like a crash: every server process ends at once (`pg_ctl stop -m immediate`). */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stops it if running and removes its folder. Safe to call twice. */
  remove(): void;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A PostgreSQL binary as the `postgres` user (we are root; PostgreSQL refuses to run as root). */
function command(binary: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', path.join(BIN, binary), ...args]]
    : [path.join(BIN, binary), args];
}

/** Without blocking the event loop: the service under test runs in this process. */
async function asPostgres(binary: string, args: string[]): Promise<void> {
  await promisify(execFile)(...command(binary, args), { timeout: 60_000 });
}

export async function startCluster(): Promise<Cluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ep-faults-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  const port = await freePort();
  let removed = false;
  const cluster: Cluster = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async kill() {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    },
    async start() {
      await asPostgres('pg_ctl', [
        '-D',
        data,
        '-l',
        path.join(dir, 'server.log'),
        '-w',
        '-t',
        '60',
        '-o',
        `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c max_connections=60`,
        'start',
      ]);
    },
    remove() {
      if (removed) return;
      removed = true;
      try {
        execFileSync(...command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']), {
          stdio: 'pipe',
        });
      } catch {
        // Not running.
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  // Removed even when the test process ends early.
  process.once('exit', () => cluster.remove());
  try {
    await asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-instructions']);
    await cluster.start();
  } catch (err) {
    cluster.remove();
    throw err;
  }
  return cluster;
}
