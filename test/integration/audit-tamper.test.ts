/**
 * Tamper evidence against someone with database rights (issue #10, finding 2). As the database
 * superuser, each attack that `auditIntegrity` used to answer `ok: true` to: a truncated log with
 * the head moved back, a decision rewritten and every later hash recomputed (unkeyed, or with a
 * guessed key), a log wiped and the head reset to genesis. Also: checkpoints are written while
 * records are appended and at stop, a forged or missing checkpoint is reported, and the service's
 * own login cannot alter, truncate or rewrite the audit table.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { chainHash, GENESIS_HASH, hashPayload } from '../../src/modules/audit/audit.hash';
import {
  CHAINED_VERSION,
  deriveAuditKeys,
  KEYED_VERSION,
  linkHash,
} from '../../src/modules/audit/audit.key';
import { rowToAudit } from '../../src/modules/audit/audit.service';
import { contentOf } from '../../src/modules/audit/audit.verify';
import { ConfigError } from '../../src/config';
import { databaseUrl, serviceDatabaseUrl } from '../helpers/database';
import { openCase } from '../helpers/given';
import {
  fingerprint,
  HQ,
  OFFICER_NYC,
  startTestServer,
  SUPERVISOR_NYC,
  TestServer,
} from '../helpers/server';

const START = new Date('2021-06-01T14:00:00Z');
const INTEGRITY = `{ auditIntegrity { ok checked firstBrokenId problems checkpointSeq checkpointAt } }`;
const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`;
const REQUEST = `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id } }`;
const DECIDE = `mutation($input: DecideApprovalRequestInput!) { decideApprovalRequest(input: $input) { id status } }`;
const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.';

interface Integrity {
  ok: boolean;
  checked: number;
  firstBrokenId: string | null;
  problems: string[];
  checkpointSeq: string | null;
  checkpointAt: string | null;
}

async function integrity(s: TestServer): Promise<Integrity> {
  const hq = await s.as(HQ);
  return (await hq.ok<{ auditIntegrity: Integrity }>(INTEGRITY)).auditIntegrity;
}

const checkpointFile = (s: TestServer) => path.join(s.dataDir, 'audit-checkpoints.ndjson');

async function checkpointLines(s: TestServer): Promise<{ seq: string; hash: string }[]> {
  const text = await fs.readFile(checkpointFile(s), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { seq: string; hash: string });
}

async function head(s: TestServer): Promise<{ last_seq: string; last_hash: string }> {
  const [h] = await s.sql<{ last_seq: string; last_hash: string }>(
    `SELECT last_seq, last_hash FROM audit_chain_head`,
  );
  return h;
}

/** As the superuser, with every trigger off for this one transaction. */
async function tamper(s: TestServer, statements: [string, unknown[]?][]): Promise<void> {
  await s.admin.transaction(async (m) => {
    await m.query('SET LOCAL session_replication_role = replica');
    for (const [sql, params] of statements) await m.query(sql, params ?? []);
  });
}

/**
 * What an attacker with the database but not the key does after editing a record: recompute every
 * link from `fromSeq` on with `hash(prev, seq, payload)` and move the head to the new end.
 */
async function rechain(
  s: TestServer,
  fromSeq: string,
  hash: (prev: string, seq: string, payload: string, insertion: string) => string,
  keyVersion?: number,
): Promise<void> {
  const rows = (await s.sql(`SELECT * FROM audit_log WHERE seq >= $1 - 1 ORDER BY seq`, [
    fromSeq,
  ])) as Record<string, unknown>[];
  let prev = fromSeq === '1' ? GENESIS_HASH : (rows.shift()!.hash as string);
  const statements: [string, unknown[]][] = [];
  for (const row of rows) {
    const a = rowToAudit(row);
    const seq = a.seq!;
    const h = hash(prev, seq, hashPayload(contentOf(a)), a.insertion);
    statements.push([
      `UPDATE audit_log SET prev_hash = $2, hash = $3, key_version = coalesce($4, key_version) WHERE seq = $1`,
      [seq, prev, h, keyVersion ?? null],
    ]);
    statements.push([`UPDATE audit_chain_head SET last_seq = $1, last_hash = $2`, [seq, h]]);
    prev = h;
  }
  await tamper(s, statements);
}

/** A fresh database with an approved pre-approval request on record, checkpointed. */
async function withDecision(work: (s: TestServer, decisionSeq: string) => Promise<void>) {
  const s = await startTestServer({ now: START });
  try {
    const officer = await s.as(OFFICER_NYC);
    const supervisor = await s.as(SUPERVISOR_NYC);
    const c = await openCase(officer, { facts: { firstPresentOn: '2005-03-01' } });
    await officer.ok(ASSESS, { input: { caseId: c.id } });
    const req = await officer.ok<{ requestApproval: { id: string } }>(REQUEST, {
      input: { caseId: c.id, actionType: 'ARREST', justification: JUSTIFICATION },
    });
    const decided = await supervisor.ok<{ decideApprovalRequest: { status: string } }>(DECIDE, {
      input: { id: req.requestApproval.id, decision: 'APPROVE', reason: 'Justified.' },
    });
    expect(decided.decideApprovalRequest.status).toBe('APPROVED');
    await openCase(officer);
    await openCase(officer);
    await s.chained();
    await s.service.checkpointer.flush();
    const [decision] = await s.sql<{ seq: string }>(
      `SELECT seq FROM audit_log WHERE operation = 'decideApprovalRequest'`,
    );
    const before = await integrity(s);
    expect(before).toMatchObject({ ok: true, problems: [], firstBrokenId: null });
    expect(before.checkpointSeq).toBe((await head(s)).last_seq);
    await work(s, decision.seq);
  } finally {
    await s.stop();
  }
}

describe('auditIntegrity reports what a database superuser does to the log', () => {
  test('the last records deleted and the head moved back to an intact record', async () => {
    await withDecision(async (s) => {
      const rows = await s.sql<{ seq: string; hash: string }>(
        `SELECT seq, hash FROM audit_log ORDER BY seq`,
      );
      const keep = rows[rows.length - 3];
      await tamper(s, [
        [`DELETE FROM audit_log WHERE seq > $1`, [keep.seq]],
        [`UPDATE audit_chain_head SET last_seq = $1, last_hash = $2`, [keep.seq, keep.hash]],
      ]);
      const result = await integrity(s);
      expect(result.ok).toBe(false);
      expect(result.firstBrokenId).toBe(String(BigInt(keep.seq) + 1n));
      expect(result.checkpointSeq).toBe(rows[rows.length - 1].seq);
      expect(result.problems.join(' ')).toMatch(/records are missing/);
    });
  });

  test.each([
    ['with the old unkeyed algorithm', chainHash, undefined],
    ['with the old algorithm, marked as unkeyed records', chainHash, 0],
    [
      'with a guessed key',
      (prev: string, seq: string, payload: string, insertion: string) =>
        linkHash(
          deriveAuditKeys('a guessed audit key, 32 characters long'),
          CHAINED_VERSION,
          prev,
          seq,
          payload,
          insertion,
        )!,
      undefined,
    ],
    [
      'with a guessed key, marked as records of key version 1 (before the chainer)',
      (prev: string, seq: string, payload: string) =>
        linkHash(
          deriveAuditKeys('a guessed audit key, 32 characters long'),
          KEYED_VERSION,
          prev,
          seq,
          payload,
        )!,
      KEYED_VERSION,
    ],
  ])(
    'a decision changed from APPROVED to DENIED, every later hash recomputed %s',
    async (_, hash, version) => {
      await withDecision(async (s, decisionSeq) => {
        await tamper(s, [
          [
            `UPDATE audit_log SET change = jsonb_set(change, '{status,after}', '"DENIED"') WHERE seq = $1`,
            [decisionSeq],
          ],
        ]);
        await rechain(s, decisionSeq, hash, version);
        const result = await integrity(s);
        expect(result.ok).toBe(false);
        expect(result.firstBrokenId).toBe(decisionSeq);
        expect(result.problems.length).toBeGreaterThan(0);
      });
    },
  );

  test('the whole chain rebuilt from genesis without the key is reported', async () => {
    await withDecision(async (s) => {
      await rechain(s, '1', chainHash, 0);
      const result = await integrity(s);
      expect(result.ok).toBe(false);
      expect(result.problems.join(' ')).toMatch(/unkeyed|rebuilt/);
    });
  });

  test('the log wiped and the head reset to genesis', async () => {
    await withDecision(async (s) => {
      const checkpointed = (await head(s)).last_seq;
      await tamper(s, [
        [`DELETE FROM audit_log`],
        [`UPDATE audit_chain_head SET last_seq = 0, last_hash = $1`, [GENESIS_HASH]],
      ]);
      const result = await integrity(s);
      expect(result).toMatchObject({ ok: false, checked: 0, checkpointSeq: checkpointed });
      expect(result.problems.join(' ')).toMatch(/records are missing/);
    });
  });
});

describe('checkpoints', () => {
  test('are written within about a second while records are appended, and not when the head stands still', async () => {
    const s = await startTestServer();
    try {
      const officer = await s.as(OFFICER_NYC);
      await openCase(officer);
      await s.chained();
      const target = (await head(s)).last_seq;
      const started = Date.now();
      while (!(await checkpointLines(s)).some((c) => c.seq === target)) {
        expect(Date.now() - started).toBeLessThan(2500);
        await new Promise((r) => setTimeout(r, 50));
      }
      const lines = (await checkpointLines(s)).length;
      await new Promise((r) => setTimeout(r, 1300));
      expect(await checkpointLines(s)).toHaveLength(lines);
    } finally {
      await s.stop();
    }
  });

  test('the last one is written at stop, after what was committed is chained', async () => {
    // Neither the chainer nor the checkpointer runs on its own during the test.
    const s = await startTestServer({
      checkpointIntervalMs: 3_600_000,
      env: { AUDIT_CHAIN_INTERVAL_MS: '60000' },
    });
    let stopped = false;
    try {
      const officer = await s.as(OFFICER_NYC);
      const c = await openCase(officer);
      const linesBefore = (await checkpointLines(s)).length;
      const file = checkpointFile(s);
      await s.service.stop();
      stopped = true;
      const text = await fs.readFile(file, 'utf8');
      expect(text.trim().split('\n')).toHaveLength(linesBefore + 1);
      const last = JSON.parse(text.trim().split('\n').pop()!) as { seq: string; hash: string };
      const h = await head(s);
      expect(last).toMatchObject({ seq: h.last_seq, hash: h.last_hash });
      // The case's record is in the chain the last checkpoint covers.
      const [record] = await s.sql<{ seq: string | null }>(
        `SELECT seq FROM audit_log WHERE $1::uuid = ANY(record_ids) AND operation = 'openCase'`,
        [c.id],
      );
      expect(record.seq).not.toBeNull();
      expect(BigInt(record.seq!)).toBeLessThanOrEqual(BigInt(h.last_seq));
    } finally {
      await s.stop().catch((err: unknown) => {
        if (!stopped) throw err;
      });
    }
  });

  test('a forged checkpoint line (bad signature) and a missing checkpoint file are reported', async () => {
    const s = await startTestServer();
    try {
      const officer = await s.as(OFFICER_NYC);
      await openCase(officer);
      await s.chained();
      await s.service.checkpointer.flush();
      expect((await integrity(s)).ok).toBe(true);
      const h = await head(s);
      // Claims the log went further than it did, signed with a guessed key.
      const forged = {
        seq: String(BigInt(h.last_seq) + 5n),
        hash: 'a'.repeat(64),
        at: new Date().toISOString(),
        sig: 'b'.repeat(64),
      };
      await fs.appendFile(checkpointFile(s), `${JSON.stringify(forged)}\n`);
      const forgedResult = await integrity(s);
      expect(forgedResult.ok).toBe(false);
      expect(forgedResult.checkpointSeq).toBe(h.last_seq);
      expect(forgedResult.problems.join(' ')).toMatch(/not validly signed/);

      await fs.rm(checkpointFile(s));
      const missing = await integrity(s);
      expect(missing).toMatchObject({ ok: false, checkpointSeq: null });
      expect(missing.problems.join(' ')).toMatch(/no audit checkpoint/);
    } finally {
      await s.stop();
    }
  });
});

describe("the service's database login", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.stop();
  });

  test.each([
    ['ALTER TABLE audit_log DISABLE TRIGGER ALL'],
    ['TRUNCATE audit_log'],
    [`UPDATE audit_log SET reason = 'edited'`],
    ['DELETE FROM audit_log'],
    ['UPDATE audit_chain_head SET last_seq = 0'],
    ['DELETE FROM audit_chain_head'],
    ['DROP TABLE audit_log'],
    ['SET session_replication_role = replica'],
  ])('cannot %s (permission denied, nothing changed)', async (sql) => {
    const before = await fingerprint(s);
    const client = new PgClient({ connectionString: serviceDatabaseUrl(s.database) });
    await client.connect();
    try {
      const [{ current_user: user }] = (await client.query('SELECT current_user')).rows as {
        current_user: string;
      }[];
      expect(user).toBe('ep_test_service');
      await expect(client.query(sql)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.end();
    }
    expect(await fingerprint(s)).toEqual(before);
  });

  test('is the one the service runs on, and passes its own start check', async () => {
    const [row] = (await s.service.dataSource.query(
      `SELECT current_user AS name, rolsuper AS super FROM pg_roles WHERE rolname = current_user`,
    )) as { name: string; super: boolean }[];
    expect(row).toEqual({ name: 'ep_test_service', super: false });
  });

  test('in production, a login that could rewrite the audit log is refused, naming DATABASE_URL', async () => {
    const database = s.database;
    let err: unknown;
    try {
      const other = await startTestServer({
        env: { NODE_ENV: 'production', DATABASE_URL: databaseUrl(database) },
      });
      await other.stop();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe('DATABASE_URL');
    expect((err as Error).message).toMatch(/superuser/);
  });
});
