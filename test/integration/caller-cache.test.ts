/**
 * The signed-in user's row is reused across requests for `CALLER_CACHE_MS`: a client's next
 * request costs no user lookup, a deactivation made through this service takes effect at once,
 * and one made elsewhere (another process, or by hand) within that time.
 */
import { createTestDatabase, dropTestDatabase } from '../helpers/database';
import {
  HQ,
  OFFICER_LAX,
  OFFICER_NYC,
  OFFICER2_NYC,
  startTestServer,
  SUPERVISOR_LAX,
  type TestServer,
} from '../helpers/server';

const ME = '{ me { id role } }';
const DEACTIVATE = `mutation($input: DeactivateUserInput!) { deactivateUser(input: $input) { id active } }`;
const isCallerLookup = (sql: string) => /FROM users u LEFT JOIN offices o/.test(sql);

let database: string;
let server: TestServer;
/** A second service on the same database, its caller cache short. */
let other: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer({ database, env: { CALLER_CACHE_MS: '60000' } });
  other = await startTestServer({ database, env: { CALLER_CACHE_MS: '300' } });
});
afterAll(async () => {
  await other?.stop();
  await server?.stop();
  await dropTestDatabase(database);
});

test("a client's next request reads no user row", async () => {
  const officer = await server.as(OFFICER_NYC);
  server.statements.length = 0;
  expect((await officer.ok(ME)).me.role).toBe('FIELD_OFFICER');
  expect(server.statements.filter(isCallerLookup)).toHaveLength(1);
  server.statements.length = 0;
  expect((await officer.ok(ME)).me.role).toBe('FIELD_OFFICER');
  expect(server.statements.filter(isCallerLookup)).toHaveLength(0);
});

test('a deactivation through the service takes effect at once, cached or not', async () => {
  const officer = await server.as(OFFICER2_NYC);
  await officer.ok(ME); // now kept
  const id = await server.userId(OFFICER2_NYC);
  await (await server.as(HQ)).ok(DEACTIVATE, { input: { userId: id, reason: 'Left the agency' } });
  const res = await officer.request(ME);
  expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(res.data ?? null).toBeNull();
});

test('a deactivation made elsewhere takes effect within CALLER_CACHE_MS', async () => {
  const id = await server.userId(SUPERVISOR_LAX);
  const here = await server.as(SUPERVISOR_LAX);
  const there = await other.as(SUPERVISOR_LAX);
  await here.ok(ME);
  await there.ok(ME);
  await server.sql(`UPDATE users SET active = false, deactivated_at = now() WHERE id = $1`, [id]);
  // The 60-second cache still knows the user; the 300 ms one reads the row again after that time.
  expect((await here.ok(ME)).me.id).toBe(id);
  await new Promise((resolve) => setTimeout(resolve, 400));
  const res = await there.request(ME);
  expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

test('an unknown or deactivated user is never kept', async () => {
  const id = await server.userId(OFFICER_LAX);
  await server.sql(`UPDATE users SET active = false, deactivated_at = now() WHERE id = $1`, [id]);
  const officer = await other.as(OFFICER_LAX);
  expect((await officer.request(ME)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  await server.sql(`UPDATE users SET active = true, deactivated_at = null WHERE id = $1`, [id]);
  other.statements.length = 0;
  expect((await officer.ok(ME)).me.id).toBe(id);
  expect(other.statements.filter(isCallerLookup)).toHaveLength(1);
});

test('offices as `office` fields show them are kept too; a new request reads none', async () => {
  const officer = await server.as(OFFICER_NYC);
  const ME_OFFICE = '{ me { id office { code name timeZone } } }';
  const isOfficeRead = (sql: string) => /FROM "offices"/.test(sql);
  const first = await officer.ok(ME_OFFICE);
  expect(first.me.office.code).toBe('NYC');
  server.statements.length = 0;
  expect(await officer.ok(ME_OFFICE)).toEqual(first);
  expect(server.statements.filter(isOfficeRead)).toHaveLength(0);
});
