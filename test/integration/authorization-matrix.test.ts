/**
 * The authorization matrix: one table of (operation, actor, whose record) → expected outcome, run
 * against the real server with the shield on. Every denial asserts the error code AND that no row
 * of any domain table changed.
 */
import { getNamedType, isObjectType } from 'graphql';
import { allow } from 'graphql-shield';
import { Permission } from '../../src/auth/permissions';
import { can, RULES, ruleOf } from '../../src/auth/shield';
import { buildBareSchema } from '../../src/server/schema';
import { liveClient, rawConnect, until } from '../helpers/live';
import { CLOSE_CASE, caseInput, OPEN_CASE, openCase, UPDATE_FACTS } from '../helpers/given';
import {
  Client,
  fingerprint,
  HQ,
  OFFICER_LAX,
  OFFICER_NYC,
  startTestServer,
  SUPERVISOR_LAX,
  SUPERVISOR_NYC,
  TestServer,
} from '../helpers/server';

type Actor = 'officer' | 'supervisor' | 'otherOfficer' | 'otherSupervisor' | 'hq' | 'anonymous';
type Expected = 'OK' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

interface Operation {
  /** Builds the request; may create the NYC record it acts on (so each row starts fresh). */
  prepare(): Promise<{ query: string; variables?: Record<string, unknown> }>;
  /** For reads that answer OK for everyone: what "allowed to see" means for this actor. */
  check?(data: any, actor: Actor): void;
}

let server: TestServer;

const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant and is about to relocate; acting now is a justified use of resources.';
const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id } }`;
const RECORD = `mutation($input: RecordEnforcementActionInput!) { recordEnforcementAction(input: $input) { id postActionRequest { id } } }`;
const past = () => new Date(server.clock.now().getTime() - 3600_000).toISOString();

let weeksBack = 0;
/** A past NYC week nobody has submitted yet (each call goes one week further back). */
function nextUnsubmittedWeek(): string {
  weeksBack += 1;
  const monday = new Date(Date.UTC(2021, 4, 31) - weeksBack * 7 * 86400_000);
  return monday.toISOString().slice(0, 10);
}

/** An NYC case assessed under ICE-2021-02-18 as not a presumed priority. */
async function notPresumedCase() {
  const c = await openCase(clients.officer, { facts: {} });
  await clients.officer.ok(ASSESS, { input: { caseId: c.id } });
  return c;
}

/** A pending pre-action request made by the NYC officer. */
async function pendingRequest(): Promise<{ id: string }> {
  const data = await clients.officer.ok(
    `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id } }`,
    {
      input: {
        caseId: (await notPresumedCase()).id,
        actionType: 'ARREST',
        justification: JUSTIFICATION,
      },
    },
  );
  return data.requestApproval;
}

/** An arrest on a presumed (border) priority, recorded by the NYC officer. */
async function presumedAction(): Promise<{ id: string }> {
  const c = await openCase(clients.officer);
  await clients.officer.ok(ASSESS, { input: { caseId: c.id } });
  const data = await clients.officer.ok(RECORD, {
    input: { caseId: c.id, type: 'ARREST', occurredAt: past(), location: 'Queens, NY' },
  });
  return data.recordEnforcementAction;
}

/** An exigent arrest by the NYC officer, its justification not yet submitted. */
async function exigentAction(): Promise<{ id: string }> {
  const c = await notPresumedCase();
  const data = await clients.officer.ok(RECORD, {
    input: {
      caseId: c.id,
      type: 'ARREST',
      occurredAt: past(),
      location: 'JFK Terminal 4',
      exigent: { narrative: 'Boarding an international flight; no supervisor reachable.' },
    },
  });
  return data.recordEnforcementAction;
}
const clients = {} as Record<Actor, Client>;
let nycCaseId: string;
let uniq = 0;

const ops: Record<string, Operation> = {
  me: { prepare: async () => ({ query: `{ me { id role } }` }) },
  serverTime: { prepare: async () => ({ query: `{ serverTime { now demoClock } }` }) },
  offices: { prepare: async () => ({ query: `{ offices { code } }` }) },
  case: {
    prepare: async () => ({
      query: `query($id: ID!) { case(id: $id) { id subject { name } } }`,
      variables: { id: nycCaseId },
    }),
  },
  cases: {
    prepare: async () => ({
      query: `{ cases(first: 200) { edges { node { id office { code } } } } }`,
    }),
    check(data, actor) {
      const offices = new Set(data.cases.edges.map((e: any) => e.node.office.code));
      if (actor === 'otherOfficer' || actor === 'otherSupervisor')
        expect([...offices]).not.toContain('NYC');
      else expect([...offices]).toContain('NYC');
      if (actor === 'officer' || actor === 'supervisor') expect([...offices]).toEqual(['NYC']);
    },
  },
  openCase: { prepare: async () => ({ query: OPEN_CASE, variables: { input: caseInput() } }) },
  updateCaseFacts: {
    prepare: async () => {
      const c = await openCase(clients.officer);
      return {
        query: UPDATE_FACTS,
        variables: {
          input: {
            caseId: c.id,
            expectedVersion: c.version,
            facts: { firstPresentOn: '2019-05-01' },
          },
        },
      };
    },
  },
  closeCase: {
    prepare: async () => {
      const c = await openCase(clients.officer);
      return {
        query: CLOSE_CASE,
        variables: { input: { caseId: c.id, reason: 'Subject departed voluntarily.' } },
      };
    },
  },
  createOffice: {
    prepare: async () => {
      uniq += 1;
      return {
        query: `mutation($input: CreateOfficeInput!) { createOffice(input: $input) { id } }`,
        variables: {
          input: {
            code: `X${'ABCDEFGHIJ'[uniq % 10]}${'ABCDEFGHIJ'[Math.floor(uniq / 10) % 10]}`,
            name: 'Test',
            timeZone: 'America/Denver',
          },
        },
      };
    },
  },
  createUser: {
    prepare: async () => {
      uniq += 1;
      return {
        query: `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`,
        variables: {
          input: {
            email: `matrix${uniq}@example.gov`,
            name: 'M',
            role: 'FIELD_OFFICER',
            officeCode: 'NYC',
          },
        },
      };
    },
  },
  deactivateUser: {
    prepare: async () => {
      uniq += 1;
      const [row] = await server.sql<{ id: string }>(
        `INSERT INTO users (email, name, role, office_id) SELECT $1, 'Temp', 'FIELD_OFFICER', id FROM offices WHERE code = 'NYC' RETURNING id`,
        [`temp${uniq}@example.gov`],
      );
      return {
        query: `mutation($input: DeactivateUserInput!) { deactivateUser(input: $input) { id active } }`,
        variables: { input: { userId: row.id, reason: 'Left the agency.' } },
      };
    },
  },
  policyVersions: { prepare: async () => ({ query: `{ policyVersions { code effectiveFrom } }` }) },
  assessCase: {
    prepare: async () => {
      const c = await openCase(clients.officer);
      return {
        query: `mutation($input: AssessCaseInput!) { assessCase(input: $input) { id policyVersion } }`,
        variables: { input: { caseId: c.id } },
      };
    },
  },
  schedulePolicyVersion: {
    prepare: async () => ({
      query: `mutation($input: SchedulePolicyVersionInput!) { schedulePolicyVersion(input: $input) { code } }`,
      variables: {
        input: {
          code: 'ICE-2021-02-18',
          effectiveFrom: '2021-02-18',
          effectiveTo: '2021-11-28',
          reason: 'Confirming the schedule.',
        },
      },
    }),
  },
  approvalRequest: {
    prepare: async () => ({
      query: `query($id: ID!) { approvalRequest(id: $id) { id status } }`,
      variables: { id: (await pendingRequest()).id },
    }),
  },
  approvalQueue: {
    prepare: async () => ({
      query: `{ approvalQueue(first: 5) { totalCount edges { node { id } } } }`,
    }),
  },
  enforcementAction: {
    prepare: async () => ({
      query: `query($id: ID!) { enforcementAction(id: $id) { id basis } }`,
      variables: { id: (await presumedAction()).id },
    }),
  },
  requestApproval: {
    prepare: async () => ({
      query: `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id } }`,
      variables: {
        input: {
          caseId: (await notPresumedCase()).id,
          actionType: 'ARREST',
          justification: JUSTIFICATION,
        },
      },
    }),
  },
  withdrawApprovalRequest: {
    prepare: async () => ({
      query: `mutation($input: WithdrawApprovalRequestInput!) { withdrawApprovalRequest(input: $input) { id status } }`,
      variables: { input: { id: (await pendingRequest()).id } },
    }),
  },
  decideApprovalRequest: {
    prepare: async () => ({
      query: `mutation($input: DecideApprovalRequestInput!) { decideApprovalRequest(input: $input) { id status } }`,
      variables: {
        input: { id: (await pendingRequest()).id, decision: 'APPROVE', reason: 'Justified.' },
      },
    }),
  },
  submitPostActionJustification: {
    prepare: async () => ({
      query: `mutation($input: SubmitPostActionJustificationInput!) { submitPostActionJustification(input: $input) { id } }`,
      variables: {
        input: { enforcementActionId: (await exigentAction()).id, justification: JUSTIFICATION },
      },
    }),
  },
  recordEnforcementAction: {
    prepare: async () => {
      const c = await openCase(clients.officer);
      await clients.officer.ok(ASSESS, { input: { caseId: c.id } });
      return {
        query: RECORD,
        variables: {
          input: { caseId: c.id, type: 'ARREST', occurredAt: past(), location: 'Queens, NY' },
        },
      };
    },
  },
  voidEnforcementAction: {
    prepare: async () => ({
      query: `mutation($input: VoidEnforcementActionInput!) { voidEnforcementAction(input: $input) { id } }`,
      variables: {
        input: { id: (await presumedAction()).id, reason: 'Recorded on the wrong case.' },
      },
    }),
  },
  weeklyReport: {
    prepare: async () => ({
      query: `{ weeklyReport(officeCode: "NYC", weekStart: "2021-05-24") { status actions(first: 5) { totalCount edges { node { type } } } } }`,
    }),
  },
  weeklyReports: {
    prepare: async () => ({
      query: `{ weeklyReports(filter: { officeCodes: ["NYC"], from: "2021-05-01", to: "2021-05-31" }) { weekStart status } }`,
    }),
  },
  reportingCompliance: {
    prepare: async () => ({
      query: `{ reportingCompliance(weekStart: "2021-05-24") { officeCode status } }`,
    }),
  },
  enforcementStats: {
    prepare: async () => ({
      query: `{ enforcementStats(filter: { from: "2021-01-01", to: "2021-06-01", officeCodes: ["NYC"] }, groupBy: [WEEK, BASIS]) { week basis count } }`,
    }),
  },
  approvalStats: {
    prepare: async () => ({
      query: `{ approvalStats(filter: { from: "2021-01-01", to: "2021-06-01", officeCodes: ["NYC"] }, groupBy: [OFFICE]) { officeCode requested } }`,
    }),
  },
  enforcementStatsPage: {
    prepare: async () => ({
      query: `{ enforcementStatsPage(filter: { from: "2021-01-01", to: "2021-06-01", officeCodes: ["NYC"] }, groupBy: [WEEK, BASIS], first: 5) { totalCount edges { cursor node { week basis count } } pageInfo { hasNextPage endCursor } } }`,
    }),
  },
  approvalStatsPage: {
    prepare: async () => ({
      query: `{ approvalStatsPage(filter: { from: "2021-01-01", to: "2021-06-01", officeCodes: ["NYC"] }, groupBy: [OFFICE], first: 5) { totalCount edges { cursor node { officeCode requested } } pageInfo { hasNextPage } } }`,
    }),
  },
  submitWeeklyReport: {
    prepare: async () => ({
      query: `mutation($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { status revision } }`,
      variables: { input: { officeCode: 'NYC', weekStart: nextUnsubmittedWeek() } },
    }),
  },
  amendWeeklyReport: {
    prepare: async () => {
      const weekStart = nextUnsubmittedWeek();
      await clients.supervisor.ok(
        `mutation($input: SubmitWeeklyReportInput!) { submitWeeklyReport(input: $input) { revision } }`,
        { input: { officeCode: 'NYC', weekStart } },
      );
      return {
        query: `mutation($input: AmendWeeklyReportInput!) { amendWeeklyReport(input: $input) { status revision } }`,
        variables: { input: { officeCode: 'NYC', weekStart, reason: 'A late-recorded arrest.' } },
      };
    },
  },
  auditTrail: {
    prepare: async () => ({
      query: `{ auditTrail(first: 5) { edges { node { id operation } } } }`,
    }),
  },
  auditIntegrity: { prepare: async () => ({ query: `{ auditIntegrity { ok } }` }) },
  // Hooks for an event no row here makes (deadline jobs run only at start): the worker never
  // writes while a denial row compares the tables.
  registerWebhook: {
    prepare: async () => ({
      query: `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret webhook { id } } }`,
      variables: {
        input: { url: 'http://127.0.0.1:9/matrix', events: ['JUSTIFICATION_DUE_SOON'] },
      },
    }),
  },
  removeWebhook: {
    prepare: async () => {
      const [row] = await server.sql<{ id: string }>(
        `INSERT INTO webhooks (id, url, events, secret, created_by_id, created_at)
         VALUES (gen_random_uuid(), 'http://127.0.0.1:9/matrix', '{JUSTIFICATION_DUE_SOON}', $1, $2, now())
         RETURNING id`,
        ['0'.repeat(64), await server.userId(HQ)],
      );
      return {
        query: `mutation($id: ID!) { removeWebhook(id: $id) { id removedAt } }`,
        variables: { id: row.id },
      };
    },
  },
  webhooks: {
    prepare: async () => ({
      query: `{ webhooks(first: 5) { edges { node { id url deliveries(first: 5) { edges { node { id } } } } } } }`,
    }),
  },
};

/** Headquarters' operations: everyone else is refused. */
const HQ_ONLY: Record<Actor, Expected> = {
  officer: 'FORBIDDEN',
  supervisor: 'FORBIDDEN',
  otherOfficer: 'FORBIDDEN',
  otherSupervisor: 'FORBIDDEN',
  hq: 'OK',
  anonymous: 'UNAUTHENTICATED',
};

// Actors act on records of NYC: "officer"/"supervisor" are NYC's own, "other*" are LAX's.
const MATRIX: Record<keyof typeof ops, Record<Actor, Expected>> = {
  me: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'OK',
    otherSupervisor: 'OK',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  serverTime: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'OK',
    otherSupervisor: 'OK',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  offices: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'OK',
    otherSupervisor: 'OK',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  case: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'NOT_FOUND',
    otherSupervisor: 'NOT_FOUND',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  cases: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'OK',
    otherSupervisor: 'OK',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  openCase: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'OK',
    otherSupervisor: 'OK',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  updateCaseFacts: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'NOT_FOUND',
    otherSupervisor: 'NOT_FOUND',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  closeCase: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'NOT_FOUND',
    otherSupervisor: 'NOT_FOUND',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  createOffice: {
    officer: 'FORBIDDEN',
    supervisor: 'FORBIDDEN',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'FORBIDDEN',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  createUser: {
    officer: 'FORBIDDEN',
    supervisor: 'FORBIDDEN',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'FORBIDDEN',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  deactivateUser: {
    officer: 'FORBIDDEN',
    supervisor: 'FORBIDDEN',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'FORBIDDEN',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  policyVersions: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'OK',
    otherSupervisor: 'OK',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  assessCase: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'NOT_FOUND',
    otherSupervisor: 'NOT_FOUND',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  schedulePolicyVersion: {
    officer: 'FORBIDDEN',
    supervisor: 'FORBIDDEN',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'FORBIDDEN',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  approvalRequest: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'NOT_FOUND',
    otherSupervisor: 'NOT_FOUND',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  approvalQueue: {
    officer: 'FORBIDDEN',
    supervisor: 'OK',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'OK',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  enforcementAction: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'NOT_FOUND',
    otherSupervisor: 'NOT_FOUND',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  requestApproval: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'NOT_FOUND',
    otherSupervisor: 'NOT_FOUND',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  // The NYC officer made the request: only they may withdraw it.
  withdrawApprovalRequest: {
    officer: 'OK',
    supervisor: 'FORBIDDEN',
    otherOfficer: 'NOT_FOUND',
    otherSupervisor: 'NOT_FOUND',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  decideApprovalRequest: {
    officer: 'FORBIDDEN',
    supervisor: 'OK',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'NOT_FOUND',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  submitPostActionJustification: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'NOT_FOUND',
    otherSupervisor: 'NOT_FOUND',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  recordEnforcementAction: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'NOT_FOUND',
    otherSupervisor: 'NOT_FOUND',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  voidEnforcementAction: {
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'NOT_FOUND',
    otherSupervisor: 'NOT_FOUND',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  weeklyReport: {
    officer: 'FORBIDDEN',
    supervisor: 'OK',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'NOT_FOUND',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  weeklyReports: {
    officer: 'FORBIDDEN',
    supervisor: 'OK',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'NOT_FOUND',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  reportingCompliance: {
    officer: 'FORBIDDEN',
    supervisor: 'FORBIDDEN',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'FORBIDDEN',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  enforcementStats: {
    officer: 'FORBIDDEN',
    supervisor: 'OK',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'NOT_FOUND',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  approvalStats: {
    officer: 'FORBIDDEN',
    supervisor: 'OK',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'NOT_FOUND',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  enforcementStatsPage: {
    officer: 'FORBIDDEN',
    supervisor: 'OK',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'NOT_FOUND',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  approvalStatsPage: {
    officer: 'FORBIDDEN',
    supervisor: 'OK',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'NOT_FOUND',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  submitWeeklyReport: {
    officer: 'FORBIDDEN',
    supervisor: 'OK',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'NOT_FOUND',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  amendWeeklyReport: {
    officer: 'FORBIDDEN',
    supervisor: 'OK',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'NOT_FOUND',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
  auditTrail: {
    officer: 'FORBIDDEN',
    supervisor: 'OK',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'OK',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  auditIntegrity: {
    officer: 'FORBIDDEN',
    supervisor: 'FORBIDDEN',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'FORBIDDEN',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  registerWebhook: HQ_ONLY,
  removeWebhook: HQ_ONLY,
  webhooks: HQ_ONLY,
};

/**
 * Subscriptions, over WebSocket: OK is a subscription the server holds (no error); a refusal is
 * the one error answered at subscription; an anonymous connection is refused (close 4401).
 */
const SUBSCRIPTIONS: Record<
  string,
  { query: string; variables?: () => Promise<Record<string, unknown>> } & Record<Actor, Expected>
> = {
  approvalQueueChanged: {
    query: 'subscription { approvalQueueChanged { kind } }',
    officer: 'FORBIDDEN',
    supervisor: 'OK',
    otherOfficer: 'FORBIDDEN',
    otherSupervisor: 'OK',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  approvalRequestUpdated: {
    query: 'subscription($id: ID!) { approvalRequestUpdated(id: $id) { kind } }',
    variables: async () => ({ id: (await pendingRequest()).id }),
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'NOT_FOUND',
    otherSupervisor: 'NOT_FOUND',
    hq: 'OK',
    anonymous: 'UNAUTHENTICATED',
  },
  deadlineApproaching: {
    query: 'subscription { deadlineApproaching { kind } }',
    officer: 'OK',
    supervisor: 'OK',
    otherOfficer: 'OK',
    otherSupervisor: 'OK',
    hq: 'FORBIDDEN',
    anonymous: 'UNAUTHENTICATED',
  },
};

const subscriptionRows = Object.entries(SUBSCRIPTIONS).flatMap(([op, row]) =>
  (['officer', 'supervisor', 'otherOfficer', 'otherSupervisor', 'hq', 'anonymous'] as const).map(
    (actor) => [op, actor, row[actor]] as const,
  ),
);

test.each(subscriptionRows)('subscription %s as %s → %s', async (op, actor, expected) => {
  const row = SUBSCRIPTIONS[op];
  const variables = await row.variables?.();
  if (actor === 'anonymous') {
    const answer = await rawConnect(server, undefined);
    expect({ acked: answer.acked, code: answer.code }).toEqual({ acked: false, code: 4401 });
    return;
  }
  const live = await liveClient(server, clients[actor].token!);
  try {
    const hub = server.service.live.hub;
    const before = hub.size;
    const s = live.subscribe(row.query, variables);
    if (expected === 'OK') {
      await until(() => hub.size === before + 1, 3000, 'the subscription');
      expect(s.results).toEqual([]);
    } else {
      const answer = await s.next(3000);
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual([expected]);
      expect(hub.size).toBe(before);
    }
  } finally {
    await live.dispose();
  }
});

beforeAll(async () => {
  // In 2021, under ICE-2021-02-18: the version with pre-approval.
  server = await startTestServer({ now: new Date('2021-06-01T14:00:00Z') });
  clients.officer = await server.as(OFFICER_NYC);
  clients.supervisor = await server.as(SUPERVISOR_NYC);
  clients.otherOfficer = await server.as(OFFICER_LAX);
  clients.otherSupervisor = await server.as(SUPERVISOR_LAX);
  clients.hq = await server.as(HQ);
  clients.anonymous = server.anonymous();
  nycCaseId = (await openCase(clients.officer)).id;
  await openCase(clients.otherOfficer);
});

afterAll(async () => {
  await server?.stop();
});

const rows = Object.entries(MATRIX).flatMap(([op, byActor]) =>
  Object.entries(byActor).map(([actor, expected]) => [op, actor as Actor, expected] as const),
);

test.each(rows)('%s as %s → %s', async (op, actor, expected) => {
  const { query, variables } = await ops[op].prepare();
  const before = await fingerprint(server);
  const res = await clients[actor].request(query, variables);
  if (expected === 'OK') {
    expect(res.errors).toBeUndefined();
    ops[op].check?.(res.data, actor);
  } else {
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual([expected]);
    expect(res.data).toBeNull();
    expect(await fingerprint(server)).toEqual(before);
  }
});

test('the matrix covers every operation of the schema', async () => {
  const schema = await buildBareSchema();
  const operations = [
    ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
    ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
    ...Object.keys(schema.getSubscriptionType()?.getFields() ?? {}),
  ].sort();
  expect([...Object.keys(MATRIX), ...Object.keys(SUBSCRIPTIONS)].sort()).toEqual(operations);
});

test('every field of every object type has a shield rule, and no rule names a missing field', async () => {
  const schema = await buildBareSchema();
  const missing: string[] = [];
  const seenTypes = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    seenTypes.add(type.name);
    const rules = (RULES as Record<string, Record<string, unknown>>)[type.name];
    for (const field of Object.keys(type.getFields())) {
      if (!rules || !(field in rules || '*' in rules)) missing.push(`${type.name}.${field}`);
    }
    for (const field of Object.keys(rules ?? {})) {
      if (field !== '*' && !(field in type.getFields()))
        missing.push(`stale rule ${type.name}.${field}`);
    }
  }
  for (const typeName of Object.keys(RULES))
    if (!seenTypes.has(typeName)) missing.push(`stale type ${typeName}`);
  expect(missing).toEqual([]);
});

test('types open to every field (`allow`) are reachable only through fields guarded by a report permission', async () => {
  const schema = await buildBareSchema();
  const objects = Object.values(schema.getTypeMap()).filter(
    (t) => isObjectType(t) && !t.name.startsWith('__'),
  ) as import('graphql').GraphQLObjectType[];
  const open = new Set(
    objects
      .filter((t) => Object.keys(t.getFields()).some((f) => ruleOf(t.name, f) === allow))
      .map((t) => t.name),
  );
  expect(open.size).toBeGreaterThan(0);
  const guards: unknown[] = [can(Permission.ReadReports), can(Permission.SubmitReports)];
  const unguarded: string[] = [];
  for (const type of objects) {
    for (const [name, field] of Object.entries(type.getFields())) {
      if (!open.has(getNamedType(field.type).name)) continue;
      const rule = ruleOf(type.name, name);
      // An open type inside another open type is guarded by the field that leads to the outer one.
      if (!guards.includes(rule) && !open.has(type.name)) unguarded.push(`${type.name}.${name}`);
    }
  }
  expect(unguarded).toEqual([]);
});
