/**
 * A weekly report's actions a page at a time (`actions(first, after)`), through the real GraphQL
 * server against a real PostgreSQL, from each of the three places a report is read from: a small
 * draft compiled whole and kept, a draft read from the live records a part at a time (the same
 * data through a second service that keeps no drafts, as a big week is read), and a submitted
 * revision's stored content. Every page joined is the whole list, every total equal, and a cursor
 * from one continues on the others.
 */
import { BORDER, NOT_PRESUMED, openCase } from '../helpers/given';
import { expectRefused } from '../helpers/refusals';
import { roleClients } from '../helpers/roles';
import { Client, HQ, startTestServer, TestServer } from '../helpers/server';

const WEEK = '2021-06-07';
const NARRATIVE =
  'The subject was boarding an international flight; no supervisor could be reached in time.';
const ACTION =
  'actionId type occurredAt location category basis policyVersion justification approver';
const REPORT = `query($weekStart: Date!, $first: Int, $after: String) {
  weeklyReport(officeCode: "NYC", weekStart: $weekStart) {
    status revision policyVersions
    actions(first: $first, after: $after) {
      totalCount
      edges { cursor node { ${ACTION} } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
    totalsByCategory { key count } totalsByActionType { key count } totalsByBasis { key count }
    requests { made approved denied pending withdrawn medianDecisionHours }
    exigentActions { actionId occurredAt justificationDueAt justificationSubmittedAt justification ratification }
    latePostActionCount missingPostActionCount
  }
}`;
const RECORD = `mutation($input: RecordEnforcementActionInput!) { recordEnforcementAction(input: $input) { id } }`;
const SUBMIT = `mutation($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { status } }`;

let server: TestServer;
/** A second service on the same database that keeps no drafts: every draft is read live. */
let live: TestServer;
let supervisor: Client;
let liveSupervisor: Client;
let hq: Client;

async function report(client: Client, first?: number, after?: string | null): Promise<any> {
  return (await client.ok<any>(REPORT, { weekStart: WEEK, first, after })).weeklyReport;
}

/** Every page, `first` at a time: the actions in order, checked page by page. */
async function pages(
  client: Client,
  first: number,
): Promise<{ actions: any[]; cursors: string[] }> {
  const actions: any[] = [];
  const cursors: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = (await report(client, first, after)).actions;
    expect(page.edges.length).toBeLessThanOrEqual(first);
    expect(page.pageInfo.hasPreviousPage).toBe(false);
    actions.push(...page.edges.map((e: any) => e.node));
    cursors.push(...page.edges.map((e: any) => e.cursor));
    if (!page.pageInfo.hasNextPage) return { actions, cursors };
    expect(page.edges).toHaveLength(first);
    expect(page.pageInfo.endCursor).toBe(page.edges[first - 1].cursor);
    after = page.pageInfo.endCursor;
  }
}

/** A report's parts but its page of actions. */
const rest = (r: any) => ({ ...r, actions: undefined, status: undefined, revision: undefined });

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2021-06-08T14:00:00Z') });
  live = await startTestServer({
    database: server.database,
    clock: server.clock,
    env: { REPORT_DRAFT_CACHE_ROWS: '0' },
  });
  const clients = await roleClients(server);
  supervisor = clients.supervisor;
  hq = await server.as(HQ);
  liveSupervisor = await live.as('supervisor.nyc@example.gov');
  const border = await openCase(clients.officer, { facts: BORDER });
  const other = await openCase(clients.officer, { facts: NOT_PRESUMED });
  for (const c of [border.id, other.id])
    await clients.officer.ok(
      `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`,
      {
        input: { caseId: c },
      },
    );
  // Thirteen actions over two days, three of them at the very same instant (ordered by id), and
  // one exigent arrest of a case that is not a presumed priority.
  const instants = [
    '2021-06-07T04:00:00.000Z',
    '2021-06-07T09:30:00.000Z',
    '2021-06-07T12:00:00.000Z',
    '2021-06-07T12:00:00.000Z',
    '2021-06-07T12:00:00.000Z',
    '2021-06-07T12:00:00.001Z',
    '2021-06-07T18:45:00.000Z',
    '2021-06-07T23:59:59.999Z',
    '2021-06-08T01:00:00.000Z',
    '2021-06-08T06:00:00.000Z',
    '2021-06-08T10:00:00.000Z',
    '2021-06-08T13:00:00.000Z',
  ];
  const types = ['ARREST', 'DETENTION', 'NOTICE_TO_APPEAR', 'DETAINER_ISSUED'];
  for (const [i, occurredAt] of instants.entries()) {
    await clients.officer.ok(RECORD, {
      input: { caseId: border.id, type: types[i % 4], occurredAt, location: `Place ${i}` },
    });
  }
  await clients.officer.ok(RECORD, {
    input: {
      caseId: other.id,
      type: 'ARREST',
      occurredAt: '2021-06-08T11:00:00.000Z',
      location: 'JFK Terminal 4',
      exigent: { narrative: NARRATIVE },
    },
  });
});
afterAll(async () => {
  await live?.stop();
  await server?.stop();
});

describe("a weekly report's actions, a page at a time", () => {
  let whole: any;

  beforeAll(async () => {
    whole = await report(supervisor, 200);
    expect(whole.status).toBe('DRAFT');
    expect(whole.actions.totalCount).toBe(13);
    expect(whole.actions.pageInfo.hasNextPage).toBe(false);
  });

  test('a kept draft: pages of 1, 4 and 5 joined are the whole list, no action twice, in time order', async () => {
    const list = whole.actions.edges.map((e: any) => e.node);
    for (const first of [1, 4, 5]) {
      const { actions, cursors } = await pages(supervisor, first);
      expect(actions).toEqual(list);
      expect(new Set(cursors).size).toBe(list.length);
    }
    const instants = list.map((a: any) => Date.parse(a.occurredAt));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
  });

  test('read live (no kept drafts): every part and every page equal to the compiled draft', async () => {
    const fromLive = await report(liveSupervisor, 200);
    expect(fromLive).toEqual(whole);
    expect(rest(await report(liveSupervisor, 3))).toEqual(rest(whole));
    for (const first of [1, 4]) {
      expect((await pages(liveSupervisor, first)).actions).toEqual(
        whole.actions.edges.map((e: any) => e.node),
      );
    }
    expect(fromLive.exigentActions).toHaveLength(1);
    expect(fromLive.totalsByBasis).toEqual([
      { key: 'EXIGENT', count: 1 },
      { key: 'PRESUMED_PRIORITY', count: 12 },
    ]);
  });

  test('a cursor from the kept draft continues on the live read, and the other way round', async () => {
    const list = whole.actions.edges;
    const fromKept = (await report(supervisor, 6)).actions.pageInfo.endCursor;
    const next = (await report(liveSupervisor, 200, fromKept)).actions.edges;
    expect(next).toEqual(list.slice(6));
    const fromLive = (await report(liveSupervisor, 2)).actions.pageInfo.endCursor;
    expect((await report(supervisor, 200, fromLive)).actions.edges).toEqual(list.slice(2));
  });

  test('a bad cursor or page size: BAD_USER_INPUT naming after or first, nothing changed', async () => {
    const cursor = (values: unknown) =>
      Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
    for (const client of [supervisor, liveSupervisor]) {
      const on = client === supervisor ? server : live;
      for (const after of [
        'nonsense',
        cursor(['2021-06-07T12:00:00.000Z']),
        cursor(['yesterday', '00000000-0000-0000-0000-000000000000']),
        cursor(['2021-06-07T12:00:00.000Z', 'not-a-uuid']),
      ]) {
        await expectRefused(
          on,
          client,
          REPORT,
          { weekStart: WEEK, after },
          'BAD_USER_INPUT',
          'after',
        );
      }
      for (const first of [0, 201]) {
        await expectRefused(
          on,
          client,
          REPORT,
          { weekStart: WEEK, first },
          'BAD_USER_INPUT',
          'first',
        );
      }
    }
  });

  test('submitted: the revision pages out of its stored content, equal to the draft, and a draft cursor continues on it', async () => {
    const draftCursor = (await report(supervisor, 5)).actions.pageInfo.endCursor;
    server.clock.set(new Date('2021-06-15T12:00:00Z'));
    // The week is read again at submission time: the exigent justification is now MISSING.
    const before = await report(supervisor, 200);
    await supervisor.ok(SUBMIT, { input: { officeCode: 'NYC', weekStart: WEEK } });
    for (const client of [supervisor, liveSupervisor, hq]) {
      const submitted = await report(client, 200);
      expect(submitted.status).toBe('SUBMITTED');
      expect(submitted.revision).toBe(1);
      expect(rest(submitted)).toEqual(rest(before));
      expect(submitted.actions).toEqual(before.actions);
      expect((await pages(client, 4)).actions).toEqual(
        before.actions.edges.map((e: any) => e.node),
      );
      expect((await report(client, 200, draftCursor)).actions.edges).toEqual(
        before.actions.edges.slice(5),
      );
    }
    expect(before.missingPostActionCount).toBe(1);
  });
});
