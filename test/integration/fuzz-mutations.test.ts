/**
 * Schema-driven fuzzing of every mutation (issue #10): the mutations and their input types come
 * from the schema the service serves, so a new one is fuzzed without touching this file. Each case
 * is one call through the real HTTP server, as a demo user of a role the shield lets call it, with
 * variables that are plausible as a whole or hostile field by field (test/helpers/fuzz.ts).
 * Every answer must hold: no INTERNAL_SERVER_ERROR, no error without a code, no stack trace or
 * source path anywhere in the body, HTTP 200 or 400, never data next to errors, and a refused call
 * leaves every table as it was. Fixed seed: a failure replays; fast-check prints the mutation, the
 * actor, the variables and the answer.
 */
import fc from 'fast-check';
import { GraphQLObjectType } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { DEMO_USERS } from '../../src/db/seed';
import { buildServedSchema, NO_TOPIC_PUBSUB, RESOLVERS } from '../../src/server/schema';
import { Role } from '../../src/auth/role';
import {
  mutationDocument,
  rolesAllowed,
  selectionFor,
  STACK_MARKERS,
  variablesArbitrary,
  type FuzzContext,
  type Pools,
} from '../helpers/fuzz';
import { convictionInput, openCase } from '../helpers/given';
import {
  Client,
  HQ,
  OFFICER_LAX,
  OFFICER_NYC,
  startTestServer,
  SUPERVISOR_LAX,
  SUPERVISOR_NYC,
  type TestServer,
} from '../helpers/server';
import { writeCheck, type WriteCheck, type WriteMark } from '../helpers/writes';

const SEED = 20261202;
const MIN_CASES = 2000;
const NOW = new Date('2021-06-01T14:00:00Z');

// Built synchronously so that each mutation gets its own test; the same types the server serves
// (a test below checks the served schema has exactly these mutations).
const schema = buildSchemaSync({
  resolvers: RESOLVERS,
  pubSub: NO_TOPIC_PUBSUB,
  validate: { forbidUnknownValues: false, stopAtFirstError: false },
});
const mutationType = schema.getMutationType() as GraphQLObjectType;
const mutations = Object.values(mutationType.getFields());
const RUNS = Math.ceil(MIN_CASES / mutations.length);

let server: TestServer;
let writes: WriteCheck;
let nextMark: WriteMark | null = null;
let ctx: FuzzContext;
const tokens = new Map<string, string>();
let cases = 0;
/** Per mutation, how many answers had each first error code (OK: no error). */
const outcomes = new Map<string, Map<string, number>>();
const tally = (name: string, outcome: string) => {
  const counts = outcomes.get(name) ?? new Map<string, number>();
  counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  outcomes.set(name, counts);
};

const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant and is about to relocate; acting now is a justified use of resources.';
const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`;
const RECORD = `mutation($input: RecordEnforcementActionInput!) { recordEnforcementAction(input: $input) { id } }`;
const REQUEST = `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id } }`;
const past = (hours: number) => new Date(NOW.getTime() - hours * 3600_000).toISOString();

/** Records in every state the mutations act on, in one office: the ids the fuzzer aims at. */
async function recordsIn(officer: Client, supervisor: Client, place: string): Promise<void> {
  const presumed = await openCase(officer, { convictions: [convictionInput()] });
  await officer.ok(ASSESS, { input: { caseId: presumed.id } });
  await officer.ok(RECORD, {
    input: { caseId: presumed.id, type: 'ARREST', occurredAt: past(2), location: place },
  });
  for (let i = 0; i < 3; i++) {
    const c = await openCase(officer, {
      facts: {},
      convictions: [convictionInput(), convictionInput({ offense: 'Petty theft' })],
    });
    await officer.ok(ASSESS, { input: { caseId: c.id } });
    if (i === 0) {
      await officer.ok(REQUEST, {
        input: { caseId: c.id, actionType: 'ARREST', justification: JUSTIFICATION },
      });
    } else if (i === 1) {
      const { requestApproval } = await officer.ok(REQUEST, {
        input: { caseId: c.id, actionType: 'DETAINER_ISSUED', justification: JUSTIFICATION },
      });
      await supervisor.ok(
        `mutation($input: DecideApprovalRequestInput!) { decideApprovalRequest(input: $input) { id } }`,
        { input: { id: requestApproval.id, decision: 'APPROVE', reason: 'Justified.' } },
      );
    } else {
      await officer.ok(RECORD, {
        input: {
          caseId: c.id,
          type: 'ARREST',
          occurredAt: past(3),
          location: place,
          exigent: { narrative: 'Boarding an international flight; no supervisor reachable.' },
        },
      });
    }
  }
  const closed = await openCase(officer);
  await officer.ok(`mutation($input: CloseCaseInput!) { closeCase(input: $input) { id } }`, {
    input: { caseId: closed.id, reason: 'Duplicate of another case.' },
  });
}

async function poolsOf(s: TestServer): Promise<Pools> {
  const ids = async (sql: string) => (await s.sql<{ id: string }>(sql)).map((r) => r.id);
  const demo = DEMO_USERS.map((u) => u.email);
  return {
    cases: await ids(`SELECT id FROM cases ORDER BY subject_a_number, id`),
    requests: await ids(
      `SELECT r.id FROM approval_requests r JOIN cases c ON c.id = r.case_id ORDER BY c.subject_a_number, r.kind, r.action_type`,
    ),
    actions: await ids(
      `SELECT a.id FROM enforcement_actions a JOIN cases c ON c.id = a.case_id ORDER BY c.subject_a_number, a.occurred_at`,
    ),
    convictions: await ids(
      `SELECT v.id FROM convictions v JOIN cases c ON c.id = v.case_id ORDER BY c.subject_a_number, v.offense`,
    ),
    // Not the users who act: a deactivated actor would turn every later call into UNAUTHENTICATED.
    users: (
      await s.sql<{ id: string }>(`SELECT id FROM users WHERE email <> ALL($1) ORDER BY email`, [
        demo,
      ])
    ).map((r) => r.id),
    offices: await ids(`SELECT id FROM offices ORDER BY code`),
    officeCodes: (await s.sql<{ code: string }>(`SELECT code FROM offices ORDER BY code`)).map(
      (r) => r.code,
    ),
    policyCodes: (
      await s.sql<{ code: string }>(`SELECT code FROM policy_versions ORDER BY code`)
    ).map((r) => r.code),
  };
}

beforeAll(async () => {
  server = await startTestServer({ now: NOW });
  for (const u of DEMO_USERS) tokens.set(u.email, (await server.as(u.email)).token as string);
  const hq = await server.as(HQ);
  await recordsIn(await server.as(OFFICER_NYC), await server.as(SUPERVISOR_NYC), 'Queens, NY');
  await recordsIn(await server.as(OFFICER_LAX), await server.as(SUPERVISOR_LAX), 'Van Nuys, CA');
  // Users the fuzzer may deactivate or assign cases to.
  for (const [email, role, officeCode] of [
    ['bystander.officer.nyc@example.gov', 'FIELD_OFFICER', 'NYC'],
    ['bystander.supervisor.nyc@example.gov', 'SUPERVISOR', 'NYC'],
    ['bystander.officer.lax@example.gov', 'FIELD_OFFICER', 'LAX'],
    ['bystander.hq@example.gov', 'HEADQUARTERS', null],
  ])
    await hq.ok(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
      input: { email, name: 'Bystander', role, ...(officeCode ? { officeCode } : {}) },
    });
  ctx = { pools: await poolsOf(server), now: NOW };
  writes = await writeCheck(server);
});

afterAll(async () => {
  await server?.stop();
});

const clip = (s: string, n = 3000) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

/** One call, checked; throws (for fast-check to report) with everything needed to replay it. */
async function fuzzCall(
  name: string,
  query: string,
  email: string,
  variables: Record<string, unknown>,
  key: string | null,
): Promise<void> {
  const body = JSON.stringify({ query, variables });
  // The check after a refused call marks for the next one; a success moved the data: mark again.
  const mark = nextMark ?? (await writes.mark());
  nextMark = null;
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${tokens.get(email)}`,
      ...(key === null ? {} : { 'idempotency-key': key }),
    },
    body,
  });
  const text = await res.text();
  cases += 1;
  const problems: string[] = [];
  const tooLarge = res.status === 413 && Buffer.byteLength(body) > 1_000_000;
  if (res.status !== 200 && res.status !== 400 && !tooLarge) problems.push(`HTTP ${res.status}`);
  for (const marker of STACK_MARKERS)
    if (text.includes(marker)) problems.push(`the answer contains ${JSON.stringify(marker)}`);
  let answer: { data?: Record<string, unknown> | null; errors?: any[] } = {};
  try {
    answer = JSON.parse(text);
  } catch {
    problems.push('the answer is not JSON');
  }
  const errors = answer.errors ?? [];
  const codes = errors.map((e) => e?.extensions?.code);
  if (codes.includes('INTERNAL_SERVER_ERROR')) problems.push('INTERNAL_SERVER_ERROR');
  if (codes.some((c) => typeof c !== 'string')) problems.push('an error without a code');
  if (errors.length && answer.data?.[name] != null) problems.push('data AND errors');
  if (errors.length || problems.length) {
    const { changed, next } = await writes.changedSince(mark);
    if (!changed.length) nextMark = next;
    if (changed.length) problems.push(`a refused call wrote: ${changed.join(', ')}`);
  }
  tally(name, errors.length ? String(codes[0]) : 'OK');
  if (problems.length) {
    throw new Error(
      `${problems.join('; ')}\n${name} as ${email}${key === null ? '' : ` (Idempotency-Key ${JSON.stringify(key)})`}\n` +
        `${query}\nvariables: ${clip(JSON.stringify(variables))}\nHTTP ${res.status}: ${clip(text)}`,
    );
  }
}

const usersOf = (role: Role) => DEMO_USERS.filter((u) => u.role === role).map((u) => u.email);

test('every mutation of the served schema is fuzzed, under a role allowed to call it', async () => {
  const served = (await buildServedSchema()).getMutationType()?.getFields() ?? {};
  expect(Object.keys(served).sort()).toEqual(mutations.map((m) => m.name).sort());
  const uncallable = mutations
    .filter((m) => rolesAllowed('Mutation', m.name).flatMap(usersOf).length === 0)
    .map((m) => m.name);
  expect(uncallable).toEqual([]);
});

test('the write check sees an insert, an update and a delete, and not a read or a rollback', async () => {
  let mark = await writes.mark();
  await server.sql(`SELECT * FROM cases FOR UPDATE`);
  await server.sql(`BEGIN; UPDATE offices SET name = name; ROLLBACK;`);
  expect((await writes.changedSince(mark)).changed).toEqual([]);
  await server.sql(`UPDATE offices SET name = name WHERE code = 'CHI'`);
  expect((await writes.changedSince(mark)).changed).toEqual(['offices: 1 row(s) written']);
  await server.sql(`INSERT INTO offices (code, name, time_zone) VALUES ('ZZCHECK', 'x', 'UTC')`);
  mark = await writes.mark();
  await server.sql(`DELETE FROM offices WHERE code = 'ZZCHECK'`);
  expect((await writes.changedSince(mark)).changed).toEqual([
    `offices: ${mark.counts.offices} → ${mark.counts.offices - 1} rows`,
  ]);
});

const keys = fc.option(
  fc.oneof(fc.uuid(), fc.constantFrom('', 'same-key', 'x'.repeat(300), 'key with spaces', "'; --")),
  { freq: 8 },
);

describe(`${RUNS} fuzzed calls of each mutation (seed ${SEED})`, () => {
  test.each(mutations.map((m) => [m.name, m] as const))(
    '%s',
    async (name, field) => {
      const emails = rolesAllowed('Mutation', name).flatMap(usersOf);
      expect(emails.length).toBeGreaterThan(0);
      // The records the earlier mutations made (and changed) are targets too.
      ctx.pools = await poolsOf(server);
      const roleOf = new Map(DEMO_USERS.map((u) => [u.email, u.role]));
      const documents = new Map(
        Object.values(Role).map((role) => [
          role,
          mutationDocument(name, field.args, selectionFor(field.type, role)),
        ]),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...emails),
          variablesArbitrary(field.args, name, ctx),
          keys,
          async (email, variables, key) =>
            fuzzCall(
              name,
              documents.get(roleOf.get(email) as Role) as string,
              email,
              variables,
              key,
            ),
        ),
        { seed: SEED, numRuns: RUNS },
      );
    },
    300_000,
  );
});

test(`at least ${MIN_CASES} cases ran, and plausible calls succeeded`, () => {
  expect(cases).toBeGreaterThanOrEqual(MIN_CASES);
  const lines = mutations.map(({ name }) => {
    const counts = [...(outcomes.get(name) ?? new Map<string, number>())].sort(
      (a, b) => b[1] - a[1],
    );
    return `  ${name}: ${counts.map(([code, n]) => `${code} ${n}`).join(', ')}`;
  });
  process.stdout.write(`fuzz: ${cases} calls, first error code per answer:\n${lines.join('\n')}\n`);
  const ok = mutations.filter(({ name }) => outcomes.get(name)?.get('OK'));
  // The plausible half is there for the success paths: most mutations must have run one.
  expect(ok.length).toBeGreaterThanOrEqual(Math.ceil(mutations.length / 2));
  expect(outcomes.get('openCase')?.get('OK')).toBeGreaterThan(0);
});
