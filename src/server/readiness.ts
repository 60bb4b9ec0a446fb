/**
 * `/readyz`: ready means every migration is applied and a write can commit now. A read-only or full
 * database still answers reads, so the probe updates the one-row `readiness_probe` table (a table
 * the service owns writes to) and waits for the commit.
 *
 * On a real PostgreSQL the probe has its own one-connection pool with short timeouts, so it answers
 * within `READY_TIMEOUT_MS` even when every request connection is taken or stuck; the embedded
 * database serves one connection, so there it shares the service's (and still answers in time).
 */
import type express from 'express';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import type { AvailabilityMonitor } from './availability';
import { databaseFailure, type Unavailability } from '../common/errors';

/** `/readyz` answers within this, whatever the database does. */
export const READY_TIMEOUT_MS = 1_000;
/** PGlite (WebAssembly) plans its first statements slowly; a development database only. */
const EMBEDDED_READY_TIMEOUT_MS = 5_000;

export interface ReadinessReport {
  ready: boolean;
  status: string;
  pending?: string[];
  reason?: Unavailability;
}

export interface Readiness {
  check(): Promise<ReadinessReport>;
  close(): Promise<void>;
}

export function createReadiness(options: {
  url: string;
  embedded: boolean;
  dataSource: DataSource;
  monitor: AvailabilityMonitor;
}): Readiness {
  const { monitor } = options;
  const timeoutMs = options.embedded ? EMBEDDED_READY_TIMEOUT_MS : READY_TIMEOUT_MS;
  let pool: pg.Pool | undefined;
  let query: (sql: string) => Promise<unknown[]>;
  if (options.embedded) {
    query = (sql) => options.dataSource.query(sql);
  } else {
    const probePool = new pg.Pool({
      connectionString: options.url,
      max: 1,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: READY_TIMEOUT_MS - 200,
      statement_timeout: READY_TIMEOUT_MS - 200,
      lock_timeout: READY_TIMEOUT_MS / 2,
      // A paused server answers nothing: the client gives up, and pg-pool drops the connection.
      query_timeout: READY_TIMEOUT_MS,
      application_name: 'enforcement-priorities-readyz',
    });
    // An idle probe connection that the server closed: the next probe opens another.
    probePool.on('error', () => {});
    pool = probePool;
    query = async (sql) => (await probePool.query(sql)).rows;
  }

  async function probe(): Promise<ReadinessReport> {
    const applied = (await query(`SELECT name FROM migrations ORDER BY id`)) as { name: string }[];
    const names = new Set(applied.map((m) => m.name));
    const pending = MIGRATIONS.map((m) => m.name).filter((name) => !names.has(name));
    if (pending.length) return { ready: false, status: 'migrations pending', pending };
    const written = await query(
      // Through a CTE: TypeORM answers a bare UPDATE with [rows, count], a SELECT with its rows.
      `WITH probe AS (UPDATE readiness_probe SET checked_at = now() WHERE id = 1 RETURNING id)
       SELECT id FROM probe`,
    );
    if (written.length !== 1) return { ready: false, status: 'readiness_probe row missing' };
    return { ready: true, status: 'ready' };
  }

  return {
    async check() {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<ReadinessReport>((resolve) => {
        timer = setTimeout(
          () => resolve({ ready: false, status: 'database not answering' }),
          timeoutMs,
        );
      });
      try {
        const report = await Promise.race([probe(), late]);
        if (report.ready) monitor.available();
        else if (report.status === 'database not answering') {
          monitor.unavailable('DATABASE_UNREACHABLE');
        }
        return report;
      } catch (err) {
        const failure = databaseFailure(err);
        const reason =
          (failure?.details.reason as Unavailability | undefined) ?? 'DATABASE_UNREACHABLE';
        monitor.unavailable(reason, err);
        return { ready: false, status: 'database unavailable', reason };
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await pool?.end();
    },
  };
}

export function readinessHandler(readiness: Readiness): express.RequestHandler {
  return async (_req, res) => {
    const { ready, ...report } = await readiness.check();
    res.status(ready ? 200 : 503).json(report);
  };
}
