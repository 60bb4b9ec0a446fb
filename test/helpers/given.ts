/** Factories that make tests read like the story they tell. */
import type { Client } from './server';

export const CASE_FIELDS = `
  id status version openedAt updatedAt closedAt closeReason
  office { code }
  assignedOfficer { email }
  openedBy { email }
  facts {
    terrorismOrEspionage
    borderApprehension { date location }
    firstPresentOn
    lastReleasedFromCustodyOn
    gangParticipation { organization kind intentional furtheredIllegalActivity ageAtParticipation }
    vulnerability { elderly seriousIllness pendingReliefApplication }
    convictions { id offense jurisdiction convictedOn aggravatedFelony aggravatedFelonySubparagraph gangParticipationElement vacated }
  }
`;

export const OPEN_CASE = `mutation Open($input: OpenCaseInput!) { openCase(input: $input) { ${CASE_FIELDS} } }`;
export const UPDATE_FACTS = `mutation Update($input: UpdateCaseFactsInput!) { updateCaseFacts(input: $input) { ${CASE_FIELDS} } }`;
export const CLOSE_CASE = `mutation Close($input: CloseCaseInput!) { closeCase(input: $input) { ${CASE_FIELDS} } }`;
export const GET_CASE = `query Get($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`;

let counter = 0;

export function subjectInput(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    name: `Subject ${counter}`,
    dateOfBirth: '1985-06-15',
    aNumber: String(100000000 + counter).padStart(9, '0'),
    countryOfCitizenship: 'MX',
    ...overrides,
  };
}

export function convictionInput(overrides: Record<string, unknown> = {}) {
  return {
    offense: 'Burglary in the second degree',
    jurisdiction: 'New York County, NY',
    convictedOn: '2012-03-04',
    aggravatedFelony: false,
    gangParticipationElement: false,
    ...overrides,
  };
}

export function caseInput(
  overrides: {
    subject?: Record<string, unknown>;
    facts?: Record<string, unknown>;
    convictions?: unknown[];
    assignedOfficerId?: string;
  } = {},
) {
  return {
    subject: subjectInput(overrides.subject),
    facts: overrides.facts ?? {
      borderApprehension: { date: '2020-11-03', location: 'Laredo port of entry' },
    },
    convictions: overrides.convictions ?? [],
    ...(overrides.assignedOfficerId ? { assignedOfficerId: overrides.assignedOfficerId } : {}),
  };
}

export interface OpenedCase {
  id: string;
  version: number;
  [key: string]: any;
}

/** Opens a case as `client` (an officer or supervisor) and returns it. */
export async function openCase(
  client: Client,
  overrides: Parameters<typeof caseInput>[0] = {},
): Promise<OpenedCase> {
  const data = await client.ok<{ openCase: OpenedCase }>(OPEN_CASE, {
    input: caseInput(overrides),
  });
  return data.openCase;
}

/** A justification long enough for any pre-approval request. */
export const APPROVAL_JUSTIFICATION =
  'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.';

/**
 * A pending pre-approval request for an arrest, made by `client` (an officer or supervisor) on a
 * new case of their office assessed as not a presumed priority: its id.
 */
export async function pendingPreApproval(client: Client): Promise<string> {
  const c = await openCase(client, { facts: NOT_PRESUMED });
  await client.ok(`mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`, {
    input: { caseId: c.id },
  });
  const data = await client.ok<{ requestApproval: { id: string } }>(
    `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id } }`,
    { input: { caseId: c.id, actionType: 'ARREST', justification: APPROVAL_JUSTIFICATION } },
  );
  return data.requestApproval.id;
}

export function codes(res: {
  errors?: { extensions?: { code?: string } }[];
}): (string | undefined)[] {
  return (res.errors ?? []).map((e) => e.extensions?.code);
}

/** Apprehended at a port of entry on 2020-11-03: a presumed border-security priority. */
export const BORDER = {
  borderApprehension: { date: '2020-11-03', location: 'Laredo port of entry' },
};

/** Present since 2005, no border apprehension, no convictions: NOT_PRESUMED under ICE-2021-02-18. */
export const NOT_PRESUMED = { firstPresentOn: '2005-03-01' };

/** A rationale long enough for any determination. */
export const RATIONALE =
  'Three armed robberies in two years, the latest last spring; no rehabilitation shown.';

/** An officer's public-safety threat determination: a threat, with one mitigating factor. */
export const publicSafety = (overrides: Record<string, unknown> = {}) => ({
  posesThreat: true,
  extensiveness: 'HIGH',
  seriousness: 'HIGH',
  recency: 'MODERATE',
  mitigating: {
    personalAndFamilyCircumstances: false,
    healthAndMedicalFactors: false,
    communityTies: true,
    evidenceOfRehabilitation: false,
    potentialReliefFromRemoval: false,
  },
  rationale: RATIONALE,
  ...overrides,
});

/** The figures as the list forms answer them, every column. */
export const ENFORCEMENT_STATS = `query($filter: StatsFilter!, $groupBy: [StatsDimension!]!) {
  enforcementStats(filter: $filter, groupBy: $groupBy) { week officeCode category actionType basis count }
}`;
export const APPROVAL_STATS = `query($filter: StatsFilter!, $groupBy: [StatsDimension!]!) {
  approvalStats(filter: $filter, groupBy: $groupBy) {
    week officeCode actionType requested approved denied pending withdrawn approvalRate medianDecisionHours
  }
}`;
