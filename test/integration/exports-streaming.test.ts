/**
 * The file exports at size, through the real service against a real PostgreSQL: a test database
 * seeded with bulk SQL with 268,800 figure groups (three offices, 800 weeks, every category, type
 * and basis) exports them all, streamed: a client that stops reading leaves the statement waiting
 * to send (the server has not read the answer ahead into memory), and one that goes away
 * stops the statement (pg_stat_activity shows it gone, the connection back in the pool).
 */
import { exportUrl, getExport, ndjsonObjects, openExport, parseCsv } from '../helpers/exports';
import { Client, HQ, startTestServer, TestServer } from '../helpers/server';

jest.setTimeout(180_000);

let server: TestServer;
let hq: Client;

/**
 * Enough that no answer fits in the sockets' buffers between PostgreSQL, the service and the
 * client (several MB each way on loopback): a paused client must hold the statement back.
 */
const WEEKS = 800;
const QUERY = {
  from: '2005-01-01',
  to: '2020-12-31',
  groupBy: 'WEEK,OFFICE,CATEGORY,ACTION_TYPE,BASIS',
};

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2024-06-12T14:00:00Z') });
  hq = await server.as(HQ);
  await server.sql(
    `INSERT INTO enforcement_weekly_counts (office_id, week_start, category, action_type, basis, action_count)
     SELECT o.id, DATE '2005-01-03' + 7 * w, c, t, b, 1 + (w * 7 + length(o.code::text)) % 13
       FROM offices o,
            generate_series(0, ${WEEKS - 1}) w,
            unnest(enum_range(NULL::priority_category)) c,
            unnest(enum_range(NULL::action_type)) t,
            unnest(enum_range(NULL::enforcement_basis)) b`,
  );
  await server.sql(`ANALYZE enforcement_weekly_counts`);
});
afterAll(async () => {
  await server?.stop();
});

async function directCount(): Promise<number> {
  const [{ n }] = await server.sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM enforcement_weekly_counts
      WHERE action_count > 0 AND week_start BETWEEN '2004-12-27' AND '2020-12-28'`,
  );
  return n;
}

/** The service's backends running the all-five export (a COPY of the counts table). */
async function exportBackends(): Promise<{ pid: number; state: string }[]> {
  return server.sql(
    `SELECT pid, state FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()
        AND query LIKE 'COPY%enforcement_weekly_counts%'`,
  );
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the all-five export of 268,800 groups is every group, once, as a direct count says', async () => {
  const expected = await directCount();
  expect(expected).toBeGreaterThanOrEqual(250_000);
  const res = await getExport(hq, '/exports/enforcement-stats', QUERY);
  expect(res.status).toBe(200);
  const [header, ...rows] = parseCsv(res.text);
  expect(header).toEqual(['week', 'officeCode', 'category', 'actionType', 'basis', 'count']);
  expect(rows).toHaveLength(expected);
  expect(new Set(rows.map((r) => r.slice(0, 5).join('|'))).size).toBe(expected);
  const [{ total }] = await server.sql<{ total: number }>(
    `SELECT sum(action_count)::int AS total FROM enforcement_weekly_counts`,
  );
  expect(rows.reduce((s, r) => s + Number(r[5]), 0)).toBe(total);
  // Ordered by week, then office code.
  const keys = rows.map((r) => `${r[0]}|${r[1]}`);
  expect([...keys].sort()).toEqual(keys);
});

test('a client that stops reading holds the server back: the statement waits to send', async () => {
  const url = exportUrl(hq, '/exports/enforcement-stats', { ...QUERY, format: 'ndjson' });
  const heapBefore = process.memoryUsage().heapUsed;
  const paused = await openExport(url, hq.token as string);
  expect(paused.status).toBe(200);
  // Time enough for a server that read ahead to have run the statement to its end.
  await new Promise((r) => setTimeout(r, 1500));
  const backends = await exportBackends();
  expect(backends.map((b) => b.state)).toEqual(['active']);
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  // The whole answer is about 36 MB of NDJSON (268,800 objects as rows would be more).
  expect(heapGrowth).toBeLessThan(12 * 1024 * 1024);
  const total = await paused.resume();
  expect(total).toBeGreaterThan(250_000 * 100);
  await until(async () => (await exportBackends()).every((b) => b.state === 'idle'));
});

test('a client that goes away stops the statement and the connection goes back to the pool', async () => {
  const url = exportUrl(hq, '/exports/enforcement-stats', { ...QUERY, format: 'ndjson' });
  const paused = await openExport(url, hq.token as string);
  expect(paused.status).toBe(200);
  expect((await exportBackends()).map((b) => b.state)).toEqual(['active']);
  paused.abort();
  await until(async () => (await exportBackends()).every((b) => b.state === 'idle'));
  // Not left in a transaction either (the service's background work, such as the audit chainer
  // woken by the export's records, passes through that state for a moment: a left transaction
  // stays), and the next export runs whole.
  await until(async () => {
    const [{ n }] = await server.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    );
    return n === 0;
  });
  const again = await getExport(hq, '/exports/enforcement-stats', { ...QUERY, format: 'ndjson' });
  expect(ndjsonObjects(again.text)).toHaveLength(await directCount());
  // Each export is audited when it starts and when it ends, the cut one as incomplete.
  await until(async () => {
    const ended = await server.sql(
      `SELECT change FROM audit_log WHERE operation = 'exportEnforcementStats' AND change->>'phase' = 'ENDED'
        AND change->>'complete' = 'false'`,
    );
    return ended.length === 1 && (ended[0].change as { stoppedBy: string }).stoppedBy === 'client';
  });
});
