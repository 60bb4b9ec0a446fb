/**
 * Reads leave out the columns no selected field needs (`ColumnNeeds`, common/selection.ts): a
 * cases page that shows no identity reads no identity column, nested lists read what their
 * selected fields read, a field no one described reads the whole row, and the answers are the
 * same whatever else is selected. Outside production a property left out throws when read, so a
 * resolver reading a column its type's needs do not list fails the tests that select it.
 */
import { guardUnread } from '../../src/common/lean';
import { unreadProperties } from '../../src/common/selection';
import { convictionInput, openCase } from '../helpers/given';
import { roleClients, type RoleClients } from '../helpers/roles';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let as: RoleClients;

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2024-05-01T12:00:00Z') });
  as = await roleClients(server);
  await openCase(as.officer, { convictions: [convictionInput({ convictedOn: '2012-01-01' })] });
});
afterAll(async () => {
  await server?.stop();
});

/** The statements one query ran, by the table each reads from. */
async function statementsOf(query: string): Promise<{ from(table: string): string }> {
  server.statements.length = 0;
  await as.supervisor.ok(query);
  const ran = [...server.statements];
  return {
    from(table) {
      const found = ran.filter((s) => new RegExp(`FROM "?${table}"? "?\\w+"?\\s`).test(s));
      expect(found).toHaveLength(1);
      return found[0];
    },
  };
}

test('a cases page without identity reads no identity column; with it, it does', async () => {
  const narrow = await statementsOf(`{ cases(first: 5) { edges { node { id status } } } }`);
  const page = narrow.from('cases');
  for (const column of ['subject_name', 'subject_a_number', 'gang_kind', 'updated_at', 'closed_at'])
    expect(page).not.toContain(column);
  for (const column of ['"id"', 'office_id', 'created_at']) expect(page).toContain(column);
  const wide = await statementsOf(
    `{ cases(first: 5) { edges { node { id subject { name aNumber } closedAt } } } }`,
  );
  for (const column of ['subject_name', 'subject_a_number', 'closed_at'])
    expect(wide.from('cases')).toContain(column);
});

test('nested lists read what their selected fields read', async () => {
  const ran = await statementsOf(`{ cases(first: 5) { edges { node { id
    assessments { policyVersion summary }
    approvalRequests { status }
    facts { convictions { offense } } } } } }`);
  const assessments = ran.from('assessments');
  expect(assessments).toContain('policy_version_code');
  for (const column of ['reasons', 'assessed_by_id', 'facts_snapshot'])
    expect(assessments).not.toContain(column);
  const approvals = ran.from('approval_requests');
  expect(approvals).toContain('expires_at');
  expect(approvals).not.toContain('decision_reason');
  expect(ran.from('convictions')).not.toContain('jurisdiction');
  const late = (
    await statementsOf(`{ cases(first: 5) { edges { node { id approvalRequests { late } } } } }`)
  ).from('approval_requests');
  for (const column of ['"kind"', 'justification_due_at', 'justification_submitted_at'])
    expect(late).toContain(column);
  expect(late).not.toContain('decision_reason');
});

test('the same values whatever else the operation selects', async () => {
  const fields = `id status openedAt facts { firstPresentOn convictions { offense convictedOn } }
    latestAssessment { summary } assessments { policyVersion categories }`;
  const narrow = await as.supervisor.ok<{ cases: unknown }>(
    `{ cases(first: 20) { edges { node { ${fields} } } } }`,
  );
  const wide = await as.supervisor.ok<{ cases: { edges: { node: Record<string, unknown> }[] } }>(
    `{ cases(first: 20) { edges { node { ${fields} version updatedAt subject { name }
      assessments { reasons { criterion } assessedAt } approvalRequests { late decisionReason } } } } }`,
  );
  const picked = {
    edges: wide.cases.edges.map(({ node }) => ({
      node: {
        id: node.id,
        status: node.status,
        openedAt: node.openedAt,
        facts: node.facts,
        latestAssessment: node.latestAssessment,
        assessments: (node.assessments as Record<string, unknown>[]).map((a) => ({
          policyVersion: a.policyVersion,
          categories: a.categories,
        })),
      },
    })),
  };
  expect(narrow.cases).toEqual(picked);
  expect(wide.cases.edges.length).toBeGreaterThan(0);
});

describe('unreadProperties and the guard', () => {
  const needs = { type: 'T', always: ['id'], fields: { both: ['a', 'b'], none: [] } };
  const properties = ['id', 'a', 'b', 'c', 'd'];

  test('a selected field reads its listed properties, or its own; an unknown one reads all', () => {
    const sel = (...fields: string[]) => new Map([['T', new Set(fields)]]);
    expect(unreadProperties(sel('both'), needs, properties)).toEqual(['c', 'd']);
    expect(unreadProperties(sel('c', 'none', '__typename'), needs, properties)).toEqual([
      'a',
      'b',
      'd',
    ]);
    expect(unreadProperties(sel('c', 'unknown'), needs, properties)).toEqual([]);
    expect(unreadProperties(null, needs, properties)).toEqual([]);
    expect(unreadProperties(new Map(), needs, properties)).toEqual([]);
  });

  test('reading a property left out throws, naming it; the others read as before', () => {
    const rows = guardUnread([{ id: '1', a: 2 }], { name: 'Thing' } as never, ['b']);
    expect(rows[0].a).toBe(2);
    expect(Object.keys(rows[0])).toEqual(['id', 'a']);
    expect(() => (rows[0] as Record<string, unknown>).b).toThrow(/Thing\.b was not read/);
  });
});
