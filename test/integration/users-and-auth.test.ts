/**
 * Users, offices and authentication, through the real GraphQL server with the shield on: who the
 * caller is (`me`, `offices`), which tokens are refused, and headquarters' administration
 * (`createOffice`, `createUser`, `deactivateUser`) with its validation, audit records and denials.
 * Every refusal is checked for its code, the field it names, and that the database did not change.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { DEMO_OFFICES, DEMO_USERS } from '../../src/db/seed';
import {
  Client,
  GraphQLResponse,
  HQ,
  OFFICER_LAX,
  OFFICER_NYC,
  OFFICER2_NYC,
  startTestServer,
  SUPERVISOR_LAX,
  SUPERVISOR_NYC,
  TestServer,
} from '../helpers/server';
import { unchanged } from '../helpers/refusals';
import { signToken, unsecuredToken, validClaims, withSwappedPayload } from '../helpers/tokens';

const ME = `{ me { id email name role active deactivatedAt office { code name timeZone } } }`;
const OFFICES = `{ offices { id code name timeZone } }`;
const CREATE_OFFICE = `mutation CreateOffice($input: CreateOfficeInput!) {
  createOffice(input: $input) { id code name timeZone }
}`;
const CREATE_USER = `mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) { id email name role active deactivatedAt office { code timeZone } }
}`;
const DEACTIVATE_USER = `mutation DeactivateUser($input: DeactivateUserInput!) {
  deactivateUser(input: $input) { id email role active deactivatedAt }
}`;

let server: TestServer;
let hq: Client;

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2021-03-01T15:00:00.000Z') });
  hq = await server.as(HQ);
});
afterAll(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------------------------------------
// Helpers

let sequence = 0;

/** A fresh office code, two to eight capital letters: QA, QB, ... */
function freshCode(): string {
  sequence += 1;
  let n = sequence;
  let letters = '';
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `Q${letters}`.padEnd(2, 'A');
}

function freshEmail(label: string): string {
  sequence += 1;
  return `${label}.${sequence}@example.gov`;
}

/** A client whose token the test server accepts, for any user id. */
async function clientFor(userId: string): Promise<Client> {
  return new Client(server.url, await signToken({ sub: userId }));
}

/** A client sending `authorization` verbatim (or no header at all when undefined). */
function withHeader(authorization: string | undefined) {
  return {
    request: (query: string, variables?: Record<string, unknown>) =>
      server
        .anonymous()
        .request(query, variables, authorization === undefined ? {} : { authorization }),
  };
}

const SQL_OR_STACK = [
  /\bSELECT\b[\s\S]*\bFROM\b/i,
  /\bINSERT\s+INTO\b/i,
  /\bUPDATE\b[\s\S]*\bSET\b/i,
  /\bDELETE\s+FROM\b/i,
  /QueryFailedError/,
  /duplicate key value/i,
  /violates [\s\S]*constraint/i,
  /invalid byte sequence/i,
  /offices_code_key|users_email_key|users_office_matches_role/,
  /\n\s+at\s/,
  /\.(ts|js):\d+(:\d+)?/,
];

function hasKeyDeep(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasKeyDeep(v, key));
  if (value && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => k === key || hasKeyDeep(v, key));
  return false;
}

/** No stack trace anywhere in the errors, no SQL and no file positions in any of their text. */
function expectHygienic(res: GraphQLResponse): void {
  expect(hasKeyDeep(res.errors, 'stacktrace')).toBe(false);
  expect(hasKeyDeep(res.errors, 'exception')).toBe(false);
  const text = JSON.stringify(res.errors ?? []);
  for (const pattern of SQL_OR_STACK) expect(text).not.toMatch(pattern);
}

/** Exactly one error, with `code` (and `field`), no data, and nothing leaked. */
function expectError(res: GraphQLResponse, code: string, field?: string): void {
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  if (field !== undefined) {
    expect(res.errors?.[0].extensions?.field).toBe(field);
    expect(res.errors?.[0].message).toContain(field);
  }
  expect(res.data ?? null).toBeNull();
  expectHygienic(res);
}

async function lastAuditSeq(): Promise<string> {
  const [row] = await server.sql<{ seq: string }>(
    `SELECT coalesce(max(insertion), 0)::text AS seq FROM audit_log`,
  );
  return row.seq;
}

interface AuditRow {
  seq: string;
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
}

async function auditSince(seq: string): Promise<AuditRow[]> {
  return server.sql<AuditRow>(
    `SELECT insertion::text AS seq, kind, actor_id, actor_role, actor_office_id, operation, record_type,
            record_ids::text[] AS record_ids, office_ids::text[] AS office_ids, reason, change
       FROM audit_log WHERE insertion > $1 ORDER BY insertion`,
    [seq],
  );
}

async function officeId(code: string): Promise<string> {
  const [row] = await server.sql<{ id: string }>(`SELECT id FROM offices WHERE code = $1`, [code]);
  return row.id;
}

/** A new user made by headquarters, for tests that change users (the demo users stay intact). */
async function newUser(
  role: 'FIELD_OFFICER' | 'SUPERVISOR' | 'HEADQUARTERS',
  officeCode: string | null = role === 'HEADQUARTERS' ? null : 'NYC',
): Promise<{ id: string; email: string }> {
  const data = await hq.ok<{ createUser: { id: string; email: string } }>(CREATE_USER, {
    input: { email: freshEmail(role.toLowerCase()), name: 'Test Person', role, officeCode },
  });
  return data.createUser;
}

// ---------------------------------------------------------------------------------------------

describe('me and offices', () => {
  test('offices lists NYC, LAX and CHI with their time zones, by code', async () => {
    const client = await server.as(OFFICER_NYC);
    const data = await client.ok<{
      offices: { id: string; code: string; name: string; timeZone: string }[];
    }>(OFFICES);
    expect(data.offices.map(({ code, name, timeZone }) => ({ code, name, timeZone }))).toEqual([
      { code: 'CHI', name: 'Chicago Field Office', timeZone: 'America/Chicago' },
      { code: 'LAX', name: 'Los Angeles Field Office', timeZone: 'America/Los_Angeles' },
      { code: 'NYC', name: 'New York Field Office', timeZone: 'America/New_York' },
    ]);
    for (const office of data.offices) expect(office.id).toBe(await officeId(office.code));
  });

  test.each([
    [OFFICER_NYC, 'FIELD_OFFICER', 'NYC'],
    [OFFICER_LAX, 'FIELD_OFFICER', 'LAX'],
    [SUPERVISOR_NYC, 'SUPERVISOR', 'NYC'],
    [SUPERVISOR_LAX, 'SUPERVISOR', 'LAX'],
  ])('me answers for %s (%s of %s)', async (email, role, code) => {
    const demo = DEMO_USERS.find((u) => u.email === email)!;
    const office = DEMO_OFFICES.find((o) => o.code === code)!;
    const data = await (await server.as(email)).ok(ME);
    expect(data.me).toEqual({
      id: await server.userId(email),
      email,
      name: demo.name,
      role,
      active: true,
      deactivatedAt: null,
      office: { code, name: office.name, timeZone: office.timeZone },
    });
  });

  test('me answers for headquarters, whose office is null', async () => {
    const data = await hq.ok(ME);
    expect(data.me).toEqual({
      id: await server.userId(HQ),
      email: HQ,
      name: 'Hannah Quinn',
      role: 'HEADQUARTERS',
      active: true,
      deactivatedAt: null,
      office: null,
    });
  });

  test('offices without a token is UNAUTHENTICATED', async () => {
    const res = await server.anonymous().request(OFFICES);
    expectError(res, 'UNAUTHENTICATED');
  });
});

// ---------------------------------------------------------------------------------------------

describe('authentication', () => {
  let officerId: string;
  beforeAll(async () => {
    officerId = await server.userId(OFFICER_NYC);
  });

  test('a token built by the test helper with defaults is accepted (control for the cases below)', async () => {
    const res = await withHeader(`Bearer ${await signToken({ sub: officerId })}`).request(ME);
    expect(res.errors).toBeUndefined();
    expect(res.data?.me).toMatchObject({ id: officerId, email: OFFICER_NYC });
  });

  test('the Bearer scheme is case-insensitive', async () => {
    const res = await withHeader(`bearer ${await signToken({ sub: officerId })}`).request(ME);
    expect(res.errors).toBeUndefined();
    expect(res.data?.me.email).toBe(OFFICER_NYC);
  });

  test('no token is UNAUTHENTICATED', async () => {
    expectError(await withHeader(undefined).request(ME), 'UNAUTHENTICATED');
  });

  test.each([
    ['another scheme', (t: string) => `Token ${t}`],
    ['Basic credentials', () => `Basic ${Buffer.from('hq@example.gov:secret').toString('base64')}`],
    ['the scheme alone', () => 'Bearer'],
    ['the scheme and a blank', () => 'Bearer '],
    ['a token without a scheme', (t: string) => t],
    ['two tokens', (t: string) => `Bearer ${t} ${t}`],
    ['garbage after the scheme', () => 'Bearer not.a.jwt'],
    ['a bare word', () => 'Bearer abc'],
  ])('a malformed Authorization header (%s) is UNAUTHENTICATED', async (_label, header) => {
    const token = await signToken({ sub: officerId });
    expectError(await withHeader(header(token)).request(ME), 'UNAUTHENTICATED');
  });

  test('a token signed with another secret is UNAUTHENTICATED', async () => {
    const token = await signToken({
      sub: officerId,
      secret: 'another-secret-another-secret-another-secret-0123',
    });
    expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
  });

  test('a token whose payload was swapped for another user is UNAUTHENTICATED', async () => {
    const token = await signToken({ sub: officerId });
    const forged = withSwappedPayload(token, validClaims(await server.userId(HQ)));
    expectError(await withHeader(`Bearer ${forged}`).request(ME), 'UNAUTHENTICATED');
  });

  test('an expired token is UNAUTHENTICATED', async () => {
    const token = await signToken({ sub: officerId, expiresIn: -60 });
    expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
  });

  test('a token without an expiry is UNAUTHENTICATED', async () => {
    const token = await signToken({ sub: officerId, expiresIn: null });
    expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
  });

  test('a token not valid before a future time is UNAUTHENTICATED', async () => {
    const token = await signToken({ sub: officerId, notBefore: 600 });
    expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
  });

  test('a token issued in the future (beyond a minute of clock skew) is UNAUTHENTICATED', async () => {
    const token = await signToken({ sub: officerId, issuedIn: 600 });
    expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
  });

  test('a token issued a few seconds ahead of the clock (skew) is accepted', async () => {
    const token = await signToken({ sub: officerId, issuedIn: 5 });
    const res = await withHeader(`Bearer ${token}`).request(ME);
    expect(res.errors).toBeUndefined();
  });

  test('a token naming the user id in capitals is UNAUTHENTICATED', async () => {
    const token = await signToken({ sub: officerId.toUpperCase() });
    expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
  });

  test.each([
    ['another issuer', 'https://evil.example'],
    ['no issuer', null],
  ])('a token with %s is UNAUTHENTICATED', async (_label, issuer) => {
    const token = await signToken({ sub: officerId, issuer });
    expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
  });

  test.each([
    ['another audience', 'some-other-api'],
    ['no audience', null],
  ])('a token with %s is UNAUTHENTICATED', async (_label, audience) => {
    const token = await signToken({ sub: officerId, audience });
    expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
  });

  test('an unsecured token (alg none) is UNAUTHENTICATED', async () => {
    const token = unsecuredToken(validClaims(officerId));
    expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
  });

  test.each(['HS384', 'HS512'] as const)(
    'a token signed %s with the right secret is UNAUTHENTICATED (HS256 is pinned)',
    async (alg) => {
      const token = await signToken({ sub: officerId, alg });
      expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
    },
  );

  test('an RS256 token is UNAUTHENTICATED when the server verifies HS256', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT(validClaims(officerId))
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .sign(privateKey);
    expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
  });

  test.each([
    ['an unknown uuid', '5b0c0e52-9a63-4b1e-8f4e-6a1f2d3c4b5a'],
    ['a non-uuid', 'not-a-uuid'],
    ['an email', OFFICER_NYC],
    ['SQL', "' OR 1=1 --"],
  ])('a valid token whose sub is %s is UNAUTHENTICATED', async (_label, sub) => {
    const token = await signToken({ sub });
    expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
  });

  test('a valid token without a sub is UNAUTHENTICATED', async () => {
    const token = await signToken({ sub: null });
    expectError(await withHeader(`Bearer ${token}`).request(ME), 'UNAUTHENTICATED');
  });

  test('a bad token is refused even for a mutation, and nothing changes', async () => {
    const token = await signToken({ sub: await server.userId(HQ), expiresIn: -60 });
    const res = await unchanged(server, () =>
      withHeader(`Bearer ${token}`).request(CREATE_OFFICE, {
        input: { code: freshCode(), name: 'Expired Office', timeZone: 'America/Denver' },
      }),
    );
    expectError(res, 'UNAUTHENTICATED');
  });

  test("a deactivated user's still-valid token is refused at once", async () => {
    const user = await newUser('FIELD_OFFICER');
    const client = await clientFor(user.id);
    expect((await client.ok(ME)).me.email).toBe(user.email);

    await hq.ok(DEACTIVATE_USER, { input: { userId: user.id, reason: 'Left the agency' } });

    expectError(await client.request(ME), 'UNAUTHENTICATED');
    expectError(await client.request(OFFICES), 'UNAUTHENTICATED');
  });

  test('a deactivated headquarters user can no longer administer, and nothing changes', async () => {
    const other = await newUser('HEADQUARTERS');
    const client = await clientFor(other.id);
    const input = { code: freshCode(), name: 'Rogue Office', timeZone: 'America/Denver' };
    await hq.ok(DEACTIVATE_USER, { input: { userId: other.id, reason: 'Access revoked' } });

    const res = await unchanged(server, () => client.request(CREATE_OFFICE, { input }));
    expectError(res, 'UNAUTHENTICATED');
    expect(await server.sql(`SELECT 1 FROM offices WHERE code = $1`, [input.code])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('createOffice (headquarters)', () => {
  test('creates the office, returns it, and writes exactly one audit record', async () => {
    const code = freshCode();
    const before = await lastAuditSeq();
    const data = await hq.ok(CREATE_OFFICE, {
      input: { code, name: '  Denver Field Office  ', timeZone: 'America/Denver' },
    });
    const office = data.createOffice;
    expect(office).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      code,
      name: 'Denver Field Office',
      timeZone: 'America/Denver',
    });

    const rows = await server.sql(
      `SELECT id, code, name, time_zone, created_at FROM offices WHERE code = $1`,
      [code],
    );
    expect(rows).toEqual([
      {
        id: office.id,
        code,
        name: 'Denver Field Office',
        time_zone: 'America/Denver',
        created_at: server.clock.now(),
      },
    ]);

    const audit = await auditSince(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      kind: 'CHANGE',
      operation: 'createOffice',
      actor_id: await server.userId(HQ),
      actor_role: 'HEADQUARTERS',
      actor_office_id: null,
      record_type: 'Office',
      record_ids: [office.id],
      office_ids: [office.id],
      reason: null,
      change: { after: { code, name: 'Denver Field Office', timeZone: 'America/Denver' } },
    });

    const listed = await hq.ok<{ offices: { code: string }[] }>(OFFICES);
    expect(listed.offices.map((o) => o.code)).toContain(code);
    const integrity = await hq.ok(`{ auditIntegrity { ok firstBrokenId } }`);
    expect(integrity.auditIntegrity).toEqual({ ok: true, firstBrokenId: null });
  });

  test('accepts UTC as a time zone', async () => {
    const code = freshCode();
    const data = await hq.ok(CREATE_OFFICE, {
      input: { code, name: 'Headquarters Annex', timeZone: 'UTC' },
    });
    expect(data.createOffice).toMatchObject({ code, timeZone: 'UTC' });
  });

  const valid = { name: 'Validation Office', timeZone: 'America/Phoenix' };
  test.each([
    ['code in lower case', { code: 'abc' }, 'input.code'],
    ['code of one letter', { code: 'A' }, 'input.code'],
    ['code of nine letters', { code: 'ABCDEFGHI' }, 'input.code'],
    ['code with a digit', { code: 'NY1' }, 'input.code'],
    ['code with a space', { code: 'N Y' }, 'input.code'],
    ['empty code', { code: '' }, 'input.code'],
    ['empty name', { name: '' }, 'input.name'],
    ['name of 201 characters', { name: 'N'.repeat(201) }, 'input.name'],
    ['blank name', { name: '   ' }, 'input.name'],
    ['unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'input.timeZone'],
    ['abbreviation for a time zone', { timeZone: 'EST' }, 'input.timeZone'],
    ['offset for a time zone', { timeZone: '-05:00' }, 'input.timeZone'],
    ['empty time zone', { timeZone: '' }, 'input.timeZone'],
  ])('%s is BAD_USER_INPUT naming the field, and nothing changes', async (_label, patch, field) => {
    const input = { code: freshCode(), ...valid, ...patch };
    const res = await unchanged(server, () => hq.request(CREATE_OFFICE, { input }));
    expectError(res, 'BAD_USER_INPUT', field);
    expect(res.errors?.[0].extensions?.fields).toContain(field);
  });

  test('several invalid fields are all named, the first in extensions.field', async () => {
    const input = { code: 'bad', name: 'Two Problems', timeZone: 'Nowhere/Else' };
    const res = await unchanged(server, () => hq.request(CREATE_OFFICE, { input }));
    expectError(res, 'BAD_USER_INPUT', 'input.code');
    expect(res.errors?.[0].extensions?.fields).toEqual(['input.code', 'input.timeZone']);
  });

  test('a duplicate code is BAD_USER_INPUT on input.code, and nothing changes', async () => {
    const res = await unchanged(server, () =>
      hq.request(CREATE_OFFICE, {
        input: { code: 'NYC', name: 'Second New York', timeZone: 'America/New_York' },
      }),
    );
    expectError(res, 'BAD_USER_INPUT', 'input.code');
  });

  test('two concurrent creates of one code: one office, one audit record, one BAD_USER_INPUT', async () => {
    const code = freshCode();
    const before = await lastAuditSeq();
    const input = { code, name: 'Racing Office', timeZone: 'America/Denver' };
    const results = await Promise.all([
      hq.request(CREATE_OFFICE, { input }),
      hq.request(CREATE_OFFICE, { input }),
    ]);
    const failed = results.filter((r) => r.errors);
    const succeeded = results.filter((r) => !r.errors);
    expect(succeeded).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0].errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.code',
    });
    expectHygienic(failed[0]);
    expect(await server.sql(`SELECT id FROM offices WHERE code = $1`, [code])).toHaveLength(1);
    expect((await auditSince(before)).map((a) => a.operation)).toEqual(['createOffice']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('createUser (headquarters)', () => {
  test('creates an officer in an office, who can then sign in; one audit record', async () => {
    const email = freshEmail('New.Officer');
    const before = await lastAuditSeq();
    const data = await hq.ok(CREATE_USER, {
      input: { email, name: ' Nadia Novak ', role: 'FIELD_OFFICER', officeCode: 'CHI' },
    });
    const user = data.createUser;
    expect(user).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: email.toLowerCase(),
      name: 'Nadia Novak',
      role: 'FIELD_OFFICER',
      active: true,
      deactivatedAt: null,
      office: { code: 'CHI', timeZone: 'America/Chicago' },
    });

    const chi = await officeId('CHI');
    expect(
      await server.sql(
        `SELECT email, name, role::text, office_id, active, deactivated_at FROM users WHERE id = $1`,
        [user.id],
      ),
    ).toEqual([
      {
        email: email.toLowerCase(),
        name: 'Nadia Novak',
        role: 'FIELD_OFFICER',
        office_id: chi,
        active: true,
        deactivated_at: null,
      },
    ]);

    const audit = await auditSince(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      operation: 'createUser',
      actor_id: await server.userId(HQ),
      record_type: 'User',
      record_ids: [user.id],
      office_ids: [chi],
      change: {
        after: {
          email: email.toLowerCase(),
          name: 'Nadia Novak',
          role: 'FIELD_OFFICER',
          officeCode: 'CHI',
        },
      },
    });

    const me = await (await clientFor(user.id)).ok(ME);
    expect(me.me).toMatchObject({ id: user.id, role: 'FIELD_OFFICER', office: { code: 'CHI' } });
  });

  test('creates a supervisor in a new office', async () => {
    const code = freshCode();
    await hq.ok(CREATE_OFFICE, {
      input: { code, name: 'Seattle Field Office', timeZone: 'America/Los_Angeles' },
    });
    const data = await hq.ok(CREATE_USER, {
      input: {
        email: freshEmail('supervisor'),
        name: 'Sam Seattle',
        role: 'SUPERVISOR',
        officeCode: code,
      },
    });
    expect(data.createUser).toMatchObject({ role: 'SUPERVISOR', office: { code } });
  });

  test('creates a headquarters user without an office', async () => {
    const email = freshEmail('hq');
    const before = await lastAuditSeq();
    const data = await hq.ok(CREATE_USER, {
      input: { email, name: 'Harriet Quill', role: 'HEADQUARTERS' },
    });
    expect(data.createUser).toMatchObject({ email, role: 'HEADQUARTERS', office: null });
    const [row] = await server.sql(`SELECT office_id FROM users WHERE id = $1`, [
      data.createUser.id,
    ]);
    expect(row.office_id).toBeNull();
    const audit = await auditSince(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      operation: 'createUser',
      record_ids: [data.createUser.id],
      office_ids: [],
    });
  });

  const valid = { name: 'Valid Person', role: 'FIELD_OFFICER', officeCode: 'NYC' };
  test.each([
    ['an officer without officeCode', { officeCode: undefined }, 'input.officeCode'],
    ['an officer with a null officeCode', { officeCode: null }, 'input.officeCode'],
    [
      'a supervisor without officeCode',
      { role: 'SUPERVISOR', officeCode: undefined },
      'input.officeCode',
    ],
    ['headquarters with an officeCode', { role: 'HEADQUARTERS' }, 'input.officeCode'],
    [
      'headquarters with an empty officeCode',
      { role: 'HEADQUARTERS', officeCode: '' },
      'input.officeCode',
    ],
    ['an unknown office', { officeCode: 'ZZZ' }, 'input.officeCode'],
    ['a malformed office code', { officeCode: 'nyc' }, 'input.officeCode'],
    ['an existing email in another case', { email: 'Officer.NYC@example.gov' }, 'input.email'],
    ['an existing email', { email: HQ, role: 'HEADQUARTERS', officeCode: null }, 'input.email'],
    ['a bad email', { email: 'not-an-email' }, 'input.email'],
    ['an email without a domain', { email: 'someone@' }, 'input.email'],
    ['an email that is too long', { email: `${'a'.repeat(250)}@x.gov` }, 'input.email'],
    ['an empty name', { name: '' }, 'input.name'],
    ['a blank name', { name: '   ' }, 'input.name'],
    ['a name of 201 characters', { name: 'N'.repeat(201) }, 'input.name'],
  ])('%s is BAD_USER_INPUT naming the field, and nothing changes', async (_label, patch, field) => {
    const input: Record<string, unknown> = { email: freshEmail('invalid'), ...valid, ...patch };
    if (input.officeCode === undefined) delete input.officeCode;
    const res = await unchanged(server, () => hq.request(CREATE_USER, { input }));
    expectError(res, 'BAD_USER_INPUT', field);
  });

  test('an unknown role is refused before anything runs, and nothing changes', async () => {
    const res = await unchanged(server, () =>
      hq.request(CREATE_USER, {
        input: { email: freshEmail('king'), name: 'King', role: 'KING', officeCode: 'NYC' },
      }),
    );
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(res.data ?? null).toBeNull();
    expectHygienic(res);
  });

  test('two concurrent creates of one email (differing in case): one user, one BAD_USER_INPUT', async () => {
    const email = freshEmail('twin');
    const before = await lastAuditSeq();
    const results = await Promise.all(
      [email, email.toUpperCase()].map((e) =>
        hq.request(CREATE_USER, {
          input: { email: e, name: 'Twin', role: 'FIELD_OFFICER', officeCode: 'LAX' },
        }),
      ),
    );
    const failed = results.filter((r) => r.errors);
    expect(failed).toHaveLength(1);
    expect(failed[0].errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.email',
    });
    expectHygienic(failed[0]);
    expect(await server.sql(`SELECT id FROM users WHERE email = $1`, [email])).toHaveLength(1);
    expect((await auditSince(before)).map((a) => a.operation)).toEqual(['createUser']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('deactivateUser (headquarters)', () => {
  test('deactivates at once: active false, deactivatedAt now, one audit record with the reason', async () => {
    const user = await newUser('SUPERVISOR', 'LAX');
    const at = new Date('2021-03-02T09:30:00.000Z');
    server.clock.set(at);
    const before = await lastAuditSeq();

    const data = await hq.ok(DEACTIVATE_USER, {
      input: { userId: user.id, reason: 'Transferred out of the agency' },
    });
    expect(data.deactivateUser).toEqual({
      id: user.id,
      email: user.email,
      role: 'SUPERVISOR',
      active: false,
      deactivatedAt: at.toISOString(),
    });

    expect(
      await server.sql(`SELECT active, deactivated_at FROM users WHERE id = $1`, [user.id]),
    ).toEqual([{ active: false, deactivated_at: at }]);

    const audit = await auditSince(before);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      kind: 'CHANGE',
      operation: 'deactivateUser',
      actor_id: await server.userId(HQ),
      actor_role: 'HEADQUARTERS',
      record_type: 'User',
      record_ids: [user.id],
      office_ids: [await officeId('LAX')],
      reason: 'Transferred out of the agency',
      change: { before: { active: true }, after: { active: false } },
    });
  });

  test('deactivating twice is CONFLICT the second time, and nothing changes', async () => {
    const user = await newUser('FIELD_OFFICER');
    await hq.ok(DEACTIVATE_USER, { input: { userId: user.id, reason: 'First time' } });
    const res = await unchanged(server, () =>
      hq.request(DEACTIVATE_USER, { input: { userId: user.id, reason: 'Second time' } }),
    );
    expectError(res, 'CONFLICT');
  });

  test('two concurrent deactivations: one succeeds, the other is CONFLICT; one audit record', async () => {
    const user = await newUser('FIELD_OFFICER');
    const before = await lastAuditSeq();
    const results = await Promise.all(
      ['Race one', 'Race two'].map((reason) =>
        hq.request(DEACTIVATE_USER, { input: { userId: user.id, reason } }),
      ),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.flatMap((r) => (r.errors ?? []).map((e) => e.extensions?.code))).toEqual([
      'CONFLICT',
    ]);
    expect((await auditSince(before)).map((a) => a.operation)).toEqual(['deactivateUser']);
  });

  test.each([
    ['an unknown uuid', '5b0c0e52-9a63-4b1e-8f4e-6a1f2d3c4b5a'],
    ['a non-uuid', 'not-a-uuid'],
    ['a quoted string', "x' OR '1'='1"],
    ['an empty id', ''],
  ])('%s is NOT_FOUND, and nothing changes', async (_label, userId) => {
    const res = await unchanged(server, () =>
      hq.request(DEACTIVATE_USER, { input: { userId, reason: 'No such person' } }),
    );
    expectError(res, 'NOT_FOUND');
  });

  test('headquarters deactivating themself is FORBIDDEN, and nothing changes', async () => {
    const self = await server.userId(HQ);
    const res = await unchanged(server, () =>
      hq.request(DEACTIVATE_USER, { input: { userId: self, reason: 'Leaving' } }),
    );
    expectError(res, 'FORBIDDEN');
  });

  test('headquarters deactivating themself by the upper-case id is FORBIDDEN too', async () => {
    const self = (await server.userId(HQ)).toUpperCase();
    const res = await unchanged(server, () =>
      hq.request(DEACTIVATE_USER, { input: { userId: self, reason: 'Leaving' } }),
    );
    expectError(res, 'FORBIDDEN');
  });

  test.each([
    ['too short', 'ab'],
    ['empty', ''],
    ['blank', '     '],
    ['too long', 'r'.repeat(2001)],
  ])('a reason %s is BAD_USER_INPUT on input.reason, and nothing changes', async (_l, reason) => {
    const user = await newUser('FIELD_OFFICER');
    const res = await unchanged(server, () =>
      hq.request(DEACTIVATE_USER, { input: { userId: user.id, reason } }),
    );
    expectError(res, 'BAD_USER_INPUT', 'input.reason');
    const [row] = await server.sql(`SELECT active FROM users WHERE id = $1`, [user.id]);
    expect(row.active).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe('administration is for headquarters only', () => {
  test.each([OFFICER_NYC, SUPERVISOR_NYC])(
    '%s calling createOffice is FORBIDDEN, and nothing changes',
    async (email) => {
      const client = await server.as(email);
      const code = freshCode();
      const res = await unchanged(server, () =>
        client.request(CREATE_OFFICE, {
          input: { code, name: 'Unauthorized Office', timeZone: 'America/Denver' },
        }),
      );
      expectError(res, 'FORBIDDEN');
    },
  );

  test.each([
    [SUPERVISOR_NYC, 'FIELD_OFFICER', 'NYC'],
    [SUPERVISOR_LAX, 'HEADQUARTERS', null],
    [OFFICER_NYC, 'FIELD_OFFICER', 'NYC'],
  ])('%s calling createUser (%s) is FORBIDDEN, and nothing changes', async (email, role, code) => {
    const client = await server.as(email);
    const res = await unchanged(server, () =>
      client.request(CREATE_USER, {
        input: { email: freshEmail('unauthorized'), name: 'Nobody', role, officeCode: code },
      }),
    );
    expectError(res, 'FORBIDDEN');
  });

  test('a supervisor deactivating an officer of their own office is FORBIDDEN, and nothing changes', async () => {
    const client = await server.as(SUPERVISOR_NYC);
    const target = await server.userId(OFFICER2_NYC);
    const res = await unchanged(server, () =>
      client.request(DEACTIVATE_USER, { input: { userId: target, reason: 'Misconduct' } }),
    );
    expectError(res, 'FORBIDDEN');
    expect((await (await server.as(OFFICER2_NYC)).ok(ME)).me.active).toBe(true);
  });

  test('an officer deactivating headquarters is FORBIDDEN, and nothing changes', async () => {
    const client = await server.as(OFFICER_LAX);
    const userId = await server.userId(HQ);
    const res = await unchanged(server, () =>
      client.request(DEACTIVATE_USER, { input: { userId, reason: 'Takeover' } }),
    );
    expectError(res, 'FORBIDDEN');
  });

  test('a non-headquarters caller gets FORBIDDEN even for invalid input (no validation leak)', async () => {
    const client = await server.as(SUPERVISOR_NYC);
    const res = await unchanged(server, () =>
      client.request(CREATE_OFFICE, { input: { code: 'bad', name: '', timeZone: 'Nowhere' } }),
    );
    expectError(res, 'FORBIDDEN');
    expect(res.errors?.[0].extensions?.field).toBeUndefined();
  });

  test('anonymous callers get UNAUTHENTICATED for each administration mutation', async () => {
    const anonymous = server.anonymous();
    await unchanged(server, async () => {
      expectError(
        await anonymous.request(CREATE_OFFICE, {
          input: { code: freshCode(), name: 'Anon Office', timeZone: 'America/Denver' },
        }),
        'UNAUTHENTICATED',
      );
      expectError(
        await anonymous.request(CREATE_USER, {
          input: { email: freshEmail('anon'), name: 'Anon', role: 'HEADQUARTERS' },
        }),
        'UNAUTHENTICATED',
      );
      expectError(
        await anonymous.request(DEACTIVATE_USER, {
          input: { userId: await server.userId(OFFICER_NYC), reason: 'Anonymous' },
        }),
        'UNAUTHENTICATED',
      );
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('error hygiene', () => {
  test('no error response carries a stack trace or SQL, whatever the failure', async () => {
    const officer = await server.as(OFFICER_NYC);
    const responses: GraphQLResponse[] = [
      await hq.request(`{ me `),
      await hq.request(`{ me { noSuchField } }`),
      await hq.request(CREATE_OFFICE, { input: { code: 'NYC' } }),
      await hq.request(CREATE_OFFICE, {
        input: { code: 'NYC', name: 'Dup', timeZone: 'America/New_York' },
      }),
      await hq.request(CREATE_USER, {
        input: {
          email: 'OFFICER.NYC@example.gov',
          name: 'Dup',
          role: 'FIELD_OFFICER',
          officeCode: 'NYC',
        },
      }),
      await hq.request(DEACTIVATE_USER, {
        input: { userId: '5b0c0e52-9a63-4b1e-8f4e-6a1f2d3c4b5a', reason: 'None' },
      }),
      await officer.request(CREATE_OFFICE, {
        input: { code: freshCode(), name: 'X', timeZone: 'UTC' },
      }),
      await withHeader('Bearer not.a.jwt').request(ME),
      await withHeader(`Bearer ${await signToken({ sub: 'not-a-uuid' })}`).request(ME),
    ];
    for (const res of responses) {
      expect(res.errors?.length).toBeGreaterThan(0);
      expectHygienic(res);
    }
  });

  test.each([
    ['a syntax error', '{ me ', undefined, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field', '{ me { noSuchField } }', undefined, 'GRAPHQL_VALIDATION_FAILED'],
    ['a missing input field', CREATE_OFFICE, { input: { code: 'QQQ' } }, 'BAD_USER_INPUT'],
    [
      'an unknown enum value',
      CREATE_USER,
      { input: { email: 'enum@example.gov', name: 'Enum', role: 'ADMIN', officeCode: 'NYC' } },
      'BAD_USER_INPUT',
    ],
  ])(
    'a malformed request (%s) gets its own code, not INTERNAL_SERVER_ERROR, and nothing changes',
    async (_label, query, variables, code) => {
      const res = await unchanged(server, () => hq.request(query, variables));
      expect(res.errors?.length).toBeGreaterThan(0);
      for (const error of res.errors ?? []) expect(error.extensions?.code).toBe(code);
      expect(res.errors?.[0].message).not.toBe('Internal server error.');
      expect(res.data ?? null).toBeNull();
      expectHygienic(res);
    },
  );

  test('text the database cannot store (a NUL character) is BAD_USER_INPUT naming it, in variables or in the document, and nothing changes', async () => {
    const byVariable = await unchanged(server, () =>
      hq.request(CREATE_OFFICE, {
        input: { code: freshCode(), name: 'Nul\u0000Office', timeZone: 'America/Denver' },
      }),
    );
    const literal = `mutation { createOffice(input: { code: "${freshCode()}", name: "Nul\\u0000Office", timeZone: "America/Denver" }) { id } }`;
    const inDocument = await unchanged(server, () => hq.request(literal));
    for (const res of [byVariable, inDocument]) {
      expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([
        ['BAD_USER_INPUT', 'input.name'],
      ]);
      expect(res.errors?.[0].message).toBe(
        'input.name: must not contain the NUL character (U+0000)',
      );
      expect(res.data ?? null).toBeNull();
      expectHygienic(res);
    }
  });
});
