/**
 * The read path keeps its speed as an office grows: every statement of a cases page (the page
 * itself, past a cursor, and each nested list's batch) is answered from an index, and the page
 * starts its index scan at the cursor in key order (no sort, no filtering from the first row).
 * Checked with EXPLAIN on the statements the service actually ran, at 6,000 cases in one office.
 */
import { convictionInput, openCase } from '../helpers/given';
import { roleClients, type RoleClients } from '../helpers/roles';
import { startTestServer, type TestServer } from '../helpers/server';

const PAGE = `query($after: String) {
  cases(first: 50, after: $after) {
    pageInfo { endCursor }
    edges { node {
      id status office { code name }
      facts { terrorismOrEspionage convictions { offense convictedOn } }
      assessments { policyVersion presumedPriority categories summary }
      approvalRequests { status actionType }
      enforcementActions { id }
    } }
  }
}`;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

let server: TestServer;
let as: RoleClients;

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2024-05-01T12:00:00Z') });
  as = await roleClients(server);
  for (let i = 0; i < 3; i++)
    await openCase(as.officer, { convictions: [convictionInput({ convictedOn: '2012-01-01' })] });
  // Cloned by SQL: 6,000 cases in NYC, a minute apart, and 2,000 in LAX.
  const columns = (
    await server.sql<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
        WHERE table_name = 'cases' AND column_name NOT IN ('id', 'created_at') ORDER BY ordinal_position`,
    )
  ).map((c) => c.column_name);
  const list = columns.join(', ');
  await server.sql(
    `INSERT INTO cases (id, created_at, ${list})
     SELECT gen_random_uuid(), c.created_at - g * interval '1 minute', ${columns.map((n) => `c.${n}`).join(', ')}
       FROM (SELECT * FROM cases LIMIT 1) c, generate_series(1, 6000) g`,
  );
  const lax = (await server.sql(`SELECT id FROM offices WHERE code = 'LAX'`))[0].id;
  await server.sql(
    `INSERT INTO cases (id, created_at, ${list})
     SELECT gen_random_uuid(), c.created_at - g * interval '1 minute',
            ${columns.map((n) => (n === 'office_id' ? `'${lax}'::uuid` : `c.${n}`)).join(', ')}
       FROM (SELECT * FROM cases LIMIT 1) c, generate_series(1, 2000) g`,
  );
  await server.sql(`ANALYZE`);
});
afterAll(async () => {
  await server?.stop();
});

async function explain(sql: string, params: unknown[], indexesOnly: boolean): Promise<PlanNode> {
  return server.admin.transaction(async (m) => {
    // On a few rows a sequential scan is cheapest; asking for none shows whether an index exists.
    if (indexesOnly) await m.query(`SET LOCAL enable_seqscan = off`);
    const [row] = (await m.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)) as {
      'QUERY PLAN': [{ Plan: PlanNode }];
    }[];
    return row['QUERY PLAN'][0].Plan;
  });
}

test('every statement of a page past a cursor reads an index; the page starts at the cursor', async () => {
  const first = await as.supervisor.ok<any>(PAGE, {});
  server.statements.length = 0;
  const second = await as.supervisor.ok<any>(PAGE, { after: first.cases.pageInfo.endCursor });
  expect(second.cases.edges).toHaveLength(50);
  const selects = server.queries.filter((q) => /^\s*SELECT/i.test(q.sql));
  expect(selects.length).toBeGreaterThanOrEqual(5);

  const page = selects.find((q) => /FROM "cases"/.test(q.sql));
  expect(page).toBeDefined();
  const pagePlan = nodes(await explain(page!.sql, page!.params, false));
  expect(pagePlan.map((n) => n['Node Type'])).not.toContain('Sort');
  const scan = pagePlan.find((n) => n['Relation Name'] === 'cases');
  expect(scan?.['Node Type']).toMatch(/Index/);
  expect(scan?.['Index Name']).toBe('cases_office_created_idx');
  // The cursor is an index condition: the scan begins there.
  expect(scan?.['Index Cond']).toMatch(/created_at/);

  for (const q of selects) {
    const plan = nodes(await explain(q.sql, q.params, true));
    const seq = plan.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name']);
    expect({ sql: q.sql.slice(0, 80), seq }).toEqual({ sql: q.sql.slice(0, 80), seq: [] });
  }
});
