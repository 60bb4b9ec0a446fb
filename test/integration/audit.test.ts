/**
 * The audit log through the real server: one CHANGE record per mutation, one READ record per
 * response that shows subject identity, the hash chain (and what tampering does to it), the
 * append-only trigger, concurrent writers, and who may read the trail.
 */
import { caseInput, codes, openCase } from '../helpers/given';
import {
  Client,
  fingerprint,
  HQ,
  OFFICER2_NYC,
  OFFICER_LAX,
  OFFICER_NYC,
  startTestServer,
  SUPERVISOR_LAX,
  SUPERVISOR_NYC,
  TestServer,
} from '../helpers/server';

interface AuditRow {
  insertion: string;
  seq: string;
  occurred_at: Date;
  kind: string;
  actor_id: string | null;
  actor_role: string | null;
  actor_office_id: string | null;
  operation: string;
  record_type: string | null;
  record_ids: string[];
  office_ids: string[];
  reason: string | null;
  change: any;
  request_id: string | null;
  prev_hash: string;
  hash: string;
  key_version: number;
  mac: string | null;
}

const OPEN = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { id version } }`;
const UPDATE = `mutation Update($input: UpdateCaseFactsInput!) { updateCaseFacts(input: $input) { id version } }`;
const CLOSE = `mutation Close($input: CloseCaseInput!) { closeCase(input: $input) { id status } }`;
const CREATE_OFFICE = `mutation CreateOffice($input: CreateOfficeInput!) { createOffice(input: $input) { id code } }`;
const CREATE_USER = `mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id email } }`;
const DEACTIVATE = `mutation Deactivate($input: DeactivateUserInput!) { deactivateUser(input: $input) { id active } }`;
const INTEGRITY = `{ auditIntegrity { ok checked firstBrokenId } }`;
const TRAIL = `query Trail($recordId: ID, $first: Int, $after: String) {
  auditTrail(recordId: $recordId, first: $first, after: $after) {
    edges { cursor node { id chainPosition kind operation actorId actorRole actorOfficeId recordType recordIds reason requestId hash } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Every record, in chain order, once the chainer has linked all that is committed. */
async function allRows(server: TestServer): Promise<AuditRow[]> {
  await server.chained();
  return server.sql<AuditRow>(`SELECT * FROM audit_log ORDER BY seq`);
}

/** The trail's order: newest insertion first. */
function newestFirst(rows: AuditRow[]): AuditRow[] {
  return [...rows].sort((a, b) => Number(BigInt(b.insertion) - BigInt(a.insertion)));
}

async function countKind(server: TestServer, kind: string): Promise<number> {
  const [row] = await server.sql<{ n: string }>(
    `SELECT count(*)::text AS n FROM audit_log WHERE kind = $1`,
    [kind],
  );
  return Number(row.n);
}

async function officeId(server: TestServer, code: string): Promise<string> {
  const [row] = await server.sql<{ id: string }>(`SELECT id FROM offices WHERE code = $1`, [code]);
  return row.id;
}

/** Every row links to the one before it, from the genesis hash, with no gap in `seq`. */
function expectIntactLinks(rows: AuditRow[]): void {
  let prev = '0'.repeat(64);
  rows.forEach((row, i) => {
    expect(row.seq).toBe(String(i + 1));
    expect(row.prev_hash).toBe(prev);
    prev = row.hash;
  });
}

/**
 * Runs one mutation and checks it left exactly one CHANGE record (and nothing else) at the end of
 * the chain, linked to the previous end. Returns that record and the response data.
 */
async function oneChange(
  server: TestServer,
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  requestId: string,
): Promise<{ row: AuditRow; data: any }> {
  const before = await allRows(server);
  const changesBefore = await countKind(server, 'CHANGE');
  const res = await client.request(query, variables, { 'x-request-id': requestId });
  expect(res.errors).toBeUndefined();
  const after = await allRows(server);
  expect(await countKind(server, 'CHANGE')).toBe(changesBefore + 1);
  expect(after).toHaveLength(before.length + 1);
  // The earlier rows are untouched.
  expect(after.slice(0, before.length)).toEqual(before);
  const row = after[after.length - 1];
  const prev = before[before.length - 1];
  expect(row.kind).toBe('CHANGE');
  expect(row.seq).toBe(String(BigInt(prev.seq) + 1n));
  expect(row.prev_hash).toBe(prev.hash);
  expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(row.request_id).toBe(requestId);
  const [head] = await server.sql<{ last_seq: string; last_hash: string }>(
    `SELECT last_seq, last_hash FROM audit_chain_head`,
  );
  expect(head).toEqual({ last_seq: row.seq, last_hash: row.hash });
  return { row, data: res.data };
}

async function integrity(server: TestServer) {
  const hq = await server.as(HQ);
  const data = await hq.ok<{
    auditIntegrity: { ok: boolean; checked: number; firstBrokenId: string | null };
  }>(INTEGRITY);
  return data.auditIntegrity;
}

/** Every page of the caller's audit trail, newest first. */
async function wholeTrail(
  client: Client,
  recordId?: string,
  pageSize = 7,
): Promise<{ id: string; recordIds: string[]; [k: string]: any }[]> {
  const out: any[] = [];
  let after: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const data: any = await client.ok(TRAIL, { recordId, first: pageSize, after });
    const conn = data.auditTrail;
    expect(conn.edges.length).toBeLessThanOrEqual(pageSize);
    out.push(...conn.edges.map((e: any) => e.node));
    if (!conn.pageInfo.hasNextPage) return out;
    expect(conn.edges).toHaveLength(pageSize);
    after = conn.pageInfo.endCursor;
  }
  throw new Error('the audit trail never ended');
}

/** As the database superuser, with the append-only trigger off for this one transaction. */
async function tamper(server: TestServer, sql: string, params: unknown[] = []): Promise<void> {
  await server.admin.transaction(async (m) => {
    await m.query('SET LOCAL session_replication_role = replica');
    await m.query(sql, params);
  });
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('every mutation writes exactly one CHANGE record', () => {
  test('openCase, updateCaseFacts, closeCase, createOffice, createUser, deactivateUser', async () => {
    const nyc = await officeId(server, 'NYC');
    const officer = await server.as(OFFICER_NYC);
    const supervisor = await server.as(SUPERVISOR_NYC);
    const hq = await server.as(HQ);
    const officerId = await server.userId(OFFICER_NYC);
    const supervisorId = await server.userId(SUPERVISOR_NYC);
    const hqId = await server.userId(HQ);

    // openCase
    const input = caseInput();
    const opened = await oneChange(server, officer, OPEN, { input }, 'req-open-1');
    const caseId = opened.data.openCase.id as string;
    expect(opened.row).toMatchObject({
      actor_id: officerId,
      actor_role: 'FIELD_OFFICER',
      actor_office_id: nyc,
      operation: 'openCase',
      record_type: 'Case',
      record_ids: [caseId],
      office_ids: [nyc],
    });
    expect(opened.row.change.after.status).toBe('OPEN');
    // The identity itself stays out of the audit trail.
    const openedText = JSON.stringify(opened.row.change);
    expect(openedText).not.toContain(input.subject.name);
    expect(openedText).not.toContain(input.subject.aNumber);

    // updateCaseFacts
    const updated = await oneChange(
      server,
      officer,
      UPDATE,
      {
        input: {
          caseId,
          expectedVersion: 1,
          facts: { firstPresentOn: '2019-01-01' },
          reason: 'New records from the port of entry',
        },
      },
      'req-update-1',
    );
    expect(updated.data.updateCaseFacts.version).toBe(2);
    expect(updated.row).toMatchObject({
      actor_id: officerId,
      actor_role: 'FIELD_OFFICER',
      actor_office_id: nyc,
      operation: 'updateCaseFacts',
      record_type: 'Case',
      record_ids: [caseId],
      office_ids: [nyc],
      reason: 'New records from the port of entry',
    });
    expect(updated.row.change.version).toEqual({ before: 1, after: 2 });
    expect(updated.row.change.facts.firstPresentOn).toEqual({ before: null, after: '2019-01-01' });

    // closeCase, by the supervisor
    const closed = await oneChange(
      server,
      supervisor,
      CLOSE,
      { input: { caseId, expectedVersion: 2, reason: 'Duplicate of another case' } },
      'req-close-1',
    );
    expect(closed.data.closeCase.status).toBe('CLOSED');
    expect(closed.row).toMatchObject({
      actor_id: supervisorId,
      actor_role: 'SUPERVISOR',
      actor_office_id: nyc,
      operation: 'closeCase',
      record_type: 'Case',
      record_ids: [caseId],
      office_ids: [nyc],
      reason: 'Duplicate of another case',
    });
    expect(closed.row.change.status).toEqual({ before: 'OPEN', after: 'CLOSED' });

    // createOffice, by headquarters (no office of its own)
    const office = await oneChange(
      server,
      hq,
      CREATE_OFFICE,
      { input: { code: 'BOS', name: 'Boston Field Office', timeZone: 'America/New_York' } },
      'req-office-1',
    );
    const bos = office.data.createOffice.id as string;
    expect(office.row).toMatchObject({
      actor_id: hqId,
      actor_role: 'HEADQUARTERS',
      actor_office_id: null,
      operation: 'createOffice',
      record_type: 'Office',
      record_ids: [bos],
      office_ids: [bos],
    });
    expect(office.row.change.after).toEqual({
      code: 'BOS',
      name: 'Boston Field Office',
      timeZone: 'America/New_York',
    });

    // createUser
    const user = await oneChange(
      server,
      hq,
      CREATE_USER,
      {
        input: {
          email: 'new.officer.bos@example.gov',
          name: 'Bea Bosworth',
          role: 'FIELD_OFFICER',
          officeCode: 'BOS',
        },
      },
      'req-user-1',
    );
    const userId = user.data.createUser.id as string;
    expect(user.row).toMatchObject({
      actor_id: hqId,
      actor_role: 'HEADQUARTERS',
      actor_office_id: null,
      operation: 'createUser',
      record_type: 'User',
      record_ids: [userId],
      office_ids: [bos],
    });
    expect(user.row.change.after).toMatchObject({
      email: 'new.officer.bos@example.gov',
      role: 'FIELD_OFFICER',
      officeCode: 'BOS',
    });

    // deactivateUser
    const deactivated = await oneChange(
      server,
      hq,
      DEACTIVATE,
      { input: { userId, reason: 'Left the service' } },
      'req-deactivate-1',
    );
    expect(deactivated.data.deactivateUser.active).toBe(false);
    expect(deactivated.row).toMatchObject({
      actor_id: hqId,
      actor_role: 'HEADQUARTERS',
      actor_office_id: null,
      operation: 'deactivateUser',
      record_type: 'User',
      record_ids: [userId],
      office_ids: [bos],
      reason: 'Left the service',
    });
    expect(deactivated.row.change).toEqual({ before: { active: true }, after: { active: false } });

    expectIntactLinks(await allRows(server));
    expect(await integrity(server)).toEqual({
      ok: true,
      checked: (await allRows(server)).length,
      firstBrokenId: null,
    });
  });

  test('without an x-request-id header, the generated id sent back is the one stored', async () => {
    const officer = await server.as(OFFICER_NYC);
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${officer.token}` },
      body: JSON.stringify({ query: OPEN, variables: { input: caseInput() } }),
    });
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    const sent = res.headers.get('x-request-id');
    expect(sent).toMatch(/^[0-9a-f-]{36}$/);
    const rows = await allRows(server);
    const last = rows[rows.length - 1];
    expect(last.record_ids).toEqual([body.data.openCase.id]);
    expect(last.request_id).toBe(sent);
  });
});

describe('a failed mutation writes no audit record and changes nothing', () => {
  test('class-validator failure (bad A-number)', async () => {
    const officer = await server.as(OFFICER_NYC);
    const before = await fingerprint(server);
    const res = await officer.request(OPEN, {
      input: caseInput({ subject: { aNumber: 'not-a-number' } }),
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0].extensions?.field).toBe('input.subject.aNumber');
    expect(await fingerprint(server)).toEqual(before);
  });

  test('service validation failure (date of birth in the future)', async () => {
    const officer = await server.as(OFFICER_NYC);
    const before = await fingerprint(server);
    const res = await officer.request(OPEN, {
      input: caseInput({ subject: { dateOfBirth: '2999-01-01' } }),
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(await fingerprint(server)).toEqual(before);
  });

  test('conflict (closing a closed case) and duplicate office', async () => {
    const officer = await server.as(OFFICER_NYC);
    const hq = await server.as(HQ);
    const c = await openCase(officer);
    await officer.ok(CLOSE, { input: { caseId: c.id, reason: 'Closed once' } });
    const before = await fingerprint(server);
    const again = await officer.request(CLOSE, { input: { caseId: c.id, reason: 'Closed twice' } });
    expect(codes(again)).toEqual(['CONFLICT']);
    const dup = await hq.request(CREATE_OFFICE, {
      input: { code: 'NYC', name: 'Another New York', timeZone: 'America/New_York' },
    });
    expect(codes(dup)).toEqual(['BAD_USER_INPUT']);
    expect(await fingerprint(server)).toEqual(before);
  });

  test('denied by role (an officer creating an office)', async () => {
    const officer = await server.as(OFFICER_NYC);
    const before = await fingerprint(server);
    const res = await officer.request(CREATE_OFFICE, {
      input: { code: 'SEA', name: 'Seattle Field Office', timeZone: 'America/Los_Angeles' },
    });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.data).toBeNull();
    expect(await fingerprint(server)).toEqual(before);
  });

  test('if the audit record cannot be written, the change is rolled back too', async () => {
    const officer = await server.as(OFFICER_NYC);
    const before = await fingerprint(server);
    await server.sql(`ALTER TABLE audit_log RENAME TO audit_log_gone`);
    let res;
    try {
      res = await officer.request(OPEN, { input: caseInput() });
    } finally {
      await server.sql(`ALTER TABLE audit_log_gone RENAME TO audit_log`);
    }
    expect(codes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(await fingerprint(server)).toEqual(before);
  });
});

describe('reads of subject identity', () => {
  const SUBJECTS = `query ListSubjects { cases(first: 3) { edges { node { id subject { name aNumber } } } } }`;
  const NO_SUBJECTS = `query ListFacts { cases(first: 3) { edges { node { id status facts { firstPresentOn convictions { offense } } openedBy { email } } } } }`;

  test('a list showing 3 subjects writes exactly one READ record naming the 3 cases', async () => {
    const officer = await server.as(OFFICER2_NYC);
    const supervisor = await server.as(SUPERVISOR_NYC);
    const nyc = await officeId(server, 'NYC');
    // The test clock stands still: move it so that these three are the newest cases.
    const created = [];
    for (let i = 0; i < 3; i++) {
      server.clock.advance(60_000);
      created.push(await openCase(officer));
    }
    const ids = created.map((c) => c.id).sort();
    const before = await allRows(server);
    const changes = await countKind(server, 'CHANGE');
    const res = await supervisor.request(SUBJECTS, undefined, { 'x-request-id': 'read-3' });
    expect(res.errors).toBeUndefined();
    const shown = (res.data as any).cases.edges.map((e: any) => e.node.id as string).sort();
    expect(shown).toEqual(ids);
    const after = await allRows(server);
    expect(after).toHaveLength(before.length + 1);
    expect(await countKind(server, 'CHANGE')).toBe(changes);
    const row = after[after.length - 1];
    expect(row).toMatchObject({
      kind: 'READ',
      actor_id: await server.userId(SUPERVISOR_NYC),
      actor_role: 'SUPERVISOR',
      actor_office_id: nyc,
      record_type: 'Case',
      office_ids: [nyc],
      request_id: 'read-3',
      prev_hash: before[before.length - 1].hash,
    });
    expect([...row.record_ids].sort()).toEqual(ids);
    expect(row.seq).toBe(String(BigInt(before[before.length - 1].seq) + 1n));
    // The audit record says that identity was shown, not what it was.
    expect(row.change).toEqual({
      operationName: 'ListSubjects',
      rootFields: 'cases',
      recordsByOffice: { [row.office_ids[0]]: [...row.record_ids].sort() },
    });
  });

  test('the same case shown twice in one response is named once, in one record', async () => {
    const officer = await server.as(OFFICER2_NYC);
    const c = await openCase(officer);
    const before = await allRows(server);
    const res = await officer.request(
      `query Twice($id: ID!) { a: case(id: $id) { subject { name } } b: case(id: $id) { subject { aNumber } } }`,
      { id: c.id },
    );
    expect(res.errors).toBeUndefined();
    const after = await allRows(server);
    expect(after).toHaveLength(before.length + 1);
    expect(after[after.length - 1]).toMatchObject({ kind: 'READ', record_ids: [c.id] });
  });

  test('a query not selecting subject writes no audit record', async () => {
    const supervisor = await server.as(SUPERVISOR_NYC);
    const before = await fingerprint(server);
    const res = await supervisor.request(NO_SUBJECTS);
    expect(res.errors).toBeUndefined();
    expect((res.data as any).cases.edges).toHaveLength(3);
    expect(await fingerprint(server)).toEqual(before);
  });

  test('a subject that is not shown (another office: NOT_FOUND) is not audited as read', async () => {
    const lax = await server.as(OFFICER_LAX);
    const nycOfficer = await server.as(OFFICER_NYC);
    const c = await openCase(lax);
    const before = await fingerprint(server);
    const res = await nycOfficer.request(
      `query One($id: ID!) { case(id: $id) { subject { name } } }`,
      {
        id: c.id,
      },
    );
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(await fingerprint(server)).toEqual(before);
  });

  test('a mutation that returns the subject writes its CHANGE record and then one READ record', async () => {
    const officer = await server.as(OFFICER_NYC);
    const before = await allRows(server);
    const res = await officer.request(
      `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { id subject { name } } }`,
      { input: caseInput() },
    );
    expect(res.errors).toBeUndefined();
    const id = (res.data as any).openCase.id as string;
    const added = (await allRows(server)).slice(before.length);
    expect(added.map((r) => [r.kind, r.operation, r.record_ids])).toEqual([
      ['CHANGE', 'openCase', [id]],
      ['READ', 'readSubjectIdentity', [id]],
    ]);
  });
});

describe('the append-only trigger', () => {
  test.each([
    ['UPDATE', `UPDATE audit_log SET reason = 'edited' WHERE seq = 1`],
    ['DELETE', `DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)`],
    ['TRUNCATE', `TRUNCATE audit_log`],
  ])('a plain %s on audit_log fails and changes nothing', async (_kind, sql) => {
    const before = await fingerprint(server);
    await expect(server.sql(sql)).rejects.toThrow(/append-only/);
    expect(await fingerprint(server)).toEqual(before);
  });
});

describe('concurrent writers never fork the chain', () => {
  test('20 openCase mutations at once from several clients', async () => {
    const clients = await Promise.all(
      [OFFICER_NYC, OFFICER2_NYC, SUPERVISOR_NYC, OFFICER_LAX, SUPERVISOR_LAX].map((e) =>
        server.as(e),
      ),
    );
    const before = await allRows(server);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        clients[i % clients.length].request(
          OPEN,
          { input: caseInput() },
          {
            'x-request-id': `concurrent-${i}`,
          },
        ),
      ),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const caseIds = results.map((r) => (r.data as any).openCase.id as string).sort();
    expect(new Set(caseIds).size).toBe(20);

    const rows = await allRows(server);
    const added = rows.slice(before.length);
    expect(added).toHaveLength(20);
    expect(added.every((r) => r.kind === 'CHANGE' && r.operation === 'openCase')).toBe(true);
    expect(added.map((r) => r.record_ids[0]).sort()).toEqual(caseIds);
    expect(added.map((r) => r.request_id).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `concurrent-${i}`).sort(),
    );
    expectIntactLinks(rows);
    expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length);
    expect(await integrity(server)).toEqual({
      ok: true,
      checked: rows.length,
      firstBrokenId: null,
    });
  });
});

describe('auditTrail', () => {
  let laxCase: string;
  let nycCase: string;
  beforeAll(async () => {
    const nycOfficer = await server.as(OFFICER_NYC);
    const laxOfficer = await server.as(OFFICER_LAX);
    nycCase = (await openCase(nycOfficer)).id;
    await nycOfficer.ok(UPDATE, {
      input: { caseId: nycCase, expectedVersion: 1, facts: { firstPresentOn: '2018-05-05' } },
    });
    laxCase = (await openCase(laxOfficer)).id;
    await laxOfficer.ok(`query One($id: ID!) { case(id: $id) { subject { name } } }`, {
      id: laxCase,
    });
  });

  test('headquarters sees every record, newest first, page by page', async () => {
    const hq = await server.as(HQ);
    const expected = newestFirst(await allRows(server)).map((r) => r.insertion);
    const trail = await wholeTrail(hq, undefined, 7);
    expect(trail.map((n) => n.id)).toEqual(expected);
    const stored = new Map((await allRows(server)).map((r) => [r.insertion, r]));
    for (const node of trail) {
      const row = stored.get(node.id)!;
      expect(node).toMatchObject({
        chainPosition: row.seq,
        kind: row.kind,
        operation: row.operation,
        actorId: row.actor_id,
        recordIds: row.record_ids,
        requestId: row.request_id,
        hash: row.hash,
      });
    }
    const first = await hq.ok<any>(TRAIL, { first: 2 });
    expect(first.auditTrail.edges.map((e: any) => e.node.id)).toEqual(expected.slice(0, 2));
    expect(first.auditTrail.pageInfo.hasNextPage).toBe(true);
    const second = await hq.ok<any>(TRAIL, {
      first: 2,
      after: first.auditTrail.pageInfo.endCursor,
    });
    expect(second.auditTrail.edges.map((e: any) => e.node.id)).toEqual(expected.slice(2, 4));
  });

  test('a supervisor sees the records of their office only', async () => {
    const nyc = await officeId(server, 'NYC');
    const supervisor = await server.as(SUPERVISOR_NYC);
    const trail = await wholeTrail(supervisor);
    const rows = await allRows(server);
    const expected = newestFirst(rows)
      .filter((r) => r.office_ids.includes(nyc) || r.actor_office_id === nyc)
      .map((r) => r.insertion);
    expect(trail.map((n) => n.id)).toEqual(expected);
    expect(trail.length).toBeGreaterThan(0);
    const ids = trail.flatMap((n) => n.recordIds);
    expect(ids).toContain(nycCase);
    expect(ids).not.toContain(laxCase);
    // The LAX supervisor, in turn, sees the LAX case and not the NYC one.
    const laxTrail = await wholeTrail(await server.as(SUPERVISOR_LAX));
    const laxIds = laxTrail.flatMap((n) => n.recordIds);
    expect(laxIds).toContain(laxCase);
    expect(laxIds).not.toContain(nycCase);
  });

  test('a supervisor asking for a record of another office gets nothing', async () => {
    const supervisor = await server.as(SUPERVISOR_NYC);
    const data = await supervisor.ok<any>(TRAIL, { recordId: laxCase });
    expect(data.auditTrail.edges).toEqual([]);
  });

  // One READ record names the cases of every office a headquarters response showed; a supervisor
  // sees that record with their own office's ids only, and cannot find it by another office's id.
  test('cross-office READ record: the NYC supervisor sees only NYC case ids of a headquarters read', async () => {
    const hq = await server.as(HQ);
    const res = await hq.request(
      `{ cases(first: 200) { edges { node { id subject { name } } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const shown = (res.data as any).cases.edges.map((e: any) => e.node.id as string);
    expect(shown).toEqual(expect.arrayContaining([nycCase, laxCase]));
    const rows = await allRows(server);
    expect(rows[rows.length - 1]).toMatchObject({ kind: 'READ', actor_role: 'HEADQUARTERS' });
    expect(rows[rows.length - 1].record_ids).toEqual(expect.arrayContaining([laxCase]));

    const supervisor = await server.as(SUPERVISOR_NYC);
    const laxCases = (
      await server.sql<{ id: string }>(
        `SELECT c.id FROM cases c JOIN offices o ON o.id = c.office_id WHERE o.code = 'LAX'`,
      )
    ).map((r) => r.id);
    const seen = (await wholeTrail(supervisor)).flatMap((n) => n.recordIds);
    expect(seen.filter((id) => laxCases.includes(id))).toEqual([]);
    const byRecord = await supervisor.ok<any>(TRAIL, { recordId: laxCase });
    expect(byRecord.auditTrail.edges).toEqual([]);
    // The same record, found by the NYC case id, names the NYC cases it showed.
    const hqRead = rows[rows.length - 1];
    const mine = await supervisor.ok<any>(TRAIL, { recordId: nycCase });
    const node = mine.auditTrail.edges.find((e: any) => e.node.id === hqRead.insertion)?.node;
    expect(node).toBeDefined();
    expect(node.recordIds).toContain(nycCase);
    expect(node.recordIds.filter((id: string) => laxCases.includes(id))).toEqual([]);
  });

  test('recordId returns only the records naming that record', async () => {
    const hq = await server.as(HQ);
    const trail = await wholeTrail(hq, nycCase, 2);
    const expected = newestFirst(await allRows(server))
      .filter((r) => r.record_ids.includes(nycCase))
      .map((r) => r.insertion);
    expect(trail.map((n) => n.id)).toEqual(expected);
    expect(trail.every((n) => n.recordIds.includes(nycCase))).toBe(true);
    expect(trail.map((n) => n.operation)).toEqual(
      expect.arrayContaining(['openCase', 'updateCaseFacts']),
    );
  });

  test('a recordId that is not an id is refused as input, not as a server error', async () => {
    const hq = await server.as(HQ);
    const res = await hq.request(TRAIL, { recordId: 'not-a-uuid' });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0].extensions?.field).toBe('recordId');
  });

  test('a bad cursor or page size is BAD_USER_INPUT', async () => {
    const hq = await server.as(HQ);
    expect(codes(await hq.request(TRAIL, { after: 'garbage' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await hq.request(TRAIL, { first: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await hq.request(TRAIL, { first: 201 }))).toEqual(['BAD_USER_INPUT']);
  });

  test.each([OFFICER_NYC, OFFICER_LAX])(
    'officer %s is FORBIDDEN the audit trail and integrity check',
    async (email) => {
      const officer = await server.as(email);
      const before = await fingerprint(server);
      const trail = await officer.request(TRAIL, { first: 5 });
      expect(codes(trail)).toEqual(['FORBIDDEN']);
      expect(trail.data).toBeNull();
      const check = await officer.request(INTEGRITY);
      expect(codes(check)).toEqual(['FORBIDDEN']);
      expect(check.data).toBeNull();
      expect(await fingerprint(server)).toEqual(before);
    },
  );

  test('a supervisor is FORBIDDEN the integrity check; anonymous callers are UNAUTHENTICATED', async () => {
    const before = await fingerprint(server);
    const sup = await (await server.as(SUPERVISOR_NYC)).request(INTEGRITY);
    expect(codes(sup)).toEqual(['FORBIDDEN']);
    const anon = await server.anonymous().request(TRAIL, {});
    expect(codes(anon)).toEqual(['UNAUTHENTICATED']);
    expect(await fingerprint(server)).toEqual(before);
  });
});

describe('auditIntegrity detects tampering', () => {
  /** A fresh database with a few records past the seed, so each tamper case stands alone. */
  async function withChain(work: (s: TestServer, rows: AuditRow[]) => Promise<void>) {
    const s = await startTestServer();
    try {
      const officer = await s.as(OFFICER_NYC);
      const c = await openCase(officer);
      await officer.ok(UPDATE, {
        input: { caseId: c.id, expectedVersion: 1, facts: { firstPresentOn: '2017-01-01' } },
      });
      await openCase(officer);
      await officer.ok(CLOSE, { input: { caseId: c.id, reason: 'Resolved elsewhere' } });
      const rows = await allRows(s);
      expect(rows.length).toBeGreaterThanOrEqual(5);
      expect(await integrity(s)).toEqual({ ok: true, checked: rows.length, firstBrokenId: null });
      await work(s, rows);
    } finally {
      await s.stop();
    }
  }

  test('an edited reason is reported at that row', async () => {
    await withChain(async (s, rows) => {
      const target = rows[rows.length - 1]; // closeCase: it has a reason
      expect(target.reason).toBe('Resolved elsewhere');
      await tamper(s, `UPDATE audit_log SET reason = 'Nothing to see' WHERE seq = $1`, [
        target.seq,
      ]);
      expect(await integrity(s)).toEqual({
        ok: false,
        checked: rows.length,
        firstBrokenId: target.seq,
      });
    });
  });

  test('an edited change is reported at that row', async () => {
    await withChain(async (s, rows) => {
      const target = rows[2]; // a middle row
      await tamper(s, `UPDATE audit_log SET change = '{"edited": true}'::jsonb WHERE seq = $1`, [
        target.seq,
      ]);
      expect(await integrity(s)).toEqual({ ok: false, checked: 3, firstBrokenId: target.seq });
    });
  });

  test('a rewritten change with the same content still verifies (no false alarm)', async () => {
    await withChain(async (s, rows) => {
      await tamper(s, `UPDATE audit_log SET change = change::text::jsonb`);
      expect(await integrity(s)).toEqual({ ok: true, checked: rows.length, firstBrokenId: null });
    });
  });

  test('a deleted middle row is reported at the next row', async () => {
    await withChain(async (s, rows) => {
      const victim = rows[2];
      const next = rows[3];
      await tamper(s, `DELETE FROM audit_log WHERE seq = $1`, [victim.seq]);
      expect(await integrity(s)).toEqual({ ok: false, checked: 3, firstBrokenId: next.seq });
    });
  });

  test('a deleted last row is reported', async () => {
    await withChain(async (s, rows) => {
      const last = rows[rows.length - 1];
      await tamper(s, `DELETE FROM audit_log WHERE seq = $1`, [last.seq]);
      expect(await integrity(s)).toEqual({
        ok: false,
        checked: rows.length - 1,
        firstBrokenId: last.seq,
      });
    });
  });

  test('a tampered chain head is reported', async () => {
    await withChain(async (s, rows) => {
      await tamper(s, `UPDATE audit_chain_head SET last_hash = repeat('f', 64)`);
      const result = await integrity(s);
      expect(result.ok).toBe(false);
      expect(result.checked).toBe(rows.length);
    });
  });
});
