/**
 * The cases module through the real GraphQL server (shield on) against a real PostgreSQL:
 * openCase, updateCaseFacts, closeCase, case(id) and cases, with office scoping, validation,
 * optimistic concurrency, audit records, pagination and the statement count of a page.
 */
import crypto from 'node:crypto';
import {
  CASE_FIELDS,
  CLOSE_CASE,
  GET_CASE,
  OPEN_CASE,
  UPDATE_FACTS,
  caseInput,
  convictionInput,
  openCase,
  type OpenedCase,
} from '../helpers/given';
import {
  Client,
  HQ,
  OFFICER2_NYC,
  OFFICER_LAX,
  OFFICER_NYC,
  SUPERVISOR2_NYC,
  SUPERVISOR_NYC,
  startTestServer,
  TestServer,
} from '../helpers/server';
import { roleClients } from '../helpers/roles';
import { expectError, expectRefused } from '../helpers/refusals';

const T0 = new Date('2026-03-10T15:00:00.000Z');

let server: TestServer;
let officer: Client;
let officer2: Client;
let supervisor: Client;
let officerLax: Client;
let hq: Client;

beforeAll(async () => {
  server = await startTestServer({ now: T0 });
  ({ officer, officer2, supervisor, officerLax, hq } = await roleClients(server));
});
afterAll(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------------------------------------
// helpers

const OPEN_CASE_WITH_SUBJECT = `mutation Open($input: OpenCaseInput!) {
  openCase(input: $input) { ${CASE_FIELDS} subject { name dateOfBirth aNumber countryOfCitizenship } }
}`;
const GET_CASE_WITH_SUBJECT = `query Get($id: ID!) {
  case(id: $id) { ${CASE_FIELDS} subject { name dateOfBirth aNumber countryOfCitizenship } }
}`;
const LIST_CASES = `query List($filter: CaseFilter, $first: Int, $after: String) {
  cases(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id status openedAt office { code } assignedOfficer { email } } }
  }
}`;

/** Moves the service's clock forward (cases opened later sort first). */
function tick(ms = 1000): Date {
  server.clock.advance(ms);
  return server.clock.now();
}

interface AuditRow {
  seq: string;
  kind: string;
  operation: string;
  actor_id: string | null;
  record_ids: string[];
  office_ids: string[];
  reason: string | null;
  change: any;
}

async function auditRows(caseId: string, operation?: string): Promise<AuditRow[]> {
  const rows = await server.sql<AuditRow>(
    `SELECT insertion AS seq, kind, operation, actor_id, record_ids, office_ids, reason, change
       FROM audit_log WHERE $1 = ANY(record_ids) ORDER BY insertion`,
    [caseId],
  );
  return operation ? rows.filter((r) => r.operation === operation) : rows;
}

async function caseRow(caseId: string): Promise<Record<string, any>> {
  const [row] = await server.sql(`SELECT * FROM cases WHERE id = $1`, [caseId]);
  return row;
}

async function officeId(code: string): Promise<string> {
  const [row] = await server.sql<{ id: string }>(`SELECT id FROM offices WHERE code = $1`, [code]);
  return row.id;
}

/** A new field office with two officers and a supervisor, so list counts are exact. */
async function newOffice(code: string, timeZone = 'America/New_York') {
  await hq.ok(`mutation($input: CreateOfficeInput!) { createOffice(input: $input) { id } }`, {
    input: { code, name: `${code} Field Office`, timeZone },
  });
  const emails = {
    officerA: `officer.a.${code.toLowerCase()}@example.gov`,
    officerB: `officer.b.${code.toLowerCase()}@example.gov`,
    supervisor: `supervisor.${code.toLowerCase()}@example.gov`,
  };
  for (const [key, email] of Object.entries(emails)) {
    await hq.ok(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
      input: {
        email,
        name: `${key} of ${code}`,
        role: key === 'supervisor' ? 'SUPERVISOR' : 'FIELD_OFFICER',
        officeCode: code,
      },
    });
  }
  return {
    emails,
    officerA: await server.as(emails.officerA),
    officerB: await server.as(emails.officerB),
    supervisor: await server.as(emails.supervisor),
    officerBId: await server.userId(emails.officerB),
  };
}

const update = (client: Client, input: Record<string, unknown>) =>
  client.request<{ updateCaseFacts: OpenedCase }>(UPDATE_FACTS, { input });

// ---------------------------------------------------------------------------------------------

describe('openCase', () => {
  test('an officer opens a case in their office: every field as given, A-number formatted, assigned to them', async () => {
    const now = tick();
    const input = {
      subject: {
        name: 'Juan Perez',
        dateOfBirth: '1990-02-03',
        aNumber: '123456789',
        countryOfCitizenship: 'MX',
      },
      facts: {
        terrorismOrEspionage: false,
        borderApprehension: { date: '2020-11-03', location: 'Laredo port of entry' },
        firstPresentOn: '2020-11-03',
        lastReleasedFromCustodyOn: '2021-01-25',
        gangParticipation: {
          organization: 'MS-13',
          kind: 'CRIMINAL_STREET_GANG',
          intentional: true,
          furtheredIllegalActivity: true,
          ageAtParticipation: 17,
        },
        vulnerability: { elderly: false, seriousIllness: true },
      },
      convictions: [
        convictionInput({
          offense: 'Burglary',
          jurisdiction: 'Queens County, NY',
          convictedOn: '2015-01-01',
          aggravatedFelony: true,
          aggravatedFelonySubparagraph: 'G',
        }),
        convictionInput({
          offense: 'Assault',
          convictedOn: '2010-05-06',
          gangParticipationElement: true,
          vacated: true,
        }),
      ],
    };
    const data = await officer.ok<{ openCase: any }>(OPEN_CASE_WITH_SUBJECT, { input });
    const c = data.openCase;
    expect(c.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(c).toEqual({
      id: c.id,
      status: 'OPEN',
      version: 1,
      openedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      closedAt: null,
      closeReason: null,
      office: { code: 'NYC' },
      assignedOfficer: { email: OFFICER_NYC },
      openedBy: { email: OFFICER_NYC },
      subject: {
        name: 'Juan Perez',
        dateOfBirth: '1990-02-03',
        aNumber: 'A123-456-789',
        countryOfCitizenship: 'MX',
      },
      facts: {
        terrorismOrEspionage: false,
        borderApprehension: { date: '2020-11-03', location: 'Laredo port of entry' },
        firstPresentOn: '2020-11-03',
        lastReleasedFromCustodyOn: '2021-01-25',
        gangParticipation: {
          organization: 'MS-13',
          kind: 'CRIMINAL_STREET_GANG',
          intentional: true,
          furtheredIllegalActivity: true,
          ageAtParticipation: 17,
        },
        vulnerability: { elderly: false, seriousIllness: true, pendingReliefApplication: false },
        // Oldest first.
        convictions: [
          {
            id: expect.any(String),
            offense: 'Assault',
            jurisdiction: 'New York County, NY',
            convictedOn: '2010-05-06',
            aggravatedFelony: false,
            aggravatedFelonySubparagraph: null,
            gangParticipationElement: true,
            vacated: true,
          },
          {
            id: expect.any(String),
            offense: 'Burglary',
            jurisdiction: 'Queens County, NY',
            convictedOn: '2015-01-01',
            aggravatedFelony: true,
            aggravatedFelonySubparagraph: 'G',
            gangParticipationElement: false,
            vacated: false,
          },
        ],
      },
    });

    // Stored as nine digits, in the caller's office, and read back the same way.
    const row = await caseRow(c.id);
    expect(row.subject_a_number).toBe('123456789');
    expect(row.office_id).toBe(await officeId('NYC'));
    const read = await officer.ok<{ case: any }>(GET_CASE_WITH_SUBJECT, { id: c.id });
    expect(read.case).toEqual(c);

    // One CHANGE record for the opening (without the identity itself), one READ record for showing it.
    const rows = await auditRows(c.id);
    const opened = rows.filter((r) => r.operation === 'openCase');
    expect(opened).toHaveLength(1);
    expect(opened[0].kind).toBe('CHANGE');
    expect(opened[0].actor_id).toBe(await server.userId(OFFICER_NYC));
    expect(opened[0].change.after.convictions).toHaveLength(2);
    expect(JSON.stringify(opened[0].change)).not.toContain('Juan Perez');
    expect(JSON.stringify(opened[0].change)).not.toContain('123456789');
    // The openCase response and the case(id) response each showed the subject.
    expect(rows.filter((r) => r.operation === 'readSubjectIdentity')).toHaveLength(2);
  });

  test('a supervisor opens a case; "A123-456-789" is accepted and the supervisor is assigned', async () => {
    tick();
    const data = await supervisor.ok<{ openCase: any }>(OPEN_CASE_WITH_SUBJECT, {
      input: caseInput({
        subject: { aNumber: 'A123-456-789', name: 'Ana Gomez', countryOfCitizenship: 'GT' },
      }),
    });
    expect(data.openCase).toMatchObject({
      status: 'OPEN',
      version: 1,
      office: { code: 'NYC' },
      assignedOfficer: { email: SUPERVISOR_NYC },
      openedBy: { email: SUPERVISOR_NYC },
      subject: { name: 'Ana Gomez', aNumber: 'A123-456-789', countryOfCitizenship: 'GT' },
      facts: {
        terrorismOrEspionage: false,
        borderApprehension: { date: '2020-11-03', location: 'Laredo port of entry' },
        firstPresentOn: null,
        lastReleasedFromCustodyOn: null,
        gangParticipation: null,
        vulnerability: { elderly: false, seriousIllness: false, pendingReliefApplication: false },
        convictions: [],
      },
    });
    expect((await caseRow(data.openCase.id)).subject_a_number).toBe('123456789');
  });

  test.each([['A123456789'], ['a123-456-789'], ['123-456-789']])(
    'the A-number %s is stored as nine digits and shown A123-456-789',
    async (aNumber) => {
      const data = await officer.ok<{ openCase: any }>(OPEN_CASE_WITH_SUBJECT, {
        input: caseInput({ subject: { aNumber } }),
      });
      expect(data.openCase.subject.aNumber).toBe('A123-456-789');
    },
  );

  test('assignedOfficerId may name another officer or a supervisor of the office', async () => {
    const toOfficer2 = await openCase(officer, {
      assignedOfficerId: await server.userId(OFFICER2_NYC),
    });
    expect(toOfficer2.assignedOfficer).toEqual({ email: OFFICER2_NYC });
    expect(toOfficer2.openedBy).toEqual({ email: OFFICER_NYC });
    expect((await caseRow(toOfficer2.id)).assigned_officer_id).toBe(
      await server.userId(OFFICER2_NYC),
    );

    const toSupervisor2 = await openCase(officer, {
      assignedOfficerId: await server.userId(SUPERVISOR2_NYC),
    });
    expect(toSupervisor2.assignedOfficer).toEqual({ email: SUPERVISOR2_NYC });
  });

  describe('assignedOfficerId that is not an active officer or supervisor of the office', () => {
    let deactivatedId: string;
    beforeAll(async () => {
      const created = await hq.ok<{ createUser: { id: string } }>(
        `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
        {
          input: {
            email: 'gone.nyc@example.gov',
            name: 'Gone Officer',
            role: 'FIELD_OFFICER',
            officeCode: 'NYC',
          },
        },
      );
      deactivatedId = created.createUser.id;
      await hq.ok(
        `mutation($input: DeactivateUserInput!) { deactivateUser(input: $input) { id } }`,
        {
          input: { userId: deactivatedId, reason: 'Left the agency' },
        },
      );
    });

    test.each([
      ['a LAX officer', () => server.userId(OFFICER_LAX)],
      ['a headquarters user', () => server.userId(HQ)],
      ['a deactivated NYC officer', async () => deactivatedId],
      ['a user id that does not exist', async () => crypto.randomUUID()],
      ['a non-uuid', async () => 'not-a-uuid'],
    ])('%s is BAD_USER_INPUT on input.assignedOfficerId', async (_label, id) => {
      await expectRefused(
        server,
        officer,
        OPEN_CASE,
        { input: caseInput({ assignedOfficerId: await id() }) },
        'BAD_USER_INPUT',
        'input.assignedOfficerId',
      );
    });
  });

  test('headquarters may not open cases (FORBIDDEN, nothing changed)', async () => {
    await expectRefused(server, hq, OPEN_CASE, { input: caseInput() }, 'FORBIDDEN');
  });

  test('without a token: UNAUTHENTICATED, nothing changed', async () => {
    await expectRefused(
      server,
      server.anonymous(),
      OPEN_CASE,
      { input: caseInput() },
      'UNAUTHENTICATED',
    );
  });
});

describe('openCase validation', () => {
  afterEach(() => {
    server.clock.set(T0);
  });

  const invalid: [string, () => Record<string, unknown>, string][] = [
    [
      'an A-number of 8 digits',
      () => caseInput({ subject: { aNumber: '12345678' } }),
      'input.subject.aNumber',
    ],
    [
      'an A-number of 10 digits',
      () => caseInput({ subject: { aNumber: '1234567890' } }),
      'input.subject.aNumber',
    ],
    [
      'an A-number with letters',
      () => caseInput({ subject: { aNumber: '12345678X' } }),
      'input.subject.aNumber',
    ],
    [
      'an A-number with another prefix',
      () => caseInput({ subject: { aNumber: 'B123-456-789' } }),
      'input.subject.aNumber',
    ],
    ['an empty name', () => caseInput({ subject: { name: '' } }), 'input.subject.name'],
    ['a name of only spaces', () => caseInput({ subject: { name: '   ' } }), 'input.subject.name'],
    [
      'an unknown country code',
      () => caseInput({ subject: { countryOfCitizenship: 'XX' } }),
      'input.subject.countryOfCitizenship',
    ],
    [
      'a three-letter country code',
      () => caseInput({ subject: { countryOfCitizenship: 'MEX' } }),
      'input.subject.countryOfCitizenship',
    ],
    [
      'a date of birth in the future',
      () => caseInput({ subject: { dateOfBirth: '2026-03-11' }, facts: {} }),
      'input.subject.dateOfBirth',
    ],
    [
      'a conviction before the date of birth',
      () =>
        caseInput({
          subject: { dateOfBirth: '1985-06-15' },
          convictions: [convictionInput({ convictedOn: '1985-06-14' })],
        }),
      'input.convictions.0.convictedOn',
    ],
    [
      'a conviction in the future',
      () => caseInput({ convictions: [convictionInput({ convictedOn: '2026-03-11' })] }),
      'input.convictions.0.convictedOn',
    ],
    [
      'an aggravated felony without a subparagraph',
      () => caseInput({ convictions: [convictionInput({ aggravatedFelony: true })] }),
      'input.convictions.0.aggravatedFelonySubparagraph',
    ],
    [
      'a subparagraph without an aggravated felony',
      () =>
        caseInput({
          convictions: [
            convictionInput(),
            convictionInput({ aggravatedFelony: false, aggravatedFelonySubparagraph: 'G' }),
          ],
        }),
      'input.convictions.1.aggravatedFelonySubparagraph',
    ],
    [
      "subparagraph 'Z'",
      () =>
        caseInput({
          convictions: [
            convictionInput({ aggravatedFelony: true, aggravatedFelonySubparagraph: 'Z' }),
          ],
        }),
      'input.convictions.0.aggravatedFelonySubparagraph',
    ],
    [
      'an empty offense',
      () => caseInput({ convictions: [convictionInput({ offense: '' })] }),
      'input.convictions.0.offense',
    ],
    [
      'a border apprehension in the future',
      () => caseInput({ facts: { borderApprehension: { date: '2026-03-11' } } }),
      'input.facts.borderApprehension.date',
    ],
    [
      'a border apprehension before birth',
      () =>
        caseInput({
          subject: { dateOfBirth: '1985-06-15' },
          facts: { borderApprehension: { date: '1980-01-01' } },
        }),
      'input.facts.borderApprehension.date',
    ],
    [
      'a presence date in the future',
      () => caseInput({ facts: { firstPresentOn: '2027-01-01' } }),
      'input.facts.firstPresentOn',
    ],
    [
      'a gang participation age over 130',
      () =>
        caseInput({
          facts: {
            gangParticipation: {
              kind: 'CRIMINAL_STREET_GANG',
              intentional: true,
              furtheredIllegalActivity: true,
              ageAtParticipation: 131,
            },
          },
        }),
      'input.facts.gangParticipation.ageAtParticipation',
    ],
    [
      'a negative gang participation age',
      () =>
        caseInput({
          facts: {
            gangParticipation: {
              kind: 'TRANSNATIONAL_CRIMINAL_ORGANIZATION',
              intentional: true,
              furtheredIllegalActivity: false,
              ageAtParticipation: -1,
            },
          },
        }),
      'input.facts.gangParticipation.ageAtParticipation',
    ],
    [
      'terrorismOrEspionage: null',
      () => caseInput({ facts: { terrorismOrEspionage: null } }),
      'input.facts.terrorismOrEspionage',
    ],
  ];

  test.each(invalid)('%s is BAD_USER_INPUT naming the field', async (_label, input, field) => {
    const error = await expectRefused(
      server,
      officer,
      OPEN_CASE,
      { input: input() },
      'BAD_USER_INPUT',
      field,
    );
    expect(error.message).toContain(field);
  });

  test('the valid counterpart of each refused input is accepted (the tests above refuse for the reason they name)', async () => {
    const c = await openCase(officer, {
      subject: {
        aNumber: '987654321',
        name: 'X',
        countryOfCitizenship: 'SV',
        dateOfBirth: '2026-03-10',
      },
      facts: {},
    });
    expect(c.status).toBe('OPEN');
    const d = await openCase(officer, {
      subject: { dateOfBirth: '1985-06-15' },
      facts: {
        borderApprehension: { date: '2026-03-10' },
        firstPresentOn: '1985-06-15',
        gangParticipation: {
          kind: 'CRIMINAL_STREET_GANG',
          intentional: true,
          furtheredIllegalActivity: true,
          ageAtParticipation: 130,
        },
      },
      convictions: [
        convictionInput({ convictedOn: '1985-06-15' }),
        convictionInput({
          convictedOn: '2026-03-10',
          aggravatedFelony: true,
          aggravatedFelonySubparagraph: 'U',
        }),
      ],
    });
    expect(d.facts.convictions).toHaveLength(2);
  });

  test("'today' is the office's local date: at 03:00Z on 1 March it is still 28 February in New York", async () => {
    server.clock.set(new Date('2026-03-01T03:00:00.000Z'));
    await expectRefused(
      server,
      officer,
      OPEN_CASE,
      { input: caseInput({ subject: { dateOfBirth: '2026-03-01' }, facts: {} }) },
      'BAD_USER_INPUT',
      'input.subject.dateOfBirth',
    );
    const born = await openCase(officer, { subject: { dateOfBirth: '2026-02-28' }, facts: {} });
    expect(born.status).toBe('OPEN');
  });

  test('at 06:00Z on 1 March it is 1 March in New York but still 28 February in Los Angeles', async () => {
    server.clock.set(new Date('2026-03-01T06:00:00.000Z'));
    const nyc = await openCase(officer, { subject: { dateOfBirth: '2026-03-01' }, facts: {} });
    expect(nyc.status).toBe('OPEN');
    await expectRefused(
      server,
      officerLax,
      OPEN_CASE,
      { input: caseInput({ subject: { dateOfBirth: '2026-03-01' }, facts: {} }) },
      'BAD_USER_INPUT',
      'input.subject.dateOfBirth',
    );
  });

  test.each([['2021-02-30'], ['2021-13-01'], ['15/06/1985'], ['1985-6-15']])(
    'the date %s is not a calendar date: BAD_USER_INPUT from variable coercion, nothing changed',
    async (dateOfBirth) => {
      const error = await expectRefused(
        server,
        officer,
        OPEN_CASE,
        { input: caseInput({ subject: { dateOfBirth } }) },
        'BAD_USER_INPUT',
      );
      expect(error.message).toContain('dateOfBirth');
    },
  );
});

describe('updateCaseFacts', () => {
  test('sets the presence date: version +1, updatedAt moves, other facts kept, one audit record with before/after', async () => {
    const c = await openCase(officer);
    const later = tick(60_000);
    const res = await update(officer, {
      caseId: c.id,
      expectedVersion: 1,
      facts: { firstPresentOn: '2019-05-01' },
      reason: 'Lease found',
    });
    expect(res.errors).toBeUndefined();
    const u = res.data!.updateCaseFacts;
    expect(u.version).toBe(2);
    expect(u.updatedAt).toBe(later.toISOString());
    expect(u.updatedAt).not.toBe(c.updatedAt);
    expect(u.openedAt).toBe(c.openedAt);
    expect(u.facts).toEqual({ ...c.facts, firstPresentOn: '2019-05-01' });

    const rows = await auditRows(c.id, 'updateCaseFacts');
    expect(rows).toHaveLength(1);
    expect(rows[0].reason).toBe('Lease found');
    expect(rows[0].actor_id).toBe(await server.userId(OFFICER_NYC));
    expect(rows[0].change).toEqual({
      version: { before: 1, after: 2 },
      facts: { firstPresentOn: { before: null, after: '2019-05-01' } },
      addedConvictions: [],
      vacatedConvictionIds: [],
      removedConvictions: [],
    });
  });

  test('null clears the border apprehension (date and location)', async () => {
    const c = await openCase(officer, {
      facts: { borderApprehension: { date: '2020-11-03', location: 'Laredo port of entry' } },
    });
    const res = await update(officer, {
      caseId: c.id,
      expectedVersion: 1,
      facts: { borderApprehension: null },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateCaseFacts.facts.borderApprehension).toBeNull();
    const row = await caseRow(c.id);
    expect(row.border_apprehension_date).toBeNull();
    expect(row.border_apprehension_location).toBeNull();
    const [audit] = await auditRows(c.id, 'updateCaseFacts');
    expect(audit.change.facts).toEqual({
      borderApprehensionDate: { before: '2020-11-03', after: null },
      borderApprehensionLocation: { before: 'Laredo port of entry', after: null },
    });
  });

  test('adds, vacates and removes convictions in one change', async () => {
    const c = await openCase(officer, {
      convictions: [
        convictionInput({ offense: 'Keep and vacate', convictedOn: '2010-01-01' }),
        convictionInput({ offense: 'Recorded in error', convictedOn: '2011-01-01' }),
      ],
    });
    const [keep, wrong] = c.facts.convictions as { id: string }[];
    const res = await update(supervisor, {
      caseId: c.id,
      expectedVersion: 1,
      addConvictions: [
        convictionInput({
          offense: 'Trafficking',
          convictedOn: '2018-07-08',
          aggravatedFelony: true,
          aggravatedFelonySubparagraph: 'B',
        }),
      ],
      vacateConvictionIds: [keep.id],
      removeConvictionIds: [wrong.id],
    });
    expect(res.errors).toBeUndefined();
    const u = res.data!.updateCaseFacts;
    expect(u.version).toBe(2);
    expect(u.facts.convictions).toEqual([
      expect.objectContaining({ id: keep.id, offense: 'Keep and vacate', vacated: true }),
      expect.objectContaining({
        offense: 'Trafficking',
        aggravatedFelony: true,
        aggravatedFelonySubparagraph: 'B',
        vacated: false,
      }),
    ]);
    const stored = await server.sql(`SELECT id FROM convictions WHERE case_id = $1`, [c.id]);
    expect(stored.map((r) => r.id)).not.toContain(wrong.id);
    expect(stored).toHaveLength(2);

    const [audit] = await auditRows(c.id, 'updateCaseFacts');
    expect(audit.change.facts).toEqual({});
    expect(audit.change.addedConvictions).toEqual([
      expect.objectContaining({ offense: 'Trafficking', id: u.facts.convictions[1].id }),
    ]);
    expect(audit.change.vacatedConvictionIds).toEqual([keep.id]);
    expect(audit.change.removedConvictions).toEqual([
      expect.objectContaining({ id: wrong.id, offense: 'Recorded in error' }),
    ]);
  });

  test('successive changes: each increments the version by one and leaves one audit record', async () => {
    const c = await openCase(officer);
    const first = await update(officer, {
      caseId: c.id,
      expectedVersion: 1,
      facts: { terrorismOrEspionage: true },
    });
    expect(first.data?.updateCaseFacts.version).toBe(2);
    tick();
    const second = await update(officer2, {
      caseId: c.id,
      expectedVersion: 2,
      facts: { vulnerability: { elderly: true }, lastReleasedFromCustodyOn: '2021-02-01' },
    });
    expect(second.errors).toBeUndefined();
    expect(second.data!.updateCaseFacts.version).toBe(3);
    expect(second.data!.updateCaseFacts.facts).toMatchObject({
      terrorismOrEspionage: true,
      lastReleasedFromCustodyOn: '2021-02-01',
      vulnerability: { elderly: true, seriousIllness: false, pendingReliefApplication: false },
    });
    const rows = await auditRows(c.id, 'updateCaseFacts');
    expect(rows.map((r) => r.change.version)).toEqual([
      { before: 1, after: 2 },
      { before: 2, after: 3 },
    ]);
    expect(rows[1].change.facts).toEqual({
      lastReleasedFromCustodyOn: { before: null, after: '2021-02-01' },
      elderly: { before: false, after: true },
    });
    expect((await caseRow(c.id)).version).toBe(3);
  });

  test('a gang participation can be set and cleared', async () => {
    const c = await openCase(officer);
    const gang = {
      organization: 'Barrio 18',
      kind: 'TRANSNATIONAL_CRIMINAL_ORGANIZATION',
      intentional: true,
      furtheredIllegalActivity: true,
      ageAtParticipation: 16,
    };
    const set = await update(officer, {
      caseId: c.id,
      expectedVersion: 1,
      facts: { gangParticipation: gang },
    });
    expect(set.data?.updateCaseFacts.facts.gangParticipation).toEqual(gang);
    const cleared = await update(officer, {
      caseId: c.id,
      expectedVersion: 2,
      facts: { gangParticipation: null },
    });
    expect(cleared.data?.updateCaseFacts.facts.gangParticipation).toBeNull();
    const row = await caseRow(c.id);
    expect([row.gang_kind, row.gang_organization, row.gang_age_at_participation]).toEqual([
      null,
      null,
      null,
    ]);
  });

  test('a stale expectedVersion is a CONFLICT and changes nothing', async () => {
    const c = await openCase(officer);
    await update(officer, {
      caseId: c.id,
      expectedVersion: 1,
      facts: { firstPresentOn: '2019-01-01' },
    });
    await expectRefused(
      server,
      officer2,
      UPDATE_FACTS,
      { input: { caseId: c.id, expectedVersion: 1, facts: { firstPresentOn: '2018-01-01' } } },
      'CONFLICT',
    );
    await expectRefused(
      server,
      officer2,
      UPDATE_FACTS,
      { input: { caseId: c.id, expectedVersion: 3, facts: { firstPresentOn: '2018-01-01' } } },
      'CONFLICT',
    );
    expect((await caseRow(c.id)).first_present_on).toBe('2019-01-01');
  });

  test.each([
    ['no change at all', { facts: {} }],
    ['facts equal to the current ones', { facts: { terrorismOrEspionage: false } }],
    ['nothing given', {}],
  ])('%s is BAD_USER_INPUT on input, nothing changed', async (_label, change) => {
    const c = await openCase(officer);
    await expectRefused(
      server,
      officer,
      UPDATE_FACTS,
      { input: { caseId: c.id, expectedVersion: 1, ...change } },
      'BAD_USER_INPUT',
      'input',
    );
  });

  test("a conviction of another case is BAD_USER_INPUT and the other case's conviction is untouched", async () => {
    const mine = await openCase(officer, { convictions: [convictionInput()] });
    const other = await openCase(officer, { convictions: [convictionInput()] });
    const otherConviction = other.facts.convictions[0].id as string;
    await expectRefused(
      server,
      officer,
      UPDATE_FACTS,
      { input: { caseId: mine.id, expectedVersion: 1, vacateConvictionIds: [otherConviction] } },
      'BAD_USER_INPUT',
      'input.vacateConvictionIds.0',
    );
    await expectRefused(
      server,
      officer,
      UPDATE_FACTS,
      {
        input: {
          caseId: mine.id,
          expectedVersion: 1,
          removeConvictionIds: [mine.facts.convictions[0].id, otherConviction],
        },
      },
      'BAD_USER_INPUT',
      'input.removeConvictionIds.1',
    );
    await expectRefused(
      server,
      officer,
      UPDATE_FACTS,
      { input: { caseId: mine.id, expectedVersion: 1, removeConvictionIds: ['not-a-uuid'] } },
      'BAD_USER_INPUT',
      'input.removeConvictionIds.0',
    );
  });

  test('the same conviction to vacate and to remove is BAD_USER_INPUT', async () => {
    const c = await openCase(officer, { convictions: [convictionInput()] });
    const id = c.facts.convictions[0].id as string;
    await expectRefused(
      server,
      officer,
      UPDATE_FACTS,
      {
        input: {
          caseId: c.id,
          expectedVersion: 1,
          vacateConvictionIds: [id],
          removeConvictionIds: [id],
        },
      },
      'BAD_USER_INPUT',
      'input.removeConvictionIds.0',
    );
  });

  test('a closed case is a CONFLICT', async () => {
    const c = await openCase(officer);
    await officer.ok(CLOSE_CASE, { input: { caseId: c.id, reason: 'Subject departed' } });
    await expectRefused(
      server,
      officer,
      UPDATE_FACTS,
      { input: { caseId: c.id, expectedVersion: 2, facts: { terrorismOrEspionage: true } } },
      'CONFLICT',
    );
  });

  test.each([
    [
      'terrorismOrEspionage: null',
      { terrorismOrEspionage: null },
      'input.facts.terrorismOrEspionage',
    ],
    ['vulnerability: null', { vulnerability: null }, 'input.facts.vulnerability'],
    [
      'vulnerability.elderly: null',
      { vulnerability: { elderly: null } },
      'input.facts.vulnerability.elderly',
    ],
    [
      'a presence date in the future',
      { firstPresentOn: '2026-03-11' },
      'input.facts.firstPresentOn',
    ],
    [
      'a release before birth',
      { lastReleasedFromCustodyOn: '1980-01-01' },
      'input.facts.lastReleasedFromCustodyOn',
    ],
  ])('%s is BAD_USER_INPUT, nothing changed', async (_label, facts, field) => {
    server.clock.set(T0);
    const c = await openCase(officer, { subject: { dateOfBirth: '1985-06-15' } });
    await expectRefused(
      server,
      officer,
      UPDATE_FACTS,
      { input: { caseId: c.id, expectedVersion: 1, facts } },
      'BAD_USER_INPUT',
      field,
    );
  });

  test('an added conviction is checked like on opening (index in addConvictions)', async () => {
    const c = await openCase(officer);
    await expectRefused(
      server,
      officer,
      UPDATE_FACTS,
      {
        input: {
          caseId: c.id,
          expectedVersion: 1,
          addConvictions: [convictionInput(), convictionInput({ aggravatedFelony: true })],
        },
      },
      'BAD_USER_INPUT',
      'input.addConvictions.1.aggravatedFelonySubparagraph',
    );
  });

  test('another office (or headquarters) cannot change a case', async () => {
    const c = await openCase(officer);
    const input = { caseId: c.id, expectedVersion: 1, facts: { terrorismOrEspionage: true } };
    await expectRefused(server, officerLax, UPDATE_FACTS, { input }, 'NOT_FOUND');
    await expectRefused(server, hq, UPDATE_FACTS, { input }, 'FORBIDDEN');
  });

  test('two concurrent changes with the same expectedVersion: exactly one wins, the other is a CONFLICT', async () => {
    const c = await openCase(officer);
    let version = 1;
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([
        update(officer, {
          caseId: c.id,
          expectedVersion: version,
          facts: { firstPresentOn: `200${round}-01-01` },
        }),
        update(officer2, {
          caseId: c.id,
          expectedVersion: version,
          facts: { lastReleasedFromCustodyOn: `201${round}-01-01` },
          addConvictions: [convictionInput()],
        }),
      ]);
      const ok = results.filter((r) => !r.errors);
      const failed = results.filter((r) => r.errors);
      expect(ok).toHaveLength(1);
      expect(failed).toHaveLength(1);
      expectError(failed[0], 'CONFLICT');
      expect(ok[0].data!.updateCaseFacts.version).toBe(version + 1);
      version += 1;
      expect((await caseRow(c.id)).version).toBe(version);
    }
    // One audit record per winning change, none for the losers.
    expect(await auditRows(c.id, 'updateCaseFacts')).toHaveLength(5);
    const integrity = await hq.ok<{ auditIntegrity: { ok: boolean } }>(`{ auditIntegrity { ok } }`);
    expect(integrity.auditIntegrity.ok).toBe(true);
  });
});

describe('closeCase', () => {
  test('closes the case: status, closedAt, closeReason, version +1, one audit record', async () => {
    const c = await openCase(officer);
    const at = tick(3_600_000);
    const res = await officer.request<{ closeCase: any }>(CLOSE_CASE, {
      input: { caseId: c.id, expectedVersion: 1, reason: '  Subject naturalized  ' },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.closeCase).toMatchObject({
      id: c.id,
      status: 'CLOSED',
      closedAt: at.toISOString(),
      updatedAt: at.toISOString(),
      closeReason: 'Subject naturalized',
      version: 2,
    });
    const read = await officer.ok<{ case: any }>(GET_CASE, { id: c.id });
    expect(read.case.status).toBe('CLOSED');
    const rows = await auditRows(c.id, 'closeCase');
    expect(rows).toHaveLength(1);
    expect(rows[0].reason).toBe('Subject naturalized');
    expect(rows[0].change).toEqual({
      status: { before: 'OPEN', after: 'CLOSED' },
      version: { before: 1, after: 2 },
    });
  });

  test('a supervisor closes without expectedVersion', async () => {
    const c = await openCase(officer);
    const data = await supervisor.ok<{ closeCase: any }>(CLOSE_CASE, {
      input: { caseId: c.id, reason: 'Duplicate' },
    });
    expect(data.closeCase.status).toBe('CLOSED');
  });

  test('closing twice is a CONFLICT, nothing changed', async () => {
    const c = await openCase(officer);
    await officer.ok(CLOSE_CASE, { input: { caseId: c.id, reason: 'Duplicate case' } });
    const closed = await caseRow(c.id);
    await expectRefused(
      server,
      officer,
      CLOSE_CASE,
      { input: { caseId: c.id, reason: 'Again' } },
      'CONFLICT',
    );
    await expectRefused(
      server,
      officer,
      CLOSE_CASE,
      { input: { caseId: c.id, expectedVersion: 2, reason: 'Again' } },
      'CONFLICT',
    );
    expect(await caseRow(c.id)).toEqual(closed);
  });

  test('a stale expectedVersion is a CONFLICT, nothing changed', async () => {
    const c = await openCase(officer);
    await update(officer, {
      caseId: c.id,
      expectedVersion: 1,
      facts: { terrorismOrEspionage: true },
    });
    await expectRefused(
      server,
      officer,
      CLOSE_CASE,
      { input: { caseId: c.id, expectedVersion: 1, reason: 'Stale read' } },
      'CONFLICT',
    );
    expect((await caseRow(c.id)).status).toBe('OPEN');
  });

  test('another office cannot close it (NOT_FOUND); headquarters may not (FORBIDDEN); a short reason is BAD_USER_INPUT', async () => {
    const c = await openCase(officer);
    await expectRefused(
      server,
      officerLax,
      CLOSE_CASE,
      { input: { caseId: c.id, reason: 'Not mine' } },
      'NOT_FOUND',
    );
    await expectRefused(
      server,
      hq,
      CLOSE_CASE,
      { input: { caseId: c.id, reason: 'HQ says' } },
      'FORBIDDEN',
    );
    await expectRefused(
      server,
      officer,
      CLOSE_CASE,
      { input: { caseId: c.id, reason: 'x' } },
      'BAD_USER_INPUT',
      'input.reason',
    );
  });
});

describe('case(id)', () => {
  let nycCase: OpenedCase;
  let laxCase: OpenedCase;
  beforeAll(async () => {
    nycCase = await openCase(officer);
    laxCase = await openCase(officerLax);
  });

  test('a user of the office reads it, subject included, and the read is audited', async () => {
    const readsBefore = (await auditRows(nycCase.id, 'readSubjectIdentity')).length;
    const data = await officer2.ok<{ case: any }>(GET_CASE_WITH_SUBJECT, { id: nycCase.id });
    expect(data.case).toMatchObject({ id: nycCase.id, office: { code: 'NYC' } });
    expect(data.case.subject.aNumber).toMatch(/^A\d{3}-\d{3}-\d{3}$/);
    const reads = await auditRows(nycCase.id, 'readSubjectIdentity');
    expect(reads).toHaveLength(readsBefore + 1);
    expect(reads[reads.length - 1].actor_id).toBe(await server.userId(OFFICER2_NYC));
  });

  test('without the subject, no read audit record', async () => {
    const before = (await auditRows(nycCase.id, 'readSubjectIdentity')).length;
    await officer.ok(GET_CASE, { id: nycCase.id });
    expect(await auditRows(nycCase.id, 'readSubjectIdentity')).toHaveLength(before);
  });

  test('another office gets NOT_FOUND, the same answer as for a random uuid or a non-uuid', async () => {
    const errors = [];
    for (const id of [nycCase.id, crypto.randomUUID(), 'not-a-uuid']) {
      errors.push(
        await expectRefused(server, officerLax, GET_CASE_WITH_SUBJECT, { id }, 'NOT_FOUND'),
      );
    }
    const shapes = errors.map((e) => ({ message: e.message, code: e.extensions?.code }));
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[2]).toEqual(shapes[0]);
    // Nothing of the case leaks.
    expect(JSON.stringify(errors)).not.toContain(nycCase.facts.borderApprehension?.location);
  });

  test('a NYC supervisor gets NOT_FOUND for a LAX case', async () => {
    await expectRefused(server, supervisor, GET_CASE, { id: laxCase.id }, 'NOT_FOUND');
  });

  test('headquarters reads a case of any office, subject included', async () => {
    for (const [c, code] of [
      [nycCase, 'NYC'],
      [laxCase, 'LAX'],
    ] as const) {
      const data = await hq.ok<{ case: any }>(GET_CASE_WITH_SUBJECT, { id: c.id });
      expect(data.case).toMatchObject({ id: c.id, office: { code } });
      expect(data.case.subject.name).toMatch(/^Subject \d+$/);
    }
  });
});

describe('cases', () => {
  /** A fresh office so that counts and order are exact. */
  let office: Awaited<ReturnType<typeof newOffice>>;
  /** Newest first, as the list must return them. */
  let expectedOrder: string[];
  let closedIds: string[];
  let assignedToB: string[];

  beforeAll(async () => {
    office = await newOffice('PGN');
    const opened: { id: string; at: number }[] = [];
    // Seven cases; the 3rd, 4th and 5th share one instant, so a page boundary falls inside a tie.
    for (let i = 0; i < 7; i++) {
      if (i < 2 || i > 3) tick();
      const assignedOfficerId = i === 1 || i === 5 ? office.officerBId : undefined;
      const c = await openCase(office.officerA, { assignedOfficerId });
      opened.push({ id: c.id, at: Date.parse(c.openedAt as string) });
    }
    expectedOrder = [...opened]
      .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((c) => c.id);
    assignedToB = [opened[1].id, opened[5].id];
    closedIds = [opened[0].id, opened[5].id];
    for (const id of closedIds) {
      await office.supervisor.ok(CLOSE_CASE, { input: { caseId: id, reason: 'Closed for test' } });
    }
  });

  const ids = (data: any): string[] => data.cases.edges.map((e: any) => e.node.id);

  test('newest first, with totalCount, and only the caller’s office', async () => {
    const data = await office.officerB.ok<any>(LIST_CASES, {});
    expect(ids(data)).toEqual(expectedOrder);
    expect(data.cases.totalCount).toBe(7);
    expect(data.cases.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    expect(new Set(data.cases.edges.map((e: any) => e.node.office.code))).toEqual(new Set(['PGN']));
    const openedAt = data.cases.edges.map((e: any) => Date.parse(e.node.openedAt));
    expect(openedAt).toEqual([...openedAt].sort((a, b) => b - a));
  });

  test('pages of 3 with first/after: no duplicates, no gaps, correct hasNextPage and endCursor', async () => {
    const pages: any[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const data: any = await office.officerA.ok<any>(LIST_CASES, { first: 3, after });
      pages.push(data.cases);
      after = data.cases.pageInfo.endCursor;
    }
    expect(pages.map((p) => p.edges.length)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(pages.map((p) => p.totalCount)).toEqual([7, 7, 7]);
    for (const p of pages) {
      expect(p.pageInfo.endCursor).toBe(p.edges[p.edges.length - 1].cursor);
      expect(p.pageInfo.startCursor).toBe(p.edges[0].cursor);
    }
    const all = pages.flatMap((p) => p.edges.map((e: any) => e.node.id));
    expect(all).toEqual(expectedOrder);

    // After the last page: empty, no cursors.
    const end = await office.officerA.ok<any>(LIST_CASES, { first: 3, after });
    expect(end.cases.edges).toEqual([]);
    expect(end.cases.pageInfo).toMatchObject({
      hasNextPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  test('exactly one page when the size matches: hasNextPage false', async () => {
    const data = await office.officerA.ok<any>(LIST_CASES, { first: 7 });
    expect(ids(data)).toEqual(expectedOrder);
    expect(data.cases.pageInfo.hasNextPage).toBe(false);
  });

  test('filter by status', async () => {
    const closed = await office.officerA.ok<any>(LIST_CASES, { filter: { status: 'CLOSED' } });
    expect(ids(closed)).toEqual(expectedOrder.filter((id) => closedIds.includes(id)));
    expect(closed.cases.totalCount).toBe(2);
    const open = await office.officerA.ok<any>(LIST_CASES, { filter: { status: 'OPEN' } });
    expect(ids(open)).toEqual(expectedOrder.filter((id) => !closedIds.includes(id)));
    expect(open.cases.totalCount).toBe(5);
  });

  test('filter by assigned officer, alone and with status, across pages', async () => {
    const data = await office.officerA.ok<any>(LIST_CASES, {
      filter: { assignedOfficerId: office.officerBId },
    });
    expect(ids(data)).toEqual(expectedOrder.filter((id) => assignedToB.includes(id)));
    expect(data.cases.totalCount).toBe(2);
    expect(new Set(data.cases.edges.map((e: any) => e.node.assignedOfficer.email))).toEqual(
      new Set([office.emails.officerB]),
    );
    const first = await office.officerA.ok<any>(LIST_CASES, {
      filter: { assignedOfficerId: office.officerBId },
      first: 1,
    });
    expect(first.cases.pageInfo.hasNextPage).toBe(true);
    const second = await office.officerA.ok<any>(LIST_CASES, {
      filter: { assignedOfficerId: office.officerBId },
      first: 1,
      after: first.cases.pageInfo.endCursor,
    });
    expect([...ids(first), ...ids(second)]).toEqual(ids(data));
    expect(second.cases.pageInfo.hasNextPage).toBe(false);

    const both = await office.officerA.ok<any>(LIST_CASES, {
      filter: { assignedOfficerId: office.officerBId, status: 'OPEN' },
    });
    expect(ids(both)).toEqual(assignedToB.filter((id) => !closedIds.includes(id)));
    expect(both.cases.totalCount).toBe(1);
  });

  test('an assigned officer id that is not a uuid is BAD_USER_INPUT', async () => {
    await expectRefused(
      server,
      office.officerA,
      LIST_CASES,
      { filter: { assignedOfficerId: 'nope' } },
      'BAD_USER_INPUT',
      'filter.assignedOfficerId',
    );
  });

  test('headquarters may name any office; without a filter it sees every office', async () => {
    const pgn = await hq.ok<any>(LIST_CASES, { filter: { officeCode: 'PGN' } });
    expect(ids(pgn)).toEqual(expectedOrder);
    expect(pgn.cases.totalCount).toBe(7);
    const nyc = await hq.ok<any>(LIST_CASES, { filter: { officeCode: 'NYC' }, first: 200 });
    expect(nyc.cases.totalCount).toBeGreaterThan(0);
    expect(new Set(nyc.cases.edges.map((e: any) => e.node.office.code))).toEqual(new Set(['NYC']));
    const [{ n }] = await server.sql<{ n: number }>(`SELECT count(*)::int AS n FROM cases`);
    const all = await hq.ok<any>(LIST_CASES, { first: 200 });
    expect(all.cases.totalCount).toBe(n);
    const codes = new Set(all.cases.edges.map((e: any) => e.node.office.code));
    expect(codes.has('PGN') && codes.has('NYC')).toBe(true);
  });

  test('an officer naming their own office is fine; naming another office or none is NOT_FOUND', async () => {
    const own = await office.officerA.ok<any>(LIST_CASES, { filter: { officeCode: 'PGN' } });
    expect(own.cases.totalCount).toBe(7);
    const other = await expectRefused(
      server,
      office.officerA,
      LIST_CASES,
      { filter: { officeCode: 'NYC' } },
      'NOT_FOUND',
    );
    const missing = await expectRefused(
      server,
      office.officerA,
      LIST_CASES,
      { filter: { officeCode: 'ZZZ' } },
      'NOT_FOUND',
    );
    expect(other.message).toBe(missing.message);
    await expectRefused(server, hq, LIST_CASES, { filter: { officeCode: 'ZZZ' } }, 'NOT_FOUND');
  });

  test('a LAX officer never sees NYC or PGN cases', async () => {
    const own = await openCase(officerLax);
    const data = await officerLax.ok<any>(LIST_CASES, { first: 200 });
    expect(ids(data)).toContain(own.id);
    expect(new Set(data.cases.edges.map((e: any) => e.node.office.code))).toEqual(new Set(['LAX']));
    const [{ n }] = await server.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases c JOIN offices o ON o.id = c.office_id WHERE o.code = 'LAX'`,
    );
    expect(data.cases.totalCount).toBe(n);
    for (const id of expectedOrder) expect(ids(data)).not.toContain(id);
    // A NYC officer's id as filter gives nothing, not NYC's cases.
    const filtered = await officerLax.ok<any>(LIST_CASES, {
      filter: { assignedOfficerId: await server.userId(OFFICER_NYC) },
    });
    expect(filtered.cases.edges).toEqual([]);
    expect(filtered.cases.totalCount).toBe(0);
  });

  test.each([[0], [-1], [201], [500]])('first: %d is BAD_USER_INPUT', async (first) => {
    await expectRefused(server, office.officerA, LIST_CASES, { first }, 'BAD_USER_INPUT', 'first');
  });

  test('first: "ten" is BAD_USER_INPUT from variable coercion', async () => {
    await expectRefused(server, office.officerA, LIST_CASES, { first: 'ten' }, 'BAD_USER_INPUT');
  });

  test('first: 200 is allowed', async () => {
    const data = await office.officerA.ok<any>(LIST_CASES, { first: 200 });
    expect(data.cases.edges).toHaveLength(7);
  });

  test.each([
    ['garbage', 'garbage!!'],
    ['base64 of a non-array', Buffer.from('{"a":1}').toString('base64url')],
    [
      'a cursor with a wrong id',
      Buffer.from('["2026-03-10T15:00:00.000Z","x"]').toString('base64url'),
    ],
    [
      'a cursor with a wrong date',
      Buffer.from(`["yesterday","${crypto.randomUUID()}"]`).toString('base64url'),
    ],
  ])('after: %s is BAD_USER_INPUT', async (_label, after) => {
    await expectRefused(server, office.officerA, LIST_CASES, { after }, 'BAD_USER_INPUT', 'after');
  });
});

describe('cases: no N+1', () => {
  const PAGE = `query Page($first: Int) {
    cases(first: $first) {
      totalCount
      edges { node {
        id
        office { code name timeZone }
        assignedOfficer { email name office { code } }
        openedBy { email }
        subject { name aNumber }
        facts { convictions { id offense } }
      } }
    }
  }`;

  test('a page of 5 and a page of 100 cost the same number of statements', async () => {
    const office = await newOffice('NPO');
    for (let i = 0; i < 100; i++) {
      if (i % 10 === 0) tick();
      await openCase(i % 2 ? office.officerA : office.officerB, {
        assignedOfficerId: i % 3 ? office.officerBId : undefined,
        convictions: [
          convictionInput({ convictedOn: '2010-01-01' }),
          convictionInput({ convictedOn: '2011-01-01' }),
        ],
      });
    }
    const client = office.supervisor;
    const run = async (first: number) => {
      server.statements.length = 0;
      const data = await client.ok<any>(PAGE, { first });
      const count = server.statements.length;
      expect(data.cases.edges).toHaveLength(first);
      expect(data.cases.totalCount).toBe(100);
      for (const { node } of data.cases.edges) {
        expect(node.office.code).toBe('NPO');
        expect(node.facts.convictions).toHaveLength(2);
        expect(node.subject.aNumber).toMatch(/^A\d{3}-\d{3}-\d{3}$/);
      }
      return count;
    };
    const small = await run(5);
    const large = await run(100);
    expect(large).toBe(small);
    // A constant, and a small one: caller, page, count, offices, users, convictions, the read audit.
    expect(small).toBeGreaterThanOrEqual(7);
    expect(small).toBeLessThan(20);
  });
});
