/**
 * The policy engine through the real GraphQL server (shield on) against a real PostgreSQL:
 * assessCase (outcomes, the version chosen by the office's local date, determinations and
 * assertions, history, scoping, audit), schedulePolicyVersion and policyVersions, the
 * category / needsApproval filters of `cases`, and the statement count of a page with assessments.
 */
import {
  BORDER,
  CLOSE_CASE,
  convictionInput,
  openCase,
  publicSafety,
  RATIONALE,
  type OpenedCase,
} from '../helpers/given';
import {
  Client,
  HQ,
  OFFICER_NYC,
  SUPERVISOR_LAX,
  SUPERVISOR_NYC,
  startTestServer,
  TestServer,
} from '../helpers/server';
import { roleClients } from '../helpers/roles';
import { expectRefused } from '../helpers/refusals';

const T0 = new Date('2026-03-10T15:00:00.000Z');

let server: TestServer;
let officer: Client;
let supervisor: Client;
let officerLax: Client;
let hq: Client;

beforeAll(async () => {
  server = await startTestServer({ now: T0 });
  ({ officer, supervisor, officerLax, hq } = await roleClients(server));
});
afterAll(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------------------------------------
// helpers

const ICE = 'ICE-2021-02-18';
const DHS_JAN = 'DHS-2021-01-20';
const DHS_SEP = 'DHS-2021-09-30';

const ASSESSMENT_FIELDS = `
  id policyVersion primaryCategory categories presumedPriority requiresPreapproval summary
  asOf asOfDate assessedAt determinations factsSnapshot
  reasons { criterion category met status detail description }
  assessedBy { email }
  policy { code effectiveFrom effectiveTo }
`;
const ASSESS = `mutation Assess($input: AssessCaseInput!) { assessCase(input: $input) { ${ASSESSMENT_FIELDS} } }`;
const CASE_ASSESSMENTS = `query Get($id: ID!) {
  case(id: $id) {
    id
    latestAssessment { id policyVersion asOfDate categories }
    assessments { id policyVersion asOfDate assessedAt categories }
  }
}`;
const SCHEDULE = `mutation Schedule($input: SchedulePolicyVersionInput!) {
  schedulePolicyVersion(input: $input) { code effectiveFrom effectiveTo }
}`;
const POLICY_VERSIONS = `query {
  policyVersions {
    code title source effectiveFrom effectiveTo requiresPreapproval presumptions
    parameters {
      borderCutoff gangParticipationMinAge custodyReleaseFrom minRationaleLength
      minJustificationLength exigentDeadlineHours approvalValidityDays weeklyReportDueHours
    }
    criteria { code category description source }
  }
}`;
const LIST_CASES = `query List($filter: CaseFilter, $first: Int, $after: String) {
  cases(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id latestAssessment { primaryCategory categories requiresPreapproval } } }
  }
}`;

const AGG_FELONY = convictionInput({
  offense: 'Robbery in the first degree',
  jurisdiction: 'Kings County, NY',
  convictedOn: '2019-05-06',
  aggravatedFelony: true,
  aggravatedFelonySubparagraph: 'G',
});
const totality = (overrides: Record<string, unknown> = {}) => ({
  aggravating: {
    gravityOfOffenseAndSentence: true,
    harmCaused: true,
    sophistication: false,
    firearmOrDangerousWeapon: true,
    seriousPriorRecord: false,
  },
  mitigating: {
    advancedOrTenderAge: false,
    lengthyPresence: false,
    mentalConditionOrCareNeeds: false,
    victimOrWitness: false,
    impactOnFamily: true,
    eligibleForRelief: false,
    militaryOrPublicService: false,
    timeSinceOffenseAndRehabilitation: false,
    convictionVacatedOrExpunged: false,
  },
  posesThreatToPublicSafety: true,
  rationale: RATIONALE,
  ...overrides,
});

/** Moves the service's clock forward, so assessments made later sort first. */
function tick(ms = 1000): Date {
  server.clock.advance(ms);
  return server.clock.now();
}

const assess = async (client: Client, input: Record<string, unknown>) =>
  (await client.ok<{ assessCase: any }>(ASSESS, { input })).assessCase;

const reason = (a: any, criterion: string) => {
  const found = a.reasons.find((r: any) => r.criterion === criterion);
  if (!found) throw new Error(`no reason ${criterion} in ${JSON.stringify(a.reasons)}`);
  return found;
};

const refuseAssess = (
  client: Client,
  input: Record<string, unknown>,
  code: string,
  field?: string,
) => expectRefused(server, client, ASSESS, { input }, code, field);

async function assessmentCount(): Promise<number> {
  const [{ n }] = await server.sql<{ n: number }>(`SELECT count(*)::int AS n FROM assessments`);
  return n;
}

async function auditFor(recordId: string, operation: string) {
  return server.sql<{ kind: string; operation: string; actor_id: string; change: any }>(
    `SELECT kind, operation, actor_id, change FROM audit_log
      WHERE $1 = ANY(record_ids) AND operation = $2 ORDER BY insertion`,
    [recordId, operation],
  );
}

/** A new field office with an officer and a supervisor, so list counts are exact. */
async function newOffice(code: string, timeZone = 'America/New_York') {
  await hq.ok(`mutation($input: CreateOfficeInput!) { createOffice(input: $input) { id } }`, {
    input: { code, name: `${code} Field Office`, timeZone },
  });
  const emails = {
    officer: `officer.${code.toLowerCase()}@example.gov`,
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
    officer: await server.as(emails.officer),
    supervisor: await server.as(emails.supervisor),
  };
}

// ---------------------------------------------------------------------------------------------

describe('assessCase: outcomes', () => {
  test('a border case on 2021-03-01: ICE-2021-02-18, BORDER_SECURITY presumed, no pre-approval, explained', async () => {
    const c = await openCase(officer, { facts: BORDER });
    const a = await assess(officer, { caseId: c.id, asOf: '2021-03-01T15:00:00Z' });
    expect(a).toMatchObject({
      policyVersion: ICE,
      categories: ['BORDER_SECURITY'],
      primaryCategory: 'BORDER_SECURITY',
      presumedPriority: true,
      requiresPreapproval: false,
      asOf: '2021-03-01T15:00:00.000Z',
      asOfDate: '2021-03-01',
      assessedAt: server.clock.now().toISOString(),
      assessedBy: { email: OFFICER_NYC },
      policy: { code: ICE, effectiveFrom: '2021-02-18', effectiveTo: '2021-11-28' },
      determinations: {},
    });
    const entry = reason(a, `${ICE}/BS-ENTRY`);
    expect(entry).toMatchObject({ category: 'BORDER_SECURITY', met: true, status: 'MET' });
    expect(entry.detail).toContain('2020-11-03');
    expect(entry.detail).toContain('Laredo port of entry');
    expect(entry.detail).toContain('1 November 2020');
    // Every criterion of the version has a recorded result, each under the version's own code.
    expect(a.reasons.map((r: any) => r.criterion)).toEqual([
      `${ICE}/NS-TERRORISM-ESPIONAGE`,
      `${ICE}/NS-NECESSITY`,
      `${ICE}/BS-ENTRY`,
      `${ICE}/BS-PRESENCE`,
      `${ICE}/PS-THREAT`,
      `${ICE}/PS-AGG-FELONY`,
      `${ICE}/PS-GANG-CONVICTION`,
      `${ICE}/PS-GANG-PARTICIPATION`,
    ]);
    expect(reason(a, `${ICE}/BS-PRESENCE`)).toMatchObject({
      met: false,
      detail: 'the date of first physical presence in the United States is unknown',
    });
    expect(a.summary).toMatch(/border security/);
    expect(a.summary).toContain(`${ICE}/BS-ENTRY`);
    expect(a.summary).toContain('Laredo port of entry');
    expect(a.summary).toContain('2020-11-03');

    // The same record is stored, and the case points at it.
    const [row] = await server.sql(`SELECT * FROM assessments WHERE id = $1`, [a.id]);
    expect(row).toMatchObject({
      case_id: c.id,
      policy_version_code: ICE,
      primary_category: 'BORDER_SECURITY',
      presumed_priority: true,
      requires_preapproval: false,
      assessed_by_id: await server.userId(OFFICER_NYC),
      summary: a.summary,
    });
    const [caseRow] = await server.sql(`SELECT latest_assessment_id FROM cases WHERE id = $1`, [
      c.id,
    ]);
    expect(caseRow.latest_assessment_id).toBe(a.id);
  });

  test('a case with nothing: no category, OTHER, not presumed, pre-approval required (and said so)', async () => {
    const c = await openCase(officer, { facts: {} });
    const a = await assess(officer, { caseId: c.id, asOf: '2021-03-01T15:00:00Z' });
    expect(a).toMatchObject({
      policyVersion: ICE,
      categories: [],
      primaryCategory: 'OTHER',
      presumedPriority: false,
      requiresPreapproval: true,
    });
    expect(a.reasons.every((r: any) => r.met === false)).toBe(true);
    expect(a.summary).toMatch(/pre-approval/);
    expect(a.summary).toContain(ICE);
  });

  test('public safety: an aggravated felony conviction and a threat determination', async () => {
    const c = await openCase(officer, { facts: {}, convictions: [AGG_FELONY] });
    const a = await assess(officer, {
      caseId: c.id,
      asOf: '2021-03-01T15:00:00Z',
      publicSafety: publicSafety(),
    });
    expect(a).toMatchObject({
      policyVersion: ICE,
      categories: ['PUBLIC_SAFETY'],
      primaryCategory: 'PUBLIC_SAFETY',
      presumedPriority: true,
      requiresPreapproval: false,
    });
    const threat = reason(a, `${ICE}/PS-THREAT`);
    expect(threat.met).toBe(true);
    expect(threat.detail).toContain('extensiveness high, seriousness high, recency moderate');
    expect(threat.detail).toContain('ties to the community');
    const felony = reason(a, `${ICE}/PS-AGG-FELONY`);
    expect(felony.met).toBe(true);
    expect(felony.detail).toContain('Robbery in the first degree');
    expect(felony.detail).toContain('101(a)(43)(G)');
    expect(a.summary).toMatch(/public safety/);
    expect(a.summary).toContain(`${ICE}/PS-THREAT`);
    expect(a.summary).toContain(`${ICE}/PS-AGG-FELONY`);
    // The determination is recorded as given.
    expect(a.determinations).toEqual({ publicSafety: publicSafety() });
  });

  test('public safety without a threat determination: not met, "determination not made", not an error', async () => {
    const c = await openCase(officer, { facts: {}, convictions: [AGG_FELONY] });
    const before = await assessmentCount();
    const a = await assess(officer, { caseId: c.id, asOf: '2021-03-01T15:00:00Z' });
    expect(await assessmentCount()).toBe(before + 1);
    expect(a).toMatchObject({
      categories: [],
      primaryCategory: 'OTHER',
      presumedPriority: false,
      requiresPreapproval: true,
      determinations: {},
    });
    expect(reason(a, `${ICE}/PS-THREAT`)).toMatchObject({
      met: false,
      status: 'NOT_MET',
      detail: 'no public-safety threat determination made',
    });
    // The conviction itself still counts as met; the category needs both.
    expect(reason(a, `${ICE}/PS-AGG-FELONY`).met).toBe(true);
  });

  test('a threat determination of "no threat" leaves public safety unmet', async () => {
    const c = await openCase(officer, { facts: {}, convictions: [AGG_FELONY] });
    const a = await assess(officer, {
      caseId: c.id,
      asOf: '2021-03-01T15:00:00Z',
      publicSafety: publicSafety({ posesThreat: false }),
    });
    expect(a.categories).toEqual([]);
    expect(reason(a, `${ICE}/PS-THREAT`).met).toBe(false);
    expect(reason(a, `${ICE}/PS-THREAT`).detail).toMatch(/does not currently pose a threat/);
  });

  test('several categories: all recorded in policy order, NATIONAL_SECURITY primary', async () => {
    const c = await openCase(officer, {
      facts: { ...BORDER, terrorismOrEspionage: true },
      convictions: [AGG_FELONY],
    });
    const a = await assess(officer, {
      caseId: c.id,
      asOf: '2021-03-01T15:00:00Z',
      publicSafety: publicSafety(),
    });
    expect(a.categories).toEqual(['NATIONAL_SECURITY', 'BORDER_SECURITY', 'PUBLIC_SAFETY']);
    expect(a.primaryCategory).toBe('NATIONAL_SECURITY');
    expect(a.presumedPriority).toBe(true);
    expect(a.requiresPreapproval).toBe(false);
    expect(a.summary).toMatch(/^Presumed national security priority/);
    expect(a.summary).toMatch(/border security/);
    expect(a.summary).toMatch(/public safety/);
  });

  test('the national-security necessity determination alone makes NATIONAL_SECURITY', async () => {
    const c = await openCase(officer, { facts: {} });
    const a = await assess(officer, {
      caseId: c.id,
      asOf: '2021-03-01T15:00:00Z',
      nationalSecurity: { necessary: true, rationale: RATIONALE },
    });
    expect(a.categories).toEqual(['NATIONAL_SECURITY']);
    expect(reason(a, `${ICE}/NS-NECESSITY`).met).toBe(true);
    expect(reason(a, `${ICE}/NS-TERRORISM-ESPIONAGE`).met).toBe(false);
  });

  test('the record keeps the facts it read, and no subject identity', async () => {
    const subject = {
      name: 'Maria Identity-Probe',
      dateOfBirth: '1979-12-24',
      aNumber: '987654321',
      countryOfCitizenship: 'GT',
    };
    const c = await openCase(officer, {
      subject,
      facts: { ...BORDER, firstPresentOn: '2020-11-03', vulnerability: { elderly: true } },
      convictions: [AGG_FELONY],
    });
    const a = await assess(supervisor, { caseId: c.id, asOf: '2021-03-01T15:00:00Z' });
    expect(a.assessedBy).toEqual({ email: SUPERVISOR_NYC });
    expect(a.factsSnapshot).toEqual({
      terrorismOrEspionage: false,
      borderApprehension: { date: '2020-11-03', location: 'Laredo port of entry' },
      firstPresentOn: '2020-11-03',
      lastReleasedFromCustodyOn: null,
      gangParticipation: null,
      convictions: [
        {
          id: expect.any(String),
          offense: 'Robbery in the first degree',
          jurisdiction: 'Kings County, NY',
          convictedOn: '2019-05-06',
          aggravatedFelony: true,
          aggravatedFelonySubparagraph: 'G',
          gangParticipationElement: false,
          vacated: false,
        },
      ],
      vulnerability: { elderly: true, seriousIllness: false, pendingReliefApplication: false },
    });
    const [row] = await server.sql<{ snapshot: string; reasons: string; summary: string }>(
      `SELECT facts_snapshot::text AS snapshot, reasons::text AS reasons, summary FROM assessments WHERE id = $1`,
      [a.id],
    );
    for (const text of [row.snapshot, row.reasons, row.summary, JSON.stringify(a)]) {
      expect(text).not.toContain('Identity-Probe');
      expect(text).not.toContain('987654321');
      expect(text).not.toContain('987-654');
      expect(text).not.toContain('1979-12-24');
    }
  });

  test('facts dated after asOf are left out: an apprehension on 2021-03-05 does not count on 2021-03-01', async () => {
    const c = await openCase(officer, {
      facts: { borderApprehension: { date: '2021-03-05', location: 'El Paso' } },
    });
    const early = await assess(officer, { caseId: c.id, asOf: '2021-03-01T15:00:00Z' });
    expect(early.categories).toEqual([]);
    expect((early.factsSnapshot as any).borderApprehension).toBeNull();
    const later = await assess(officer, { caseId: c.id, asOf: '2021-03-05T15:00:00Z' });
    expect(later.categories).toEqual(['BORDER_SECURITY']);
  });

  test('without asOf: the server clock, in the office calendar (New York)', async () => {
    const c = await openCase(officer, { facts: BORDER });
    const now = server.clock.now();
    const a = await assess(officer, { caseId: c.id });
    expect(a.asOf).toBe(now.toISOString());
    expect(a.assessedAt).toBe(now.toISOString());
    // 2026-03-10T15:00Z (plus ticks) is 10 March in New York.
    expect(a.asOfDate).toBe('2026-03-10');
    expect(a.policyVersion).toBe(DHS_SEP);
  });
});

describe('assessCase: the recorded version matches the date', () => {
  let borderCase: OpenedCase;
  let laxCase: OpenedCase;
  beforeAll(async () => {
    borderCase = await openCase(officer, { facts: BORDER });
    laxCase = await openCase(officerLax, { facts: BORDER });
  });

  test.each([
    ['2021-01-20T12:00:00-05:00', '2021-01-20', DHS_JAN],
    ['2021-02-17T12:00:00-05:00', '2021-02-17', DHS_JAN],
    ['2021-02-18T12:00:00-05:00', '2021-02-18', ICE],
    ['2021-11-28T12:00:00-05:00', '2021-11-28', ICE],
  ])('asOf %s (%s in New York) → %s, border security presumed', async (asOf, date, version) => {
    const a = await assess(officer, { caseId: borderCase.id, asOf });
    expect(a).toMatchObject({
      policyVersion: version,
      asOfDate: date,
      categories: ['BORDER_SECURITY'],
      presumedPriority: true,
      requiresPreapproval: false,
    });
    expect(a.reasons.every((r: any) => r.criterion.startsWith(`${version}/`))).toBe(true);
    expect(a.policy.code).toBe(version);
  });

  test('2021-11-29 → DHS-2021-09-30: border security matched, but no presumptions and no pre-approval', async () => {
    const a = await assess(officer, { caseId: borderCase.id, asOf: '2021-11-29T12:00:00-05:00' });
    expect(a).toMatchObject({
      policyVersion: DHS_SEP,
      asOfDate: '2021-11-29',
      categories: ['BORDER_SECURITY'],
      primaryCategory: 'BORDER_SECURITY',
      presumedPriority: false,
      requiresPreapproval: false,
    });
    expect(reason(a, `${DHS_SEP}/BS-BORDER-ENTRY`).met).toBe(true);
    expect(a.summary).toMatch(/no presumptions/);
    const nothing = await openCase(officer, { facts: {} });
    const b = await assess(officer, { caseId: nothing.id, asOf: '2021-11-29T12:00:00-05:00' });
    expect(b).toMatchObject({
      policyVersion: DHS_SEP,
      categories: [],
      primaryCategory: 'OTHER',
      presumedPriority: false,
      requiresPreapproval: false,
    });
    expect(b.summary).not.toMatch(/needs a supervisor/);
  });

  test('a date before the first version (2021-01-19) is BAD_USER_INPUT on input.asOf, nothing changed', async () => {
    const error = await refuseAssess(
      officer,
      { caseId: borderCase.id, asOf: '2021-01-19T12:00:00-05:00' },
      'BAD_USER_INPUT',
      'input.asOf',
    );
    expect(error.message).toContain('2021-01-19');
    // 2021-01-20T04:00Z is still 19 January in New York.
    await refuseAssess(
      officer,
      { caseId: borderCase.id, asOf: '2021-01-20T04:00:00Z' },
      'BAD_USER_INPUT',
      'input.asOf',
    );
  });

  test('an asOf after the server clock is BAD_USER_INPUT on input.asOf; the clock instant itself is fine', async () => {
    const now = server.clock.now();
    await refuseAssess(
      officer,
      { caseId: borderCase.id, asOf: new Date(now.getTime() + 60_000).toISOString() },
      'BAD_USER_INPUT',
      'input.asOf',
    );
    await refuseAssess(
      officer,
      { caseId: borderCase.id, asOf: new Date(now.getTime() + 1).toISOString() },
      'BAD_USER_INPUT',
      'input.asOf',
    );
    const a = await assess(officer, { caseId: borderCase.id, asOf: now.toISOString() });
    expect(a.asOf).toBe(now.toISOString());
  });

  test('the office’s local date picks the version: 2021-02-18T05:00Z is the 18th in New York, the 17th in Los Angeles', async () => {
    const asOf = '2021-02-18T05:00:00Z';
    const nyc = await assess(officer, { caseId: borderCase.id, asOf });
    expect(nyc).toMatchObject({ policyVersion: ICE, asOfDate: '2021-02-18' });
    const lax = await assess(officerLax, { caseId: laxCase.id, asOf });
    expect(lax).toMatchObject({
      policyVersion: DHS_JAN,
      asOfDate: '2021-02-17',
      asOf: '2021-02-18T05:00:00.000Z',
    });
    // A second earlier it is still the 17th in New York too; at 08:00Z Los Angeles reaches the 18th.
    expect(
      (await assess(officer, { caseId: borderCase.id, asOf: '2021-02-18T04:59:59Z' }))
        .policyVersion,
    ).toBe(DHS_JAN);
    expect(
      (await assess(officerLax, { caseId: laxCase.id, asOf: '2021-02-18T07:59:59Z' }))
        .policyVersion,
    ).toBe(DHS_JAN);
    expect(
      (await assess(officerLax, { caseId: laxCase.id, asOf: '2021-02-18T08:00:00Z' }))
        .policyVersion,
    ).toBe(ICE);
  });

  test('the same at the November switch: 2021-11-29T05:00Z is DHS-2021-09-30 in New York, ICE in Los Angeles', async () => {
    const asOf = '2021-11-29T05:00:00Z';
    const nyc = await assess(officer, { caseId: borderCase.id, asOf });
    expect(nyc).toMatchObject({
      policyVersion: DHS_SEP,
      asOfDate: '2021-11-29',
      presumedPriority: false,
    });
    const lax = await assess(officerLax, { caseId: laxCase.id, asOf });
    expect(lax).toMatchObject({
      policyVersion: ICE,
      asOfDate: '2021-11-28',
      presumedPriority: true,
    });
  });

  test('DHS-2021-01-20 public safety needs a release from custody on or after 20 January 2021, dated by asOf', async () => {
    const c = await openCase(officer, {
      facts: { lastReleasedFromCustodyOn: '2021-01-25' },
      convictions: [AGG_FELONY],
    });
    const before = await assess(officer, {
      caseId: c.id,
      asOf: '2021-01-22T12:00:00-05:00',
      publicSafety: publicSafety(),
    });
    expect(before.policyVersion).toBe(DHS_JAN);
    expect(before.categories).toEqual([]);
    expect(reason(before, `${DHS_JAN}/PS-CUSTODY-RELEASE`).met).toBe(false);
    const after = await assess(officer, {
      caseId: c.id,
      asOf: '2021-02-01T12:00:00-05:00',
      publicSafety: publicSafety(),
    });
    expect(after.categories).toEqual(['PUBLIC_SAFETY']);
    expect(reason(after, `${DHS_JAN}/PS-CUSTODY-RELEASE`).detail).toContain('2021-01-25');
  });
});

describe('assessCase: determinations and assertions', () => {
  let borderCase: OpenedCase;
  let felonyCase: OpenedCase;
  beforeAll(async () => {
    borderCase = await openCase(officer, { facts: BORDER });
    felonyCase = await openCase(officer, { facts: {}, convictions: [AGG_FELONY] });
  });
  const ICE_DAY = '2021-03-01T15:00:00Z';
  const SEP_DAY = '2021-12-01T15:00:00Z';

  test('a totality determination under ICE-2021-02-18 is BAD_USER_INPUT on input.totality', async () => {
    const error = await refuseAssess(
      officer,
      { caseId: felonyCase.id, asOf: ICE_DAY, totality: totality() },
      'BAD_USER_INPUT',
      'input.totality',
    );
    expect(error.message).toContain(ICE);
  });

  test('a public-safety determination under DHS-2021-09-30 is BAD_USER_INPUT on input.publicSafety', async () => {
    await refuseAssess(
      officer,
      { caseId: felonyCase.id, asOf: SEP_DAY, publicSafety: publicSafety() },
      'BAD_USER_INPUT',
      'input.publicSafety',
    );
  });

  test('the valid counterparts are accepted: publicSafety under ICE, totality under DHS-2021-09-30', async () => {
    const ice = await assess(officer, {
      caseId: felonyCase.id,
      asOf: ICE_DAY,
      publicSafety: publicSafety(),
    });
    expect(ice.categories).toEqual(['PUBLIC_SAFETY']);
    const sep = await assess(officer, {
      caseId: felonyCase.id,
      asOf: SEP_DAY,
      totality: totality(),
    });
    expect(sep).toMatchObject({
      policyVersion: DHS_SEP,
      categories: ['PUBLIC_SAFETY'],
      presumedPriority: false,
      requiresPreapproval: false,
      determinations: { totality: totality() },
    });
    const detail = reason(sep, `${DHS_SEP}/PS-TOTALITY`).detail;
    expect(detail).toContain('use or threatened use of a firearm or dangerous weapon');
    expect(detail).toContain('impact of removal on family');
  });

  test('a rationale shorter than 40 characters (after trimming) is BAD_USER_INPUT on its field; 40 is enough', async () => {
    const short = 'x'.repeat(39);
    await refuseAssess(
      officer,
      { caseId: felonyCase.id, asOf: ICE_DAY, publicSafety: publicSafety({ rationale: short }) },
      'BAD_USER_INPUT',
      'input.publicSafety.rationale',
    );
    await refuseAssess(
      officer,
      {
        caseId: felonyCase.id,
        asOf: ICE_DAY,
        publicSafety: publicSafety({ rationale: `   ${short}      ` }),
      },
      'BAD_USER_INPUT',
      'input.publicSafety.rationale',
    );
    await refuseAssess(
      officer,
      {
        caseId: felonyCase.id,
        asOf: ICE_DAY,
        nationalSecurity: { necessary: true, rationale: short },
      },
      'BAD_USER_INPUT',
      'input.nationalSecurity.rationale',
    );
    await refuseAssess(
      officer,
      { caseId: felonyCase.id, asOf: SEP_DAY, totality: totality({ rationale: short }) },
      'BAD_USER_INPUT',
      'input.totality.rationale',
    );
    const ok = await assess(officer, {
      caseId: felonyCase.id,
      asOf: ICE_DAY,
      publicSafety: publicSafety({ rationale: 'x'.repeat(40) }),
    });
    expect(ok.categories).toEqual(['PUBLIC_SAFETY']);
  });

  test('asserting PUBLIC_SAFETY without a determination is BAD_USER_INPUT on input.assertCategories.0', async () => {
    await refuseAssess(
      officer,
      { caseId: felonyCase.id, asOf: ICE_DAY, assertCategories: ['PUBLIC_SAFETY'] },
      'BAD_USER_INPUT',
      'input.assertCategories.0',
    );
    // Under DHS-2021-09-30 the determination it needs is the totality one.
    await refuseAssess(
      officer,
      { caseId: felonyCase.id, asOf: SEP_DAY, assertCategories: ['PUBLIC_SAFETY'] },
      'BAD_USER_INPUT',
      'input.assertCategories.0',
    );
  });

  test('asserting a category the facts do not meet is BAD_USER_INPUT, naming the unmet criteria', async () => {
    const error = await refuseAssess(
      officer,
      { caseId: felonyCase.id, asOf: ICE_DAY, assertCategories: ['BORDER_SECURITY'] },
      'BAD_USER_INPUT',
      'input.assertCategories.0',
    );
    expect(error.message).toContain(`${ICE}/BS-ENTRY`);
    // The second of two assertions is the one refused.
    await refuseAssess(
      officer,
      {
        caseId: borderCase.id,
        asOf: ICE_DAY,
        assertCategories: ['BORDER_SECURITY', 'NATIONAL_SECURITY'],
      },
      'BAD_USER_INPUT',
      'input.assertCategories.1',
    );
    // A threat determination of "no threat" does not support an asserted PUBLIC_SAFETY.
    await refuseAssess(
      officer,
      {
        caseId: felonyCase.id,
        asOf: ICE_DAY,
        publicSafety: publicSafety({ posesThreat: false }),
        assertCategories: ['PUBLIC_SAFETY'],
      },
      'BAD_USER_INPUT',
      'input.assertCategories.0',
    );
    await refuseAssess(
      officer,
      { caseId: borderCase.id, asOf: ICE_DAY, assertCategories: ['OTHER'] },
      'BAD_USER_INPUT',
      'input.assertCategories.0',
    );
  });

  test('asserting met categories is accepted and recorded like any assessment', async () => {
    const a = await assess(officer, {
      caseId: borderCase.id,
      asOf: ICE_DAY,
      assertCategories: ['BORDER_SECURITY'],
    });
    expect(a.categories).toEqual(['BORDER_SECURITY']);
    const b = await assess(officer, {
      caseId: felonyCase.id,
      asOf: ICE_DAY,
      publicSafety: publicSafety(),
      assertCategories: ['PUBLIC_SAFETY'],
    });
    expect(b.categories).toEqual(['PUBLIC_SAFETY']);
  });
});

describe('assessCase: history, records, scope and audit', () => {
  test('assessing twice keeps both: history newest first, latestAssessment the newer', async () => {
    const c = await openCase(officer, { facts: BORDER });
    const empty = await officer.ok<any>(CASE_ASSESSMENTS, { id: c.id });
    expect(empty.case.latestAssessment).toBeNull();
    expect(empty.case.assessments).toEqual([]);

    tick();
    const first = await assess(officer, { caseId: c.id, asOf: '2021-02-17T12:00:00-05:00' });
    tick();
    const second = await assess(supervisor, { caseId: c.id, asOf: '2021-03-01T12:00:00-05:00' });
    const data = await officer.ok<any>(CASE_ASSESSMENTS, { id: c.id });
    expect(data.case.latestAssessment).toEqual({
      id: second.id,
      policyVersion: ICE,
      asOfDate: '2021-03-01',
      categories: ['BORDER_SECURITY'],
    });
    expect(data.case.assessments.map((a: any) => [a.id, a.policyVersion])).toEqual([
      [second.id, ICE],
      [first.id, DHS_JAN],
    ]);

    tick();
    const third = await assess(officer, { caseId: c.id, asOf: '2021-02-20T12:00:00-05:00' });
    const again = await officer.ok<any>(CASE_ASSESSMENTS, { id: c.id });
    // The newest made, not the newest asOf, is the current one.
    expect(again.case.latestAssessment.id).toBe(third.id);
    expect(again.case.assessments.map((a: any) => a.id)).toEqual([third.id, second.id, first.id]);
  });

  test('assessments are never changed: a direct UPDATE or DELETE fails on the trigger', async () => {
    const c = await openCase(officer, { facts: BORDER });
    const a = await assess(officer, { caseId: c.id, asOf: '2021-03-01T15:00:00Z' });
    const [before] = await server.sql(`SELECT * FROM assessments WHERE id = $1`, [a.id]);
    await expect(
      server.sql(`UPDATE assessments SET summary = 'rewritten' WHERE id = $1`, [a.id]),
    ).rejects.toThrow(/never changed/);
    await expect(
      server.sql(`UPDATE assessments SET categories = '{}' WHERE id = $1`, [a.id]),
    ).rejects.toThrow(/never changed/);
    await expect(server.sql(`DELETE FROM assessments WHERE id = $1`, [a.id])).rejects.toThrow(
      /never changed/,
    );
    const [after] = await server.sql(`SELECT * FROM assessments WHERE id = $1`, [a.id]);
    expect(after).toEqual(before);
  });

  test('a closed case is a CONFLICT, nothing changed', async () => {
    const c = await openCase(officer, { facts: BORDER });
    await officer.ok(CLOSE_CASE, { input: { caseId: c.id, reason: 'Subject departed' } });
    await refuseAssess(officer, { caseId: c.id, asOf: '2021-03-01T15:00:00Z' }, 'CONFLICT');
  });

  test('another office’s case is NOT_FOUND for its officer and supervisor (as for an unknown id); headquarters is FORBIDDEN', async () => {
    const c = await openCase(officer, { facts: BORDER });
    const other = await refuseAssess(
      officerLax,
      { caseId: c.id, asOf: '2021-03-01T15:00:00Z' },
      'NOT_FOUND',
    );
    const missing = await refuseAssess(
      officerLax,
      { caseId: '00000000-0000-4000-8000-000000000000', asOf: '2021-03-01T15:00:00Z' },
      'NOT_FOUND',
    );
    expect(other.message).toBe(missing.message);
    await refuseAssess(
      await server.as(SUPERVISOR_LAX),
      { caseId: c.id, asOf: '2021-03-01T15:00:00Z' },
      'NOT_FOUND',
    );
    await refuseAssess(hq, { caseId: c.id, asOf: '2021-03-01T15:00:00Z' }, 'FORBIDDEN');
    await refuseAssess(server.anonymous(), { caseId: c.id }, 'UNAUTHENTICATED');
    // The LAX officer cannot read its assessments either.
    await assess(officer, { caseId: c.id, asOf: '2021-03-01T15:00:00Z' });
    const read = await officerLax.request(CASE_ASSESSMENTS, { id: c.id });
    expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  test('each assessCase writes exactly one CHANGE audit record with operation assessCase', async () => {
    const c = await openCase(officer, { facts: BORDER });
    const [{ n: before }] = await server.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log`,
    );
    const a = await assess(officer, { caseId: c.id, asOf: '2021-03-01T15:00:00Z' });
    const [{ n: after }] = await server.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log`,
    );
    expect(after).toBe(before + 1);
    const rows = await auditFor(a.id, 'assessCase');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'CHANGE',
      operation: 'assessCase',
      actor_id: await server.userId(OFFICER_NYC),
      change: {
        caseId: c.id,
        supersedes: null,
        policyVersion: ICE,
        asOfDate: '2021-03-01',
        categories: ['BORDER_SECURITY'],
        presumedPriority: true,
        requiresPreapproval: false,
      },
    });
    const b = await assess(officer, { caseId: c.id, asOf: '2021-03-02T15:00:00Z' });
    const caseRows = await auditFor(c.id, 'assessCase');
    expect(caseRows).toHaveLength(2);
    expect(caseRows[1].change.supersedes).toBe(a.id);
    expect(await auditFor(b.id, 'assessCase')).toHaveLength(1);
  });
});

describe('policyVersions and schedulePolicyVersion', () => {
  const RESTORE = {
    code: ICE,
    effectiveFrom: '2021-02-18',
    effectiveTo: '2021-11-28',
    alsoReschedule: [{ code: DHS_JAN, effectiveFrom: '2021-01-20', effectiveTo: '2021-02-17' }],
    reason: 'Restore the dates the versions were issued with',
  };
  afterAll(async () => {
    // Leave the schedule as the migration seeded it for the tests that follow.
    await hq.ok(SCHEDULE, { input: RESTORE });
  });

  test('policyVersions lists the three versions, oldest first, with dates, parameters and criteria', async () => {
    const data = await officer.ok<any>(POLICY_VERSIONS);
    const versions = data.policyVersions;
    expect(versions.map((v: any) => [v.code, v.effectiveFrom, v.effectiveTo])).toEqual([
      [DHS_JAN, '2021-01-20', '2021-02-17'],
      [ICE, '2021-02-18', '2021-11-28'],
      [DHS_SEP, '2021-11-29', null],
    ]);
    expect(versions.map((v: any) => v.requiresPreapproval)).toEqual([false, true, false]);
    expect(versions.map((v: any) => v.presumptions)).toEqual([true, true, false]);
    for (const v of versions) {
      expect(v.title).toBeTruthy();
      expect(v.source).toBeTruthy();
      expect(v.parameters).toMatchObject({
        borderCutoff: '2020-11-01',
        minRationaleLength: 40,
        gangParticipationMinAge: 16,
      });
      for (const c of v.criteria) {
        expect(c.code.startsWith(`${v.code}/`)).toBe(true);
        expect(c.description).toBeTruthy();
        expect(c.source).toBeTruthy();
      }
    }
    expect(versions[0].parameters.custodyReleaseFrom).toBe('2021-01-20');
    expect(versions[1].parameters).toMatchObject({
      custodyReleaseFrom: null,
      minJustificationLength: 80,
      exigentDeadlineHours: 24,
      approvalValidityDays: 30,
    });
    expect(versions[1].criteria.map((c: any) => c.code)).toEqual([
      `${ICE}/NS-TERRORISM-ESPIONAGE`,
      `${ICE}/NS-NECESSITY`,
      `${ICE}/BS-ENTRY`,
      `${ICE}/BS-PRESENCE`,
      `${ICE}/PS-THREAT`,
      `${ICE}/PS-AGG-FELONY`,
      `${ICE}/PS-GANG-CONVICTION`,
      `${ICE}/PS-GANG-PARTICIPATION`,
    ]);
    expect(versions[0].criteria.map((c: any) => c.code)).toContain(`${DHS_JAN}/PS-CUSTODY-RELEASE`);
    expect(versions[2].criteria.map((c: any) => c.code)).toEqual([
      `${DHS_SEP}/NS-TERRORISM-ESPIONAGE`,
      `${DHS_SEP}/NS-NECESSITY`,
      `${DHS_SEP}/BS-BORDER-ENTRY`,
      `${DHS_SEP}/BS-INTERIOR-ENTRY-AFTER-CUTOFF`,
      `${DHS_SEP}/PS-TOTALITY`,
    ]);
    // Headquarters and supervisors see the same list.
    expect((await hq.ok<any>(POLICY_VERSIONS)).policyVersions).toEqual(versions);
  });

  describe('refusals: BAD_USER_INPUT, the schedule unchanged', () => {
    test.each([
      [
        'a gap (only moving ICE-2021-02-18’s start)',
        { code: ICE, effectiveFrom: '2021-03-01', effectiveTo: '2021-11-28' },
        /gap/,
        'input.effectiveFrom',
      ],
      [
        'an overlap (ICE-2021-02-18 starting on 10 February)',
        { code: ICE, effectiveFrom: '2021-02-10', effectiveTo: '2021-11-28' },
        /overlap/,
        'input.effectiveFrom',
      ],
      [
        'an overlap (the neighbour moved too far)',
        {
          code: ICE,
          effectiveFrom: '2021-03-01',
          effectiveTo: '2021-11-28',
          alsoReschedule: [
            { code: DHS_JAN, effectiveFrom: '2021-01-20', effectiveTo: '2021-03-05' },
          ],
        },
        /overlap/,
        'input.effectiveFrom',
      ],
      [
        'an open end on a version that is not the last',
        { code: ICE, effectiveFrom: '2021-02-18', effectiveTo: null },
        /overlap/,
        'input.effectiveFrom',
      ],
      [
        'an end before the start',
        {
          code: ICE,
          effectiveFrom: '2021-03-01',
          effectiveTo: '2021-02-20',
          alsoReschedule: [
            { code: DHS_JAN, effectiveFrom: '2021-01-20', effectiveTo: '2021-02-28' },
          ],
        },
        /ends? before it starts/,
        undefined,
      ],
      [
        'an unknown code',
        { code: 'ICE-2099-01-01', effectiveFrom: '2099-01-01', effectiveTo: null },
        /ICE-2099-01-01/,
        'input.code',
      ],
      [
        'an unknown code in alsoReschedule',
        {
          code: ICE,
          effectiveFrom: '2021-03-01',
          effectiveTo: '2021-11-28',
          alsoReschedule: [
            { code: 'DHS-1999', effectiveFrom: '2021-01-20', effectiveTo: '2021-02-28' },
          ],
        },
        /DHS-1999/,
        'input.alsoReschedule.0.code',
      ],
      [
        'the same code twice',
        {
          code: ICE,
          effectiveFrom: '2021-03-01',
          effectiveTo: '2021-11-28',
          alsoReschedule: [{ code: ICE, effectiveFrom: '2021-02-18', effectiveTo: '2021-11-28' }],
        },
        /twice/,
        'input.alsoReschedule.0.code',
      ],
    ])('%s', async (_label, input, message, field) => {
      const before = await officer.ok<any>(POLICY_VERSIONS);
      const error = await expectRefused(
        server,
        hq,
        SCHEDULE,
        { input: { reason: 'Testing a refused schedule', ...input } },
        'BAD_USER_INPUT',
        field,
      );
      expect(error.message).toMatch(message);
      expect(await officer.ok<any>(POLICY_VERSIONS)).toEqual(before);
    });

    test('officers and supervisors are FORBIDDEN', async () => {
      const input = {
        code: ICE,
        effectiveFrom: '2021-03-01',
        effectiveTo: '2021-11-28',
        alsoReschedule: [{ code: DHS_JAN, effectiveFrom: '2021-01-20', effectiveTo: '2021-02-28' }],
        reason: 'Not mine to change',
      };
      await expectRefused(server, officer, SCHEDULE, { input }, 'FORBIDDEN');
      await expectRefused(server, supervisor, SCHEDULE, { input }, 'FORBIDDEN');
    });
  });

  test('rescheduling changes new assessments only', async () => {
    const c = await openCase(officer, { facts: BORDER });
    const earlier = await assess(officer, { caseId: c.id, asOf: '2021-02-20T12:00:00-05:00' });
    expect(earlier.policyVersion).toBe(ICE);

    const reason = 'Interim guidance applied from 1 March in this scenario';
    const data = await hq.ok<any>(SCHEDULE, {
      input: {
        code: ICE,
        effectiveFrom: '2021-03-01',
        effectiveTo: '2021-11-28',
        alsoReschedule: [{ code: DHS_JAN, effectiveFrom: '2021-01-20', effectiveTo: '2021-02-28' }],
        reason,
      },
    });
    expect(data.schedulePolicyVersion).toEqual([
      { code: DHS_JAN, effectiveFrom: '2021-01-20', effectiveTo: '2021-02-28' },
      { code: ICE, effectiveFrom: '2021-03-01', effectiveTo: '2021-11-28' },
      { code: DHS_SEP, effectiveFrom: '2021-11-29', effectiveTo: null },
    ]);
    const listed = await officer.ok<any>(POLICY_VERSIONS);
    expect(listed.policyVersions.map((v: any) => [v.code, v.effectiveFrom, v.effectiveTo])).toEqual(
      [
        [DHS_JAN, '2021-01-20', '2021-02-28'],
        [ICE, '2021-03-01', '2021-11-28'],
        [DHS_SEP, '2021-11-29', null],
      ],
    );
    const audit = await server.sql(
      `SELECT kind, actor_id, reason, change FROM audit_log WHERE operation = 'schedulePolicyVersion' ORDER BY insertion DESC LIMIT 1`,
    );
    expect(audit[0]).toMatchObject({ kind: 'CHANGE', actor_id: await server.userId(HQ), reason });

    tick();
    const later = await assess(officer, { caseId: c.id, asOf: '2021-02-20T12:00:00-05:00' });
    expect(later).toMatchObject({ policyVersion: DHS_JAN, asOfDate: '2021-02-20' });
    expect(
      (await assess(officer, { caseId: c.id, asOf: '2021-03-01T12:00:00-05:00' })).policyVersion,
    ).toBe(ICE);

    // The earlier record still says what was applied then.
    const history = await officer.ok<any>(CASE_ASSESSMENTS, { id: c.id });
    const kept = history.case.assessments.find((a: any) => a.id === earlier.id);
    expect(kept).toMatchObject({ policyVersion: ICE, asOfDate: '2021-02-20' });
    const [row] = await server.sql(
      `SELECT policy_version_code, reasons::text AS reasons, summary FROM assessments WHERE id = $1`,
      [earlier.id],
    );
    expect(row.policy_version_code).toBe(ICE);
    expect(row.summary).toBe(earlier.summary);
    expect(row.reasons).toContain(`${ICE}/BS-ENTRY`);

    // Back to the real dates; the same day is ICE again.
    await hq.ok(SCHEDULE, { input: RESTORE });
    tick();
    expect(
      (await assess(officer, { caseId: c.id, asOf: '2021-02-20T12:00:00-05:00' })).policyVersion,
    ).toBe(ICE);
  });
});

describe('cases: filter by category and needsApproval', () => {
  let office: Awaited<ReturnType<typeof newOffice>>;
  /** Newest first, as the list returns them. */
  const opened: string[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    office = await newOffice('ASF');
    const make = async (
      name: string,
      facts: Record<string, unknown>,
      convictions: unknown[] = [],
    ) => {
      tick();
      const c = await openCase(office.officer, { facts, convictions });
      ids[name] = c.id;
      opened.unshift(c.id);
      return c.id;
    };
    const ICE_DAY = '2021-03-10T15:00:00Z';
    // Border security under ICE: presumed, no pre-approval.
    await assess(office.officer, { caseId: await make('border', BORDER), asOf: ICE_DAY });
    // Nothing under ICE: OTHER, pre-approval needed (NOT_PRESUMED).
    await assess(office.officer, { caseId: await make('other', {}), asOf: ICE_DAY });
    // Never assessed.
    await make('unassessed', {});
    // Nothing under DHS-2021-09-30: OTHER, but no pre-approval.
    await assess(office.officer, {
      caseId: await make('otherSep', {}),
      asOf: '2021-12-01T15:00:00Z',
    });
    // First OTHER (the apprehension is later than asOf), then border security: the latest counts.
    const changed = await make('reassessed', {
      borderApprehension: { date: '2021-03-05', location: 'El Paso' },
    });
    await assess(office.officer, { caseId: changed, asOf: '2021-03-01T15:00:00Z' });
    tick();
    await assess(office.officer, { caseId: changed, asOf: ICE_DAY });
    // Border and public safety: primary BORDER_SECURITY, PUBLIC_SAFETY matched too.
    await assess(office.officer, {
      caseId: await make('borderAndPs', BORDER, [AGG_FELONY]),
      asOf: ICE_DAY,
      publicSafety: publicSafety(),
    });
    // First border security, then (facts corrected) nothing: now needs approval.
    const dropped = await make('dropped', BORDER);
    await assess(office.officer, { caseId: dropped, asOf: ICE_DAY });
    const current = await office.officer.ok<any>(`query($id: ID!) { case(id: $id) { version } }`, {
      id: dropped,
    });
    await office.officer.ok(
      `mutation($input: UpdateCaseFactsInput!) { updateCaseFacts(input: $input) { id } }`,
      {
        input: {
          caseId: dropped,
          expectedVersion: current.case.version,
          facts: { borderApprehension: null },
        },
      },
    );
    tick();
    await assess(office.officer, { caseId: dropped, asOf: ICE_DAY });
  });

  const list = async (filter: Record<string, unknown>, first?: number, after?: string) =>
    (await office.supervisor.ok<any>(LIST_CASES, { filter, first, after })).cases;
  const nodeIds = (page: any): string[] => page.edges.map((e: any) => e.node.id);
  const expected = (...names: string[]) => opened.filter((id) => names.some((n) => ids[n] === id));

  test('without a filter: all seven', async () => {
    const page = await list({});
    expect(nodeIds(page)).toEqual(opened);
    expect(page.totalCount).toBe(7);
  });

  test('category BORDER_SECURITY: every case whose current assessment matched it', async () => {
    const page = await list({ category: 'BORDER_SECURITY' });
    expect(nodeIds(page)).toEqual(expected('border', 'reassessed', 'borderAndPs'));
    expect(page.totalCount).toBe(3);
  });

  test('category PUBLIC_SAFETY includes a case where it is not the primary category', async () => {
    const page = await list({ category: 'PUBLIC_SAFETY' });
    expect(nodeIds(page)).toEqual(expected('borderAndPs'));
    expect(page.edges[0].node.latestAssessment.primaryCategory).toBe('BORDER_SECURITY');
    expect((await list({ category: 'NATIONAL_SECURITY' })).totalCount).toBe(0);
  });

  test('category OTHER: assessed cases whose current assessment matched nothing (not the unassessed)', async () => {
    const page = await list({ category: 'OTHER' });
    expect(nodeIds(page)).toEqual(expected('other', 'otherSep', 'dropped'));
    expect(page.totalCount).toBe(3);
  });

  test('needsApproval true: NOT_PRESUMED under ICE and never assessed', async () => {
    const page = await list({ needsApproval: true });
    expect(nodeIds(page)).toEqual(expected('other', 'unassessed', 'dropped'));
    expect(page.totalCount).toBe(3);
  });

  test('needsApproval false: the others', async () => {
    const page = await list({ needsApproval: false });
    expect(nodeIds(page)).toEqual(expected('border', 'otherSep', 'reassessed', 'borderAndPs'));
    expect(page.totalCount).toBe(4);
  });

  test('combined: category OTHER and needsApproval false is the DHS-2021-09-30 case', async () => {
    const page = await list({ category: 'OTHER', needsApproval: false });
    expect(nodeIds(page)).toEqual(expected('otherSep'));
    const open = await list({ category: 'BORDER_SECURITY', status: 'OPEN', needsApproval: true });
    expect(open.totalCount).toBe(0);
  });

  test('with pagination: pages of 2 cover the filtered list exactly', async () => {
    for (const filter of [{ needsApproval: false }, { category: 'BORDER_SECURITY' }]) {
      const all = nodeIds(await list(filter));
      const seen: string[] = [];
      let after: string | undefined;
      let hasNext = true;
      let pages = 0;
      while (hasNext) {
        const page = await list(filter, 2, after);
        expect(page.totalCount).toBe(all.length);
        seen.push(...nodeIds(page));
        hasNext = page.pageInfo.hasNextPage;
        after = page.pageInfo.endCursor;
        pages += 1;
        expect(pages).toBeLessThanOrEqual(3);
      }
      expect(seen).toEqual(all);
      expect(pages).toBe(Math.ceil(all.length / 2));
    }
  });

  test('an unknown category is refused by the schema', async () => {
    const res = await office.supervisor.request(LIST_CASES, { filter: { category: 'TERRIBLE' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('cases with assessments: no N+1', () => {
  const PAGE = `query Page($first: Int) {
    cases(first: $first) {
      totalCount
      edges { node {
        id
        latestAssessment {
          policyVersion categories summary
          reasons { criterion met }
          assessedBy { email }
          policy { code }
        }
        assessments { id }
      } }
    }
  }`;

  test('a page of 5 and a page of 60 cost the same number of statements', async () => {
    const office = await newOffice('NPA');
    for (let i = 0; i < 60; i++) {
      if (i % 10 === 0) tick();
      const c = await openCase(office.officer, { facts: i % 2 ? BORDER : {} });
      const by = i % 3 ? office.officer : office.supervisor;
      await assess(by, { caseId: c.id, asOf: '2021-03-01T15:00:00Z' });
      if (i % 4 === 0) await assess(by, { caseId: c.id, asOf: '2021-12-01T15:00:00Z' });
    }
    const run = async (first: number) => {
      server.statements.length = 0;
      const data = await office.supervisor.ok<any>(PAGE, { first });
      const count = server.statements.length;
      expect(data.cases.edges).toHaveLength(first);
      expect(data.cases.totalCount).toBe(60);
      for (const { node } of data.cases.edges) {
        expect(node.latestAssessment.policy.code).toBe(node.latestAssessment.policyVersion);
        expect(node.latestAssessment.reasons.length).toBeGreaterThan(0);
        expect(node.latestAssessment.assessedBy.email).toMatch(/@example\.gov$/);
        expect(node.assessments.length).toBeGreaterThanOrEqual(1);
      }
      return { count, data };
    };
    const small = await run(5);
    const large = await run(60);
    expect(large.count).toBe(small.count);
    expect(small.count).toBeLessThan(20);
    const versions = new Set(
      large.data.cases.edges.map((e: any) => e.node.latestAssessment.policyVersion),
    );
    expect(versions).toEqual(new Set([ICE, DHS_SEP]));
    expect(large.data.cases.edges.filter((e: any) => e.node.assessments.length === 2)).toHaveLength(
      15,
    );
  });
});
