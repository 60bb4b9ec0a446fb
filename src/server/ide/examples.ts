/**
 * What the IDE opens with: one tab per role, each a runnable example operation headed by how to
 * sign in. The Headers editor of each tab holds the Authorization header with a placeholder for
 * that role's token (GraphiQL's headers are strict JSON, so the help lives in the query's comments).
 */
import { addDays, weekStartOf } from '../../common/calendar';
import { DEMO_USERS } from '../../db/seed';
import { Role } from '../../auth/role';

/** A tab as GraphiQL's `defaultTabs` takes it. */
export interface IdeTab {
  query: string;
  variables?: string;
  headers: string;
}

/** A tab and the demo user whose token runs it (test/integration/ide.test.ts runs each). */
export interface IdeExample {
  user: string;
  tab: IdeTab;
}

/** Replaced by the token; any text without spaces is answered "The token is invalid or has expired." */
export const TOKEN_PLACEHOLDER = 'PASTE_A_TOKEN_HERE';

export function headersFor(): string {
  return JSON.stringify({ Authorization: `Bearer ${TOKEN_PLACEHOLDER}` }, null, 2);
}

function signIn(production: boolean, email: string, who: string): string[] {
  if (production)
    return [
      `# Sign in as ${who}: put a token from your identity provider in the Headers tab below,`,
      `# in place of ${TOKEN_PLACEHOLDER}:  { "Authorization": "Bearer eyJhbGciOi..." }`,
      `# Then run with Ctrl-Enter (Cmd-Enter). Docs and autocompletion need the token: once it is`,
      `# pasted, re-fetch the schema (the circular-arrows button, bottom left).`,
    ];
  return [
    `# Sign in as ${who}: in a terminal in the project, get a development token`,
    `#   npm run -s token -- ${email}`,
    `# and paste it in the Headers tab below, in place of ${TOKEN_PLACEHOLDER}:`,
    `#   { "Authorization": "Bearer eyJhbGciOi..." }`,
    `# Then run with Ctrl-Enter (Cmd-Enter). Tokens are not saved: a reload forgets them.`,
  ];
}

function demoUsers(production: boolean): string[] {
  if (production) return [];
  const byRole = (role: Role) =>
    DEMO_USERS.filter((u) => u.role === role)
      .map((u) => u.email)
      .join(', ');
  return [
    `#`,
    `# Demo users (seeded outside production):`,
    `#   field officers: ${byRole(Role.FIELD_OFFICER)}`,
    `#   supervisors:    ${byRole(Role.SUPERVISOR)}`,
    `#   headquarters:   ${byRole(Role.HEADQUARTERS)}`,
  ];
}

/**
 * The example tabs. `now` is the service's clock (DEMO_CLOCK included), so the week arguments
 * name the current week and the ones before it.
 */
export function ideExamples(production: boolean, now: Date): IdeExample[] {
  const thisWeek = weekStartOf(now, 'UTC');
  const lastWeek = addDays(thisWeek, -7);
  const quarterAgo = addDays(thisWeek, -7 * 12);
  const headers = headersFor();
  const vars = (v: Record<string, unknown>) => JSON.stringify(v, null, 2);
  return [
    {
      user: 'officer.nyc@example.gov',
      tab: {
        headers,
        query: [
          `# Enforcement priorities API: GraphiQL, served by this service (nothing is loaded from`,
          `# elsewhere). The tabs hold examples for each role; the Docs button lists every operation.`,
          `#`,
          ...signIn(production, 'officer.nyc@example.gov', 'anyone'),
          ...demoUsers(production),
          ``,
          `query Me {`,
          `  me {`,
          `    name`,
          `    email`,
          `    role`,
          `    office {`,
          `      code`,
          `      name`,
          `      timeZone`,
          `    }`,
          `  }`,
          `  serverTime {`,
          `    now`,
          `    demoClock`,
          `  }`,
          `}`,
          ``,
        ].join('\n'),
      },
    },
    {
      user: 'officer.nyc@example.gov',
      tab: {
        headers,
        query: [
          `# Field officer: the open cases of your office, newest first, with their latest assessment.`,
          ...signIn(production, 'officer.nyc@example.gov', 'a field officer'),
          ``,
          `query OpenCases($first: Int, $after: String) {`,
          `  cases(first: $first, after: $after, filter: { status: OPEN }) {`,
          `    totalCount`,
          `    edges {`,
          `      node {`,
          `        id`,
          `        openedAt`,
          `        assignedOfficer {`,
          `          name`,
          `        }`,
          `        latestAssessment {`,
          `          primaryCategory`,
          `          presumedPriority`,
          `          requiresPreapproval`,
          `          summary`,
          `        }`,
          `      }`,
          `    }`,
          `    pageInfo {`,
          `      hasNextPage`,
          `      endCursor`,
          `    }`,
          `  }`,
          `}`,
          ``,
        ].join('\n'),
        variables: vars({ first: 10 }),
      },
    },
    {
      user: 'supervisor.nyc@example.gov',
      tab: {
        headers,
        query: [
          `# Supervisor: your office's requests awaiting a decision (oldest first), its enforcement`,
          `# actions per week and category, and the queue's changes live. Ctrl-Enter runs the`,
          `# operation the cursor is in.`,
          ...signIn(production, 'supervisor.nyc@example.gov', 'a supervisor'),
          ``,
          `query ApprovalQueue {`,
          `  approvalQueue(first: 20) {`,
          `    totalCount`,
          `    edges {`,
          `      node {`,
          `        id`,
          `        kind`,
          `        actionType`,
          `        requestedAt`,
          `        overdue`,
          `        justification`,
          `        latestAssessmentSummary`,
          `        requestedBy {`,
          `          name`,
          `        }`,
          `      }`,
          `    }`,
          `  }`,
          `}`,
          ``,
          `query OfficeActions($from: Date!, $to: Date!) {`,
          `  enforcementStats(filter: { from: $from, to: $to }, groupBy: [WEEK, CATEGORY]) {`,
          `    week`,
          `    category`,
          `    count`,
          `  }`,
          `}`,
          ``,
          `# Live: run this one and leave it running. Each change to your office's queue (a request`,
          `# made, withdrawn, decided, justified, overdue or escalated) appears on the right as it`,
          `# happens, over a WebSocket signed in with the same Authorization header. The same button`,
          `# stops it.`,
          `subscription QueueChanges {`,
          `  approvalQueueChanged {`,
          `    kind`,
          `    at`,
          `    request {`,
          `      id`,
          `      kind`,
          `      actionType`,
          `      status`,
          `      requestedBy {`,
          `        name`,
          `      }`,
          `    }`,
          `  }`,
          `}`,
          ``,
        ].join('\n'),
        variables: vars({ from: quarterAgo, to: thisWeek }),
      },
    },
    {
      user: 'hq@example.gov',
      tab: {
        headers,
        query: [
          `# Headquarters: which offices submitted last week's report on time, late, or not at all,`,
          `# and actions per office and basis over the last twelve weeks.`,
          ...signIn(production, 'hq@example.gov', 'headquarters'),
          ``,
          `query ReportingCompliance($weekStart: Date!) {`,
          `  reportingCompliance(weekStart: $weekStart) {`,
          `    officeCode`,
          `    status`,
          `    dueAt`,
          `    submittedAt`,
          `    revisions`,
          `  }`,
          `}`,
          ``,
          `query ActionsByOffice($from: Date!, $to: Date!) {`,
          `  enforcementStats(filter: { from: $from, to: $to }, groupBy: [OFFICE, BASIS]) {`,
          `    officeCode`,
          `    basis`,
          `    count`,
          `  }`,
          `}`,
          ``,
        ].join('\n'),
        variables: vars({ weekStart: lastWeek, from: quarterAgo, to: thisWeek }),
      },
    },
  ];
}
