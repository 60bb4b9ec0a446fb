/**
 * The raw baseline of `bench:api`, run as its own process: `node:http` and a `pg` pool of the
 * service's size. POST /<query name> reads and parses the request's JSON body (as any server
 * would), runs that query's one SQL statement and writes the text PostgreSQL built. No
 * authentication, no audit, no GraphQL: the floor a Node service over this database stands on.
 *
 * Configured by the environment variable BENCH_RAW_CONFIG (JSON: url, poolSize, port, routes);
 * prints "listening <port>" once it accepts connections.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

export interface RawConfig {
  url: string;
  poolSize: number;
  port: number;
  routes: Record<string, { sql: string; params: unknown[] }>;
}

function main(): void {
  const config = JSON.parse(process.env.BENCH_RAW_CONFIG ?? '{}') as RawConfig;
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize,
    application_name: 'bench-api-raw',
  });
  const server = http.createServer((req, res) => {
    const route = config.routes[(req.url ?? '/').slice(1)];
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !route) {
        res.writeHead(404).end();
        return;
      }
      try {
        JSON.parse(Buffer.concat(chunks).toString() || '{}');
      } catch {
        res.writeHead(400).end();
        return;
      }
      pool.query<{ body: string }>(route.sql, route.params).then(
        ({ rows }) => {
          const body = rows[0]?.body ?? '{"data":null}';
          res.writeHead(200, {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(body),
          });
          res.end(body);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(err instanceof Error ? err.message : String(err));
        },
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(config.port, '127.0.0.1', () => {
    console.log(`listening ${(server.address() as AddressInfo).port}`);
  });
  const stop = () => {
    server.close();
    void pool.end().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
