/**
 * Audit without a global queue (issue #11): requests only INSERT their records (an insertion number
 * and a keyed MAC), and one chainer at a time links the committed ones into the hash chain. No
 * request waits on another's audit record; two service processes chain one unforked, gap-free
 * chain; a record without a valid MAC is never chained and is reported; `auditIntegrity` says how
 * far behind the chainer is.
 */
import { Client as PgClient } from 'pg';
import { hashPayload } from '../../src/modules/audit/audit.hash';
import { CHAIN_LOCK_KEY } from '../../src/modules/audit/audit.chainer';
import { CHAINED_VERSION, deriveAuditKeys, recordMac } from '../../src/modules/audit/audit.key';
import { rowToAudit } from '../../src/modules/audit/audit.service';
import { contentOf } from '../../src/modules/audit/audit.verify';
import { databaseUrl, serviceDatabaseUrl } from '../helpers/database';
import { caseInput, codes, openCase } from '../helpers/given';
import {
  HQ,
  OFFICER_LAX,
  OFFICER_NYC,
  startTestServer,
  SUPERVISOR_NYC,
  TEST_AUDIT_KEY,
  type TestServer,
} from '../helpers/server';

const OPEN = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { id } }`;
const SUBJECT = `query One($id: ID!) { case(id: $id) { id subject { name } } }`;
const INTEGRITY = `{ auditIntegrity { ok checked firstBrokenId problems chainedThrough pendingRecords oldestPendingAt } }`;
const TRAIL = `{ auditTrail(first: 5) { edges { node { id chainPosition operation hash } } } }`;
const KEYS = deriveAuditKeys(TEST_AUDIT_KEY);

interface Integrity {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  problems: string[];
  chainedThrough: string | null;
  pendingRecords: number;
  oldestPendingAt: string | null;
}

async function integrity(s: TestServer): Promise<Integrity> {
  return (await (await s.as(HQ)).ok<{ auditIntegrity: Integrity }>(INTEGRITY)).auditIntegrity;
}

/** Fails the test if `work` has not finished within `ms`: what would have queued does not. */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not complete within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function session(s: TestServer, asService = false): Promise<PgClient> {
  const url = asService ? serviceDatabaseUrl(s.database) : databaseUrl(s.database);
  const client = new PgClient({ connectionString: url });
  await client.connect();
  return client;
}

/** An audit record as a writer with the key makes it: insertion number, then content and MAC. */
async function insertRecord(client: PgClient, operation: string, key = KEYS): Promise<string> {
  const { rows } = await client.query<{ n: string }>(
    `SELECT nextval('audit_log_insertion_seq')::text AS n`,
  );
  const insertion = rows[0].n;
  const occurredAt = new Date();
  const a = rowToAudit({
    insertion,
    occurred_at: occurredAt,
    kind: 'SYSTEM',
    actor_id: null,
    actor_role: null,
    actor_office_id: null,
    operation,
    record_type: null,
    record_ids: [],
    office_ids: [],
    reason: null,
    change: null,
    request_id: null,
  });
  await client.query(
    `INSERT INTO audit_log (insertion, occurred_at, kind, operation, key_version, mac)
     VALUES ($1, $2, 'SYSTEM', $3, $4, $5)`,
    [
      insertion,
      occurredAt,
      operation,
      CHAINED_VERSION,
      recordMac(key, insertion, hashPayload(contentOf(a))),
    ],
  );
  return insertion;
}

/** Holds the chainer's advisory lock from outside: every chainer of the database is paused. */
async function pauseChainers(s: TestServer): Promise<{ resume(): Promise<void> }> {
  const client = await session(s);
  await client.query(`SELECT pg_advisory_lock(${CHAIN_LOCK_KEY})`);
  return {
    async resume() {
      await client.query(`SELECT pg_advisory_unlock(${CHAIN_LOCK_KEY})`);
      await client.end();
    },
  };
}

async function chainRows(s: TestServer) {
  return s.sql<{ insertion: string; seq: string | null; prev_hash: string; hash: string }>(
    `SELECT insertion, seq, prev_hash, hash FROM audit_log ORDER BY seq NULLS LAST, insertion`,
  );
}

/** One unforked, gap-free chain from genesis, every record in it exactly once. */
function expectOneChain(rows: { seq: string | null; prev_hash: string; hash: string }[]): void {
  let prev = '0'.repeat(64);
  rows.forEach((row, i) => {
    expect(row.seq).toBe(String(i + 1));
    expect(row.prev_hash).toBe(prev);
    prev = row.hash;
  });
  expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length);
}

describe('no request waits on another request’s audit record', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.stop();
  });

  test('an open transaction that appended a record: an identity read and a mutation still complete', async () => {
    const officer = await s.as(OFFICER_NYC);
    const c = await openCase(officer);
    // As the service's own login, like a request of another process stalled before its commit.
    const other = await session(s, true);
    try {
      await other.query('BEGIN');
      const held = await insertRecord(other, 'stalledWriter');
      const read = await within(3000, 'an identity read', officer.request(SUBJECT, { id: c.id }));
      expect(read.errors).toBeUndefined();
      const write = await within(3000, 'a mutation', officer.request(OPEN, { input: caseInput() }));
      expect(write.errors).toBeUndefined();
      // The chainer links what is committed; the open record is not there to be seen yet.
      await within(3000, 'the chainer', s.chained());
      const [row] = await s.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE seq IS NULL`,
      );
      expect(row.n).toBe(0);
      await other.query('COMMIT');
      await s.chained();
      const [linked] = await s.sql<{ seq: string | null }>(
        `SELECT seq FROM audit_log WHERE insertion = $1`,
        [held],
      );
      expect(linked.seq).not.toBeNull();
      expect(await integrity(s)).toMatchObject({ ok: true, pendingRecords: 0 });
    } finally {
      await other.end();
    }
  });

  test('the chain head locked from outside (the old global queue): requests still complete', async () => {
    const officer = await s.as(OFFICER_NYC);
    const c = await openCase(officer);
    await s.chained();
    const locker = await session(s);
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM audit_chain_head WHERE id = 1 FOR UPDATE');
      const read = await within(3000, 'an identity read', officer.request(SUBJECT, { id: c.id }));
      expect(read.errors).toBeUndefined();
      const write = await within(3000, 'a mutation', officer.request(OPEN, { input: caseInput() }));
      expect(write.errors).toBeUndefined();
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    await s.chained();
    expect(await integrity(s)).toMatchObject({ ok: true, pendingRecords: 0 });
  });

  test('a rolled-back mutation leaves no audit record; every acknowledged one has its record', async () => {
    const officer = await s.as(OFFICER_NYC);
    const [before] = await s.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`);
    // The second root field fails after the first wrote (and appended its record): all rolls back.
    const failed = await officer.request(
      `mutation Two($input: OpenCaseInput!, $close: CloseCaseInput!) {
         a: openCase(input: $input) { id }
         b: closeCase(input: $close) { id }
       }`,
      {
        input: caseInput(),
        close: { caseId: '00000000-0000-4000-8000-000000000000', reason: 'Not there' },
      },
      { 'x-request-id': 'rolled-back-1' },
    );
    expect(codes(failed)).toEqual(['NOT_FOUND']);
    await s.chained();
    const [after] = await s.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`);
    expect(after.n).toBe(before.n);
    expect(await s.sql(`SELECT 1 FROM audit_log WHERE request_id = 'rolled-back-1'`)).toHaveLength(
      0,
    );

    const answers = await Promise.all(
      Array.from({ length: 12 }, () => officer.request(OPEN, { input: caseInput() })),
    );
    const ids = answers.map((a) => {
      expect(a.errors).toBeUndefined();
      return (a.data as { openCase: { id: string } }).openCase.id;
    });
    await s.chained();
    for (const id of ids) {
      const rows = await s.sql<{ seq: string | null }>(
        `SELECT seq FROM audit_log WHERE $1::uuid = ANY(record_ids) AND operation = 'openCase'`,
        [id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].seq).not.toBeNull();
    }
  });
});

describe('two service processes on one database', () => {
  test('chain concurrent writes into one unforked, gap-free chain, each record once', async () => {
    const a = await startTestServer({ env: { AUDIT_CHAIN_INTERVAL_MS: '20' } });
    const b = await startTestServer({
      database: a.database,
      env: { AUDIT_CHAIN_INTERVAL_MS: '20' },
    });
    try {
      const clients = [
        await a.as(OFFICER_NYC),
        await b.as(OFFICER_NYC),
        await a.as(OFFICER_LAX),
        await b.as(SUPERVISOR_NYC),
      ];
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          clients[i % clients.length].request(
            `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { id subject { name } } }`,
            { input: caseInput() },
          ),
        ),
      );
      for (const answer of answers) expect(answer.errors).toBeUndefined();
      await Promise.all([a.chained(), b.chained()]);
      const rows = await chainRows(a);
      expect(rows.every((r) => r.seq !== null)).toBe(true);
      expectOneChain(rows);
      // Each opened case: its CHANGE record and the READ record of its subject, once each.
      const [{ n }] = await a.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE operation IN ('openCase', 'readSubjectIdentity')`,
      );
      expect(n).toBe(80);
      for (const s of [a, b]) {
        expect(await integrity(s)).toMatchObject({
          ok: true,
          checked: rows.length,
          pendingRecords: 0,
          chainedThrough: String(rows.length),
        });
      }
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});

describe('the chainer paused or behind, and records without a valid MAC', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.stop();
  });

  test('auditIntegrity reports the records waiting while the chainer is paused, and none after', async () => {
    const officer = await s.as(OFFICER_NYC);
    await s.chained();
    const head = (await integrity(s)).chainedThrough;
    const paused = await pauseChainers(s);
    let opened: string;
    try {
      opened = (await openCase(officer)).id;
      await openCase(officer);
      const behind = await integrity(s);
      expect(behind).toMatchObject({
        ok: true,
        problems: [],
        pendingRecords: 2,
        chainedThrough: head,
      });
      expect(behind.oldestPendingAt).not.toBeNull();
      // The trail shows them already, newest first, not yet in the chain.
      const trail = await (await s.as(HQ)).ok<any>(TRAIL);
      expect(trail.auditTrail.edges.slice(0, 2).map((e: any) => e.node)).toEqual([
        expect.objectContaining({ operation: 'openCase', chainPosition: null, hash: null }),
        expect.objectContaining({ operation: 'openCase', chainPosition: null, hash: null }),
      ]);
    } finally {
      await paused.resume();
    }
    await s.chained();
    const after = await integrity(s);
    expect(after).toMatchObject({ ok: true, pendingRecords: 0, oldestPendingAt: null });
    expect(BigInt(after.chainedThrough!)).toBe(BigInt(head!) + 2n);
    const [row] = await s.sql<{ seq: string | null }>(
      `SELECT seq FROM audit_log WHERE $1::uuid = ANY(record_ids)`,
      [opened!],
    );
    expect(row.seq).not.toBeNull();
  });

  test('a record inserted without the key is never chained and is reported; later ones are chained', async () => {
    const officer = await s.as(OFFICER_NYC);
    const forger = await session(s);
    let forged: string;
    try {
      forged = await insertRecord(
        forger,
        'forgedBySql',
        deriveAuditKeys('a guessed key, 32 chars long!!!!'),
      );
    } finally {
      await forger.end();
    }
    await openCase(officer);
    await s.chained();
    const [row] = await s.sql<{ seq: string | null }>(
      `SELECT seq FROM audit_log WHERE insertion = $1`,
      [forged],
    );
    expect(row.seq).toBeNull();
    const result = await integrity(s);
    expect(result.ok).toBe(false);
    expect(result.pendingRecords).toBe(1);
    expect(result.problems).toEqual([
      expect.stringMatching(new RegExp(`record ${forged} .*no valid MAC`)),
    ]);
    // The chain itself, with the case opened after it, verifies.
    expect(result.firstBrokenId).toBeNull();
    const [{ n }] = await s.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE seq IS NOT NULL`,
    );
    expect(result.checked).toBe(n);
  });

  test('a record edited before it is chained is reported, not chained', async () => {
    const officer = await s.as(OFFICER_NYC);
    const paused = await pauseChainers(s);
    let edited: string;
    try {
      const c = await openCase(officer);
      const [row] = await s.sql<{ insertion: string }>(
        `SELECT insertion FROM audit_log WHERE $1::uuid = ANY(record_ids)`,
        [c.id],
      );
      edited = row.insertion;
      await s.admin.transaction(async (m) => {
        await m.query('SET LOCAL session_replication_role = replica');
        await m.query(`UPDATE audit_log SET operation = 'closeCase' WHERE insertion = $1`, [
          edited,
        ]);
      });
    } finally {
      await paused.resume();
    }
    await s.chained();
    const [row] = await s.sql<{ seq: string | null }>(
      `SELECT seq FROM audit_log WHERE insertion = $1`,
      [edited!],
    );
    expect(row.seq).toBeNull();
    const result = await integrity(s);
    expect(result.ok).toBe(false);
    expect(result.problems.join(' ')).toContain(`record ${edited!} `);
  });

  test('the service login may set chain columns only as the next link, and never content', async () => {
    const paused = await pauseChainers(s);
    const client = await session(s, true);
    try {
      const pending = await insertRecord(client, 'pendingForTrigger');
      await expect(
        client.query(`UPDATE audit_log SET reason = 'edited' WHERE insertion = $1`, [pending]),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        client.query(
          `UPDATE audit_log SET seq = 999999, prev_hash = repeat('0', 64), hash = repeat('a', 64)
            WHERE insertion = $1`,
          [pending],
        ),
      ).rejects.toThrow(/not the next link/);
      await expect(
        client.query(
          `UPDATE audit_log SET seq = seq, prev_hash = prev_hash, hash = repeat('a', 64)
            WHERE seq = (SELECT max(seq) FROM audit_log)`,
        ),
      ).rejects.toThrow(/already chained/);
    } finally {
      await client.end();
      await paused.resume();
    }
    await s.chained();
  });
});
