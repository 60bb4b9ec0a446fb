import { startTestServer, TestServer, OFFICER_NYC } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

test('me answers for a signed-in officer', async () => {
  const client = await server.as(OFFICER_NYC);
  const data = await client.ok(`{ me { email role office { code } } }`);
  expect(data.me).toEqual({ email: OFFICER_NYC, role: 'FIELD_OFFICER', office: { code: 'NYC' } });
});
