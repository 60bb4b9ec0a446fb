/**
 * The service's time, as clients see it: `serverTime` answers the clock every date check uses and
 * says whether a demo clock is set, and a date refused as "in the future" says what now is.
 */
import { offsetClock } from '../../src/clock';
import { startBanner } from '../../src/banner';
import { openCase } from '../helpers/given';
import { expectError, unchanged } from '../helpers/refusals';
import { roleClients, type RoleClients } from '../helpers/roles';
import { startTestServer, type TestServer } from '../helpers/server';

const NOW = new Date('2021-06-01T14:00:00.000Z');
const SERVER_TIME = '{ serverTime { now demoClock } }';
const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`;

let server: TestServer;
let as: RoleClients;

beforeAll(async () => {
  server = await startTestServer({ now: NOW });
  as = await roleClients(server);
});
afterAll(async () => {
  await server?.stop();
});

test("serverTime answers the service's clock to every role, and no demo clock here", async () => {
  for (const client of [as.officer, as.supervisor, as.hq]) {
    expect(await client.ok(SERVER_TIME)).toEqual({
      serverTime: { now: NOW.toISOString(), demoClock: false },
    });
  }
  server.clock.advance(90_000);
  expect((await as.officer.ok(SERVER_TIME)).serverTime.now).toBe('2021-06-01T14:01:30.000Z');
  server.clock.set(NOW);
});

test('serverTime needs a signed-in caller', async () => {
  const res = await server.anonymous().request(SERVER_TIME);
  expectError(res, 'UNAUTHENTICATED');
});

test('a date refused as in the future names the service time', async () => {
  const c = await openCase(as.officer);
  const res = await unchanged(server, () =>
    as.officer.request(ASSESS, { input: { caseId: c.id, asOf: '2021-06-01T15:00:00Z' } }),
  );
  const error = expectError(res, 'BAD_USER_INPUT', 'input.asOf');
  expect(error.message).toContain(NOW.toISOString());
});

test('a demo clock says so, in serverTime and in the start banner', () => {
  expect(offsetClock(NOW).demo).toBe(true);
  const banner = startBanner({
    production: false,
    url: 'http://localhost:4000/graphql',
    port: 4000,
    database: 'embedded',
    demoClock: NOW,
  });
  expect(banner).toMatch(/DEMO_CLOCK.*2021-06-01T14:00:00\.000Z/);
  expect(startBanner({ production: false, url: 'u', port: 1, database: 'd' })).not.toMatch(
    /DEMO_CLOCK/,
  );
});
