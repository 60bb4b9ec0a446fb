/**
 * Audit insertion numbers after a database crash. A process takes the sequence's numbers a block
 * at a time; a sequence's advance is durable only once a later commit flushes the WAL, so a crash
 * can set the sequence back and hand out again numbers a process still holds (found by
 * `npm run test:faults`: INTERNAL_SERVER_ERROR on `audit_log_pkey` after PostgreSQL was killed).
 * Every write must still succeed with its record, each record once, in one intact chain.
 */
import { Client as PgClient } from 'pg';
import { databaseUrl } from '../helpers/database';
import { caseInput, openCase } from '../helpers/given';
import { HQ, OFFICER_LAX, OFFICER_NYC, startTestServer, type TestServer } from '../helpers/server';

const OPEN = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { id } }`;
const INTEGRITY = `{ auditIntegrity { ok pendingRecords } }`;

async function lastInsertion(s: TestServer): Promise<number> {
  const [row] = await s.sql<{ n: string }>(`SELECT max(insertion)::text AS n FROM audit_log`);
  return Number(row.n);
}

async function openCasesRecords(s: TestServer): Promise<number> {
  const [row] = await s.sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_log WHERE operation = 'openCase'`,
  );
  return row.n;
}

test('the sequence set back under a process holding a block (as a crash may leave it): every write keeps its record', async () => {
  const a = await startTestServer();
  const b = await startTestServer({ database: a.database });
  try {
    const nyc = await a.as(OFFICER_NYC);
    const lax = await b.as(OFFICER_LAX);
    // `a` takes a block and uses its first number; then the sequence goes back below it, as when
    // the WAL record of the block's advance was lost in a crash.
    await openCase(nyc);
    const used = await lastInsertion(a);
    const before = await openCasesRecords(a);
    await a.sql(`SELECT setval('audit_log_insertion_seq', $1)`, [used - 5]);
    // `b` takes its block from the set-back sequence: the numbers `a` still holds, less the used.
    for (let i = 0; i < 5; i++) await openCase(lax);
    // `a` writes under numbers `b` has recorded meanwhile: each is written again under a fresh one.
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => nyc.request(OPEN, { input: caseInput() })),
    );
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    expect(await openCasesRecords(a)).toBe(before + 15);
    const [dupes] = await a.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT insertion FROM audit_log GROUP BY insertion HAVING count(*) > 1) d`,
    );
    expect(dupes.n).toBe(0);
    await a.chained();
    const integrity = await (await a.as(HQ)).ok<{ auditIntegrity: { ok: boolean } }>(INTEGRITY);
    expect(integrity.auditIntegrity).toMatchObject({ ok: true, pendingRecords: 0 });
  } finally {
    await b.stop();
    await a.stop();
  }
});

test('a new connection to the database forgets the block: the next record takes a fresh number', async () => {
  const s = await startTestServer();
  try {
    const officer = await s.as(OFFICER_NYC);
    await openCase(officer);
    // The block's numbers are all below what the sequence has handed out.
    const [{ last }] = await s.sql<{ last: string }>(
      `SELECT last_value::text AS last FROM audit_log_insertion_seq`,
    );
    // Every session of the service ends, as when the server restarts.
    const admin = new PgClient({ connectionString: databaseUrl(s.database) });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = $1 AND application_name LIKE 'enforcement-priorities%'`,
        [s.database],
      );
    } finally {
      await admin.end();
    }
    // A request may meet a pooled session not yet known to be closed: it is told to retry.
    let answer = await officer.request(OPEN, { input: caseInput() });
    for (let i = 0; i < 5 && answer.errors; i++) {
      expect(answer.errors[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
      answer = await officer.request(OPEN, { input: caseInput() });
    }
    expect(answer.errors).toBeUndefined();
    const id = (answer.data as { openCase: { id: string } }).openCase.id;
    const [row] = await s.sql<{ n: string }>(
      `SELECT insertion::text AS n FROM audit_log WHERE operation = 'openCase' AND $1 = ANY(record_ids)`,
      [id],
    );
    expect(Number(row.n)).toBeGreaterThan(Number(last));
  } finally {
    await s.stop();
  }
});
