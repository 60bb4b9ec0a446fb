/**
 * The embedded PostgreSQL: PGlite (PostgreSQL compiled to WebAssembly) served on a loopback port by
 * pglite-socket, so the same `pg` driver, migrations and SQL run here and on a real server. PGlite
 * serves one connection at a time: the pool over it must have size 1.
 *
 * While the service runs, `<dataDir>/embedded.json` names the port, so that `npm run token` can
 * reach the same database without opening the data directory a second time.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  /**
   * `SET ROLE` on PGlite's one session (every socket connection shares it): statements then run
   * with that role's privileges. The session user stays the superuser `postgres`, so this guards
   * against the service's own mistakes, not against anyone who can reach the socket.
   */
  setRole(role: string): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedInfo {
  port: number;
  pid: number;
}

export function embeddedInfoPath(dataDir: string): string {
  return path.join(dataDir, 'embedded.json');
}

/** The running service's embedded database, if one is up (its process is alive). */
export function runningEmbedded(dataDir: string): EmbeddedInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(embeddedInfoPath(dataDir), 'utf8')) as EmbeddedInfo;
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}

/** `dataDir` undefined: in memory (throwaway checks). */
export async function startEmbedded(
  dataDir: string | undefined,
  opts: { advertise?: boolean } = {},
): Promise<EmbeddedDatabase> {
  // pglite ships ESM and CJS; load lazily so a service on a real PostgreSQL never pays for the WASM.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  let db: InstanceType<typeof PGlite>;
  if (dataDir === undefined) {
    db = await PGlite.create();
  } else {
    fs.mkdirSync(dataDir, { recursive: true });
    db = await PGlite.create(path.join(dataDir, 'pglite'));
  }
  // The service's pool holds one connection; the second lets `npm run token` and `npm run seed`
  // reach the database while the service runs (the socket server multiplexes them onto PGlite's one
  // session, so scripts keep to single statements).
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 2 });
  await server.start();
  const port = (server as unknown as { port: number }).port;
  const infoPath = dataDir !== undefined && opts.advertise ? embeddedInfoPath(dataDir) : undefined;
  if (infoPath)
    fs.writeFileSync(infoPath, JSON.stringify({ port, pid: process.pid } satisfies EmbeddedInfo));
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async setRole(role: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`not a role name: ${role}`);
      await db.query(`SET ROLE ${role}`);
    },
    async stop() {
      if (infoPath) fs.rmSync(infoPath, { force: true });
      await server.stop();
      await db.close();
    },
  };
}
