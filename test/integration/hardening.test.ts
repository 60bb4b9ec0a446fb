/**
 * Findings of the attack pass (issue #10) on input and output bounds, each kept closed: far dates
 * and ranges are refused before any loop or query, hostile cursors and variables are input errors,
 * and production answers never suggest schema names.
 */
import { codes } from '../helpers/given';
import {
  fingerprint,
  HQ,
  OFFICER_NYC,
  SUPERVISOR_NYC,
  startTestServer,
  TestServer,
} from '../helpers/server';

let server: TestServer;
let production: TestServer;
beforeAll(async () => {
  [server, production] = await Promise.all([
    startTestServer(),
    startTestServer({ env: { NODE_ENV: 'production' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), production?.stop()]);
});

const WEEKLY_REPORTS = `query R($from: Date!, $to: Date!) {
  weeklyReports(filter: { from: $from, to: $to }) { officeCode weekStart }
}`;

describe('dates and ranges are bounded before any loop or query', () => {
  test.each([HQ, SUPERVISOR_NYC])(
    'weeklyReports from 1800 to 9999 is refused at once, naming the years allowed (%s)',
    async (email) => {
      const client = await server.as(email);
      server.statements.length = 0;
      const res = await client.request(
        `{ weeklyReports(filter: { from: "1800-01-01", to: "9999-12-31" }) { officeCode } }`,
      );
      expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
      expect(res.errors?.[0].message).toMatch(/1900–2199/);
      // Refused while parsing the literal: no statement beyond the caller lookup.
      expect(server.statements.length).toBeLessThanOrEqual(1);
    },
  );

  test('the same range in variables is BAD_USER_INPUT naming the variable', async () => {
    const client = await server.as(HQ);
    const res = await client.request(WEEKLY_REPORTS, { from: '1800-01-01', to: '9999-12-31' });
    expect(codes(res)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(res.errors?.map((e) => e.message).join(' ')).toMatch(/\$from.*\$to/s);
  });

  test('the widest allowed range is refused by the office-week cap, not walked', async () => {
    const client = await server.as(HQ);
    const res = await client.request(WEEKLY_REPORTS, { from: '1900-01-01', to: '2199-12-31' });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0].extensions?.field).toBe('filter.from');
    expect(res.errors?.[0].message).toMatch(/office-weeks/);
  });

  test('a range at the end of the years allowed answers, with four-digit years', async () => {
    const client = await server.as(SUPERVISOR_NYC);
    const res = await client.request<{ weeklyReports: { weekStart: string }[] }>(
      `{ weeklyReports(filter: { from: "2199-12-01", to: "2199-12-31" }) { weekStart dueAt } }`,
    );
    expect(res.errors).toBeUndefined();
    // Weeks after today are not listed yet; nothing in the answer can leave RFC 3339.
    expect(JSON.stringify(res.data)).not.toMatch(/[+-]\d{6}-/);
  });

  test.each([
    [
      'figures',
      `{ enforcementStats(filter: { from: "1899-12-31", to: "2021-01-01" }, groupBy: [WEEK]) { count } }`,
    ],
    [
      'approval figures',
      `{ approvalStats(filter: { from: "2021-01-01", to: "2200-01-01" }, groupBy: [WEEK]) { requested } }`,
    ],
    ['compliance', `{ reportingCompliance(weekStart: "9999-12-27") { officeCode } }`],
  ])('%s with a date outside 1900–2199 are refused', async (_label, query) => {
    const client = await server.as(HQ);
    const res = await client.request(query);
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  test('an instant outside 1900–2199 is BAD_USER_INPUT and nothing is written', async () => {
    const officer = await server.as(OFFICER_NYC);
    const before = await fingerprint(server);
    const res = await officer.request(
      `mutation A($input: RecordEnforcementActionInput!) { recordEnforcementAction(input: $input) { id } }`,
      {
        input: {
          caseId: '5b0c0e52-9a63-4b1e-8f4e-6a1f2d3c4b5a',
          type: 'ARREST',
          occurredAt: '+010000-01-03T18:00:00.000Z',
          location: 'Queens, NY',
        },
      },
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(await fingerprint(server)).toEqual(before);
  });
});

describe('hostile input is BAD_USER_INPUT, never INTERNAL_SERVER_ERROR', () => {
  test.each([
    ['a 26-digit sequence', ['12345678901234567890123456']],
    ['zero', ['0']],
    ['a negative number', ['-1']],
    ['a number with spaces', [' 1']],
  ])('auditTrail after a cursor holding %s', async (_label, values) => {
    const client = await server.as(HQ);
    const after = Buffer.from(JSON.stringify(values)).toString('base64url');
    const res = await client.request(
      `query A($after: String) { auditTrail(after: $after) { edges { cursor } } }`,
      {
        after,
      },
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0].extensions?.field).toBe('after');
  });

  test.each([
    [
      'an instant Date.parse reads but PostgreSQL does not',
      ['1', '5b0c0e52-9a63-4b1e-8f4e-6a1f2d3c4b5a'],
    ],
    [
      'a year beyond PostgreSQL',
      ['+275760-09-13T00:00:00.000Z', '5b0c0e52-9a63-4b1e-8f4e-6a1f2d3c4b5a'],
    ],
  ])('cases and approvalQueue after a cursor holding %s', async (_label, values) => {
    const client = await server.as(SUPERVISOR_NYC);
    const after = Buffer.from(JSON.stringify(values)).toString('base64url');
    for (const field of ['cases', 'approvalQueue']) {
      const res = await client.request(
        `query A($after: String) { ${field}(after: $after) { totalCount } }`,
        {
          after,
        },
      );
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
  });

  test('a variable with 60 coercion errors is BAD_USER_INPUT, even unauthenticated', async () => {
    const res = await server
      .anonymous()
      .request(
        `mutation U($input: UpdateCaseFactsInput!) { updateCaseFacts(input: $input) { id } }`,
        {
          input: {
            caseId: '5b0c0e52-9a63-4b1e-8f4e-6a1f2d3c4b5a',
            expectedVersion: 1,
            vacateConvictionIds: Array.from({ length: 60 }, () => true),
          },
        },
      );
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(new Set(codes(res))).toEqual(new Set(['BAD_USER_INPUT']));
  });
});

describe('text that is not well-formed Unicode is BAD_USER_INPUT, and nothing is written', () => {
  // Found by the fuzzer (fuzz-mutations.test.ts): JSON carries an unpaired UTF-16 surrogate
  // ("\ud800"), which PostgreSQL cannot store: in the audit record's jsonb it failed the statement
  // (INTERNAL_SERVER_ERROR), in a text column it was silently replaced by U+FFFD.
  const OPEN = `mutation O($input: OpenCaseInput!) { openCase(input: $input) { id subject { name } } }`;
  const subject = (name: string) => ({
    subject: {
      name,
      dateOfBirth: '1980-01-01',
      aNumber: 'A123-456-789',
      countryOfCitizenship: 'MX',
    },
  });

  test.each([
    ['a lone high surrogate, in an audited change', HQ, 'createOffice', 'input.name'],
    ['a lone low surrogate, in a subject', OFFICER_NYC, 'openCase', 'input.subject.name'],
  ])('%s', async (_label, email, mutation, field) => {
    const client = await server.as(email);
    const before = await fingerprint(server);
    const res =
      mutation === 'createOffice'
        ? await client.request(
            `mutation C($input: CreateOfficeInput!) { createOffice(input: $input) { id } }`,
            { input: { code: 'SURR', name: '\ud800 office', timeZone: 'America/Denver' } },
          )
        : await client.request(OPEN, { input: subject('Ana \udc00Ruiz') });
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([
      ['BAD_USER_INPUT', field],
    ]);
    expect(res.errors?.[0].message).toBe(
      `${field}: must be well-formed Unicode (no unpaired surrogate such as \\ud800)`,
    );
    expect(res.data ?? null).toBeNull();
    expect(await fingerprint(server)).toEqual(before);
  });

  test('a lone surrogate in a reason (a text column of the audit log) cannot break the chain', async () => {
    // Before: the reason was stored with U+FFFD but hashed as sent, and auditIntegrity said ok: false.
    const hq = await server.as(HQ);
    const { createUser } = await hq.ok(
      `mutation U($input: CreateUserInput!) { createUser(input: $input) { id } }`,
      {
        input: {
          email: 'surrogate@example.gov',
          name: 'S',
          role: 'FIELD_OFFICER',
          officeCode: 'NYC',
        },
      },
    );
    const before = await fingerprint(server);
    const res = await hq.request(
      `mutation D($input: DeactivateUserInput!) { deactivateUser(input: $input) { id } }`,
      { input: { userId: createUser.id, reason: 'Left \ud800 the agency.' } },
    );
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([
      ['BAD_USER_INPUT', 'input.reason'],
    ]);
    expect(await fingerprint(server)).toEqual(before);
    expect((await hq.ok(`{ auditIntegrity { ok } }`)).auditIntegrity.ok).toBe(true);
  });

  test('a surrogate pair (an emoji) is text like any other', async () => {
    const client = await server.as(OFFICER_NYC);
    const data = await client.ok(OPEN, { input: subject('Ana 😀 Ruiz') });
    expect(data.openCase.subject.name).toBe('Ana 😀 Ruiz');
  });
});

describe('production suggests nothing', () => {
  test('a misspelt enum literal names no enum value', async () => {
    const res = await production
      .anonymous()
      .request(`{ cases(filter: { status: OPN }) { totalCount } }`);
    expect(res.errors?.length).toBeGreaterThan(0);
    const text = JSON.stringify(res.errors);
    expect(text).not.toMatch(/did you mean/i);
    expect(text).not.toContain('OPEN');
  });

  test('a misspelt enum value in variables names no enum value', async () => {
    const res = await production
      .anonymous()
      .request(`query C($f: CaseFilter) { cases(filter: $f) { totalCount } }`, {
        f: { status: 'OPN' },
      });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const text = JSON.stringify(res.errors);
    expect(text).not.toMatch(/did you mean/i);
    expect(text).not.toContain('OPEN');
  });

  test('a misspelt field or argument names no field', async () => {
    const res = await production.anonymous().request(`{ cases(fist: 1) { totalCont } }`);
    const text = JSON.stringify(res.errors);
    expect(text).not.toMatch(/did you mean/i);
    expect(text).not.toMatch(/"first"|"totalCount"/);
  });

  test('outside production the suggestion helps the developer', async () => {
    const res = await server
      .anonymous()
      .request(`{ cases(filter: { status: OPN }) { totalCount } }`);
    expect(res.errors?.map((e) => e.message).join(' ')).toMatch(
      /Did you mean the enum value "OPEN"/,
    );
  });
});
