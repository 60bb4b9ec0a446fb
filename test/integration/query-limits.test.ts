/** Query-shape limits (graphql-armor): refused at validation, before any resolver or SQL runs. */
import { codes } from '../helpers/given';
import { OFFICER_NYC, startTestServer, TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

test('a query nested deeper than 12 levels is refused', async () => {
  const client = await server.as(OFFICER_NYC);
  // case → approvalRequests → case → approvalRequests ... each hop two levels deep.
  let selection = 'id';
  for (let i = 0; i < 7; i++) selection = `approvalRequests { case { ${selection} } }`;
  server.statements.length = 0;
  const res = await client.request(`{ cases(first: 1) { edges { node { ${selection} } } } }`);
  expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(res.data).toBeUndefined();
  // Refused before execution: only the caller lookup ran.
  expect(server.statements.length).toBeLessThanOrEqual(1);
});

test('more than 20 aliases are refused; 20 pass', async () => {
  const client = await server.as(OFFICER_NYC);
  const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ');
  expect(codes(await client.request(`{ ${aliases(21)} }`))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  const ok = await client.request(`{ ${aliases(20)} }`);
  expect(ok.errors).toBeUndefined();
});

test('batched HTTP requests are refused', async () => {
  const client = await server.as(OFFICER_NYC);
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
    body: JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]),
  });
  expect(res.status).toBe(400);
});
