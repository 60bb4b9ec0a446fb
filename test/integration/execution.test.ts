/**
 * Operations run compiled (graphql-jit, src/server/jit.ts) and cached by their text: what a
 * cached operation answers must depend on the operation named and the variables of each request,
 * never on an earlier one; errors keep their code, path and locations.
 */
import { getIntrospectionQuery, graphqlSync } from 'graphql';
import { buildServedSchema } from '../../src/server/schema';
import {
  Client,
  HQ,
  startTestServer,
  SUPERVISOR_LAX,
  SUPERVISOR_NYC,
  TestServer,
} from '../helpers/server';

let server: TestServer;
let hq: Client;

beforeAll(async () => {
  server = await startTestServer();
  hq = await server.as(HQ);
});
afterAll(async () => server.stop());

async function post(client: Client, body: Record<string, unknown>) {
  const res = await fetch(client.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { data?: any; errors?: any[] };
}

const TWO_OPERATIONS = `
  query Me { me { email role } }
  query Offices { offices { code } }
`;

test('one document with two operations runs the one named, each time', async () => {
  const codes = (await server.sql<{ code: string }>(`SELECT code FROM offices ORDER BY code`)).map(
    (r) => r.code,
  );
  for (let i = 0; i < 3; i++) {
    const me = await post(hq, { query: TWO_OPERATIONS, operationName: 'Me' });
    expect(me).toEqual({ data: { me: { email: HQ, role: 'HEADQUARTERS' } } });
    const offices = await post(hq, { query: TWO_OPERATIONS, operationName: 'Offices' });
    expect(offices.errors).toBeUndefined();
    expect(offices.data.offices.map((o: { code: string }) => o.code).sort()).toEqual(codes);
  }
});

test('an operation name the document does not hold is refused, not an internal error', async () => {
  // GraphiQL sends the name of the tab's last operation even after its text became anonymous.
  const named = await post(hq, { query: '{ me { role } }', operationName: 'Me' });
  expect(named.data).toBeUndefined();
  expect(named.errors?.map((e) => e.extensions?.code)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
  expect(named.errors?.[0].message).toMatch(/^No operation to run/);
  const unnamed = await post(hq, { query: TWO_OPERATIONS });
  expect(unnamed.errors?.map((e) => e.extensions?.code)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
});

test('the same operation answers each caller and each variable value anew', async () => {
  const query = `query R($office: String!, $week: Date!) {
    weeklyReport(officeCode: $office, weekStart: $week) { officeCode weekStart status }
  }`;
  const nyc = await server.as(SUPERVISOR_NYC);
  const lax = await server.as(SUPERVISOR_LAX);
  const weeks = ['2021-03-01', '2021-03-08'];
  for (const week of weeks) {
    expect(await nyc.ok(query, { office: 'NYC', week })).toEqual({
      weeklyReport: { officeCode: 'NYC', weekStart: week, status: 'DRAFT' },
    });
    // The compiled operation is shared; the office scope is the caller's.
    const denied = await lax.request(query, { office: 'NYC', week });
    expect(denied.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(denied.errors?.[0].path).toEqual(['weeklyReport']);
    expect(denied.errors?.[0].locations).toEqual([{ line: 2, column: 5 }]);
    expect(denied.data).toBeNull();
  }
});

test('a variable of the wrong type is BAD_USER_INPUT before anything runs', async () => {
  const res = await post(hq, {
    query: `query C($first: Int) { cases(first: $first) { totalCount } }`,
    variables: { first: 'ten' },
  });
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  expect(res.errors?.[0].message).toContain('$first');
});

test('the full introspection query answers what graphql-js answers on the same schema', async () => {
  const options = {
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
  };
  const query = getIntrospectionQuery(options);
  const data = await hq.ok(query);
  const reference = graphqlSync({ schema: await buildServedSchema(), source: query });
  expect(reference.errors).toBeUndefined();
  expect(data.__schema.types.length).toBeGreaterThan(50);
  expect(data).toEqual(reference.data);
});

test('argument literals stay data in the compiled operation, whatever characters they hold', async () => {
  // Quotes, backslashes, template and comment syntax: the code graphql-jit generates must carry
  // them as values, never as code.
  const hostile = `x"); throw new Error('compiled'); ("\`\${process.exit(1)}\`*/ //\\`;
  const literal = JSON.stringify(hostile);
  const res = await hq.request(
    `{ weeklyReport(officeCode: ${literal}, weekStart: "2021-03-01") { status } }`,
  );
  expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.id])).toEqual([
    ['NOT_FOUND', hostile],
  ]);
  expect(res.data).toBeNull();
});
