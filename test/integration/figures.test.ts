/**
 * Figures for reporting tools (enforcementStats, approvalStats) through the real GraphQL server
 * against a real PostgreSQL: they must equal a direct count over the raw records.
 *
 * The data is made through the API, as officers and supervisors would: three offices (New York,
 * Los Angeles, Chicago), nine weeks from 18 October to 19 December 2021 (across the change back
 * from daylight time on 7 November and the change of policy version on 29 November), every basis
 * (presumed priority, pre-approved, exigent under ICE-2021-02-18; assessed under DHS-2021-09-30),
 * every category, actions on either side of each local week boundary, some voided; pre-approval
 * requests approved, denied, withdrawn or left pending after varied delays, and post-action
 * requests for the exigent actions. The generator is seeded, so every run makes the same data.
 *
 * Then a property (fast-check) over random filters and groupings compares enforcementStats with
 * a direct SQL count over enforcement_actions joined with offices (the week in the office's zone,
 * void actions excluded), as sets of rows; again after concurrent inserts and voids.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { approvalFiguresCache } from '../../src/modules/weekly-reports/stats.service';
import {
  APPROVAL_STATS,
  ENFORCEMENT_STATS,
  BORDER,
  convictionInput,
  NOT_PRESUMED,
  openCase,
  publicSafety,
} from '../helpers/given';
import {
  Client,
  HQ,
  OFFICER_LAX,
  OFFICER_NYC,
  SUPERVISOR_LAX,
  SUPERVISOR_NYC,
  startTestServer,
  TestServer,
} from '../helpers/server';
import { expectRefused } from '../helpers/refusals';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const OFFICER_CHI = 'officer.chi@example.gov';
const SUPERVISOR_CHI = 'supervisor.chi@example.gov';

const CODES = ['NYC', 'LAX', 'CHI'] as const;
type Code = (typeof CODES)[number];
const ZONES: Record<Code, string> = {
  NYC: 'America/New_York',
  LAX: 'America/Los_Angeles',
  CHI: 'America/Chicago',
};
const CATEGORIES = ['NATIONAL_SECURITY', 'BORDER_SECURITY', 'PUBLIC_SAFETY', 'OTHER'];
const ACTION_TYPES = [
  'ARREST',
  'DETAINER_ISSUED',
  'CUSTODY_UNDER_DETAINER',
  'NOTICE_TO_APPEAR',
  'DETENTION',
  'RELEASE_ON_CONDITIONS',
  'REMOVAL',
];
const BASES = ['PRESUMED_PRIORITY', 'PREAPPROVED', 'EXIGENT', 'ASSESSED'];
const DIMENSIONS = ['WEEK', 'OFFICE', 'CATEGORY', 'ACTION_TYPE', 'BASIS'] as const;
type Dimension = (typeof DIMENSIONS)[number];

const ICE_WEEKS = [
  '2021-10-18',
  '2021-10-25',
  '2021-11-01',
  '2021-11-08',
  '2021-11-15',
  '2021-11-22',
];
const DHS_WEEKS = ['2021-11-29', '2021-12-06', '2021-12-13'];
/** Days that cover the data and a little either side (the property draws ranges from here). */
const FIRST_DAY = '2021-10-11';
const LAST_DAY = '2021-12-26';

let server: TestServer;
let hq: Client;
const officers = {} as Record<Code, Client>;
const supervisors = {} as Record<Code, Client>;

// ---------------------------------------------------------------------------------------------
// a seeded generator (mulberry32)

class Rng {
  constructor(private seed: number) {}

  random(): number {
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)];
  }

  /** A whole minute from `from` to `to`, both instants. */
  between(from: Date, to: Date): Date {
    const first = Math.ceil(from.getTime() / MINUTE) * MINUTE;
    return new Date(first + this.int(0, Math.floor((to.getTime() - first) / MINUTE)) * MINUTE);
  }
}

/** One generator per office, each used only in that office's sequence of calls: the same data on every run. */
const rngs: Record<Code, Rng> = {
  NYC: new Rng(20211018),
  LAX: new Rng(20211107),
  CHI: new Rng(20211129),
};

const addDays = (date: string, days: number) =>
  DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
const local = (date: string, time: string, zone: string) =>
  DateTime.fromISO(`${date}T${time}`, { zone }).toJSDate();
const iso = (d: Date) => d.toISOString();

// ---------------------------------------------------------------------------------------------
// the API

const NATIONAL_SECURITY = { terrorismOrEspionage: true };
const AGG_FELONY = convictionInput({
  offense: 'Robbery in the first degree',
  convictedOn: '2019-05-06',
  aggravatedFelony: true,
  aggravatedFelonySubparagraph: 'G',
});
const JUSTIFICATION =
  'The subject is wanted on an outstanding warrant for fraud and is about to relocate out of state; acting now uses fewer resources than a later search.';
const NARRATIVE =
  'The subject was boarding an international flight; no supervisor could be reached in time.';

const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`;
const ASSESS = `mutation($input: AssessCaseInput!) { assessCase(input: $input) { policyVersion primaryCategory presumedPriority } }`;
const RECORD = `mutation($input: RecordEnforcementActionInput!) {
  recordEnforcementAction(input: $input) { id basis category postActionRequest { id } }
}`;
const VOID = `mutation($input: VoidEnforcementActionInput!) { voidEnforcementAction(input: $input) { id } }`;
const REQUEST = `mutation($input: RequestApprovalInput!) { requestApproval(input: $input) { id } }`;
const DECIDE = `mutation($input: DecideApprovalRequestInput!) { decideApprovalRequest(input: $input) { id status } }`;
const WITHDRAW = `mutation($input: WithdrawApprovalRequestInput!) { withdrawApprovalRequest(input: $input) { id status } }`;
const JUSTIFY = `mutation($input: SubmitPostActionJustificationInput!) { submitPostActionJustification(input: $input) { id } }`;
const REPORT_REQUESTS = `query($officeCode: String!, $weekStart: Date!) {
  weeklyReport(officeCode: $officeCode, weekStart: $weekStart) {
    requests { made approved denied pending withdrawn medianDecisionHours }
  }
}`;

const setClock = (d: Date | string) => server.clock.set(new Date(d));

/** Opens a case in the client's office and assesses it now; checks the category it expects. */
async function assessedCase(
  client: Client,
  facts: Record<string, unknown>,
  expected: { category: string; presumed: boolean },
  extra: { convictions?: unknown[]; publicSafety?: unknown } = {},
): Promise<string> {
  const c = await openCase(client, { facts, convictions: extra.convictions ?? [] });
  const a = await client.ok<any>(ASSESS, {
    input: { caseId: c.id, ...(extra.publicSafety ? { publicSafety: extra.publicSafety } : {}) },
  });
  expect(a.assessCase).toMatchObject({
    primaryCategory: expected.category,
    presumedPriority: expected.presumed,
  });
  return c.id;
}

interface Recorded {
  id: string;
  office: Code;
  postActionRequestId: string | null;
}

async function record(
  office: Code,
  input: Record<string, unknown>,
  basis: string,
): Promise<Recorded> {
  const res = await officers[office].ok<any>(RECORD, { input });
  expect(res.recordEnforcementAction.basis).toBe(basis);
  return {
    id: res.recordEnforcementAction.id,
    office,
    postActionRequestId: res.recordEnforcementAction.postActionRequest?.id ?? null,
  };
}

async function voidAction(a: Recorded, reason = 'Recorded in error.'): Promise<void> {
  await officers[a.office].ok(VOID, { input: { id: a.id, reason } });
}

// ---------------------------------------------------------------------------------------------
// direct counts

interface StatsFilter {
  from: string;
  to: string;
  officeCodes?: string[];
  categories?: string[];
  actionTypes?: string[];
  bases?: string[];
}

interface EnforcementRow {
  week: string | null;
  officeCode: string | null;
  category: string | null;
  actionType: string | null;
  basis: string | null;
  count: number;
}

const LOCAL_WEEK = (column: string) =>
  `date_trunc('week', ${column} AT TIME ZONE o.time_zone)::date`;
const WEEKS_OF_RANGE = `BETWEEN date_trunc('week', $1::date::timestamp)::date AND date_trunc('week', $2::date::timestamp)::date`;

const ENFORCEMENT_DIMENSIONS: Record<Dimension, [keyof EnforcementRow, string]> = {
  WEEK: ['week', `${LOCAL_WEEK('a.occurred_at')}::text`],
  OFFICE: ['officeCode', 'o.code'],
  CATEGORY: ['category', 'a.category::text'],
  ACTION_TYPE: ['actionType', 'a.type::text'],
  BASIS: ['basis', 'a.basis::text'],
};

/** What enforcementStats should answer, counted straight from enforcement_actions. */
async function directEnforcement(
  filter: StatsFilter,
  groupBy: readonly Dimension[],
): Promise<EnforcementRow[]> {
  const dims = DIMENSIONS.filter((d) => groupBy.includes(d));
  const select = dims.map((d) => `${ENFORCEMENT_DIMENSIONS[d][1]} AS "${d}"`);
  const rows = await server.sql<Record<string, string | number>>(
    `SELECT ${[...select, 'count(*)::int AS n'].join(', ')}
       FROM enforcement_actions a JOIN offices o ON o.id = a.office_id
      WHERE ${LOCAL_WEEK('a.occurred_at')} ${WEEKS_OF_RANGE}
        AND NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
        AND ($3::text[] IS NULL OR o.code = ANY($3::text[]))
        AND ($4::text[] IS NULL OR a.category::text = ANY($4::text[]))
        AND ($5::text[] IS NULL OR a.type::text = ANY($5::text[]))
        AND ($6::text[] IS NULL OR a.basis::text = ANY($6::text[]))
      ${dims.length ? `GROUP BY ${dims.map((_, i) => i + 1).join(', ')}` : ''}`,
    [
      filter.from,
      filter.to,
      filter.officeCodes ?? null,
      filter.categories ?? null,
      filter.actionTypes ?? null,
      filter.bases ?? null,
    ],
  );
  return rows
    .map((r) => {
      const out: EnforcementRow = {
        week: null,
        officeCode: null,
        category: null,
        actionType: null,
        basis: null,
        count: Number(r.n),
      };
      for (const d of dims) (out as any)[ENFORCEMENT_DIMENSIONS[d][0]] = r[d];
      return out;
    })
    .filter((r) => r.count > 0);
}

async function apiEnforcement(
  client: Client,
  filter: StatsFilter,
  groupBy: readonly Dimension[],
): Promise<EnforcementRow[]> {
  return (await client.ok<any>(ENFORCEMENT_STATS, { filter, groupBy })).enforcementStats;
}

/** Rows as a set: order-free, duplicates kept visible. */
const asSet = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

/** Every per-week count kept by the service equals the direct count of its cell. */
async function expectCountsTableExact(): Promise<void> {
  const kept = await server.sql(
    `SELECT o.code, c.week_start::text AS week, c.category::text AS category,
            c.action_type::text AS type, c.basis::text AS basis, c.action_count AS n
       FROM enforcement_weekly_counts c JOIN offices o ON o.id = c.office_id
      WHERE c.action_count <> 0`,
  );
  const direct = await server.sql(
    `SELECT o.code, ${LOCAL_WEEK('a.occurred_at')}::text AS week, a.category::text AS category,
            a.type::text AS type, a.basis::text AS basis, count(*)::int AS n
       FROM enforcement_actions a JOIN offices o ON o.id = a.office_id
      WHERE NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
      GROUP BY 1, 2, 3, 4, 5`,
  );
  expect(direct.length).toBeGreaterThan(0);
  expect(asSet(kept)).toEqual(asSet(direct));
  // The coarser sums the figures read when they need less than the full grain.
  const allOffices = await server.sql(
    `SELECT week_start::text AS week, category::text AS category, action_type::text AS type,
            basis::text AS basis, action_count AS n
       FROM enforcement_counts_by_week WHERE action_count <> 0`,
  );
  const byOfficeWeek = await server.sql(
    `SELECT o.code, c.week_start::text AS week, c.action_count AS n
       FROM enforcement_counts_by_office_week c JOIN offices o ON o.id = c.office_id
      WHERE c.action_count <> 0`,
  );
  const sum = (key: (r: Record<string, any>) => Record<string, unknown>) => {
    const out = new Map<string, Record<string, unknown>>();
    for (const r of direct) {
      const k = key(r);
      const id = JSON.stringify(k);
      const prev = out.get(id);
      out.set(id, { ...k, n: ((prev?.n as number) ?? 0) + r.n });
    }
    return [...out.values()];
  };
  expect(asSet(allOffices)).toEqual(
    asSet(sum((r) => ({ week: r.week, category: r.category, type: r.type, basis: r.basis }))),
  );
  expect(asSet(byOfficeWeek)).toEqual(asSet(sum((r) => ({ code: r.code, week: r.week }))));
}

interface ApprovalRow {
  week: string | null;
  officeCode: string | null;
  actionType: string | null;
  requested: number;
  approved: number;
  denied: number;
  pending: number;
  withdrawn: number;
  approvalRate: number | null;
  medianDecisionHours: number | null;
}

/**
 * What approvalStats answers today, from the raw requests: every request made in the weeks
 * (requested_at in the office's zone), grouped, with the median hours from request to decision of
 * the decided ones. Post-action requests are counted too (see the last test of the file).
 */
async function directApprovals(
  filter: StatsFilter,
  groupBy: readonly Dimension[],
  kinds: 'ALL' | 'PRE_APPROVAL' = 'PRE_APPROVAL',
): Promise<ApprovalRow[]> {
  const raw = await server.sql<{
    week: string;
    code: string;
    action_type: string;
    status: string;
    requested_at: Date;
    decided_at: Date | null;
  }>(
    `SELECT ${LOCAL_WEEK('r.requested_at')}::text AS week, o.code, r.action_type::text AS action_type,
            r.status::text AS status, r.requested_at, r.decided_at
       FROM approval_requests r JOIN offices o ON o.id = r.office_id
      WHERE ${LOCAL_WEEK('r.requested_at')} ${WEEKS_OF_RANGE}
        AND ($3::text[] IS NULL OR o.code = ANY($3::text[]))
        AND ($4::text[] IS NULL OR r.action_type::text = ANY($4::text[]))
        AND ($5 = 'ALL' OR r.kind::text <> 'POST_ACTION')`,
    [filter.from, filter.to, filter.officeCodes ?? null, filter.actionTypes ?? null, kinds],
  );
  const groups = new Map<string, typeof raw>();
  for (const r of raw) {
    const key = JSON.stringify([
      groupBy.includes('WEEK') ? r.week : null,
      groupBy.includes('OFFICE') ? r.code : null,
      groupBy.includes('ACTION_TYPE') ? r.action_type : null,
    ]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()].map(([key, rs]) => {
    const [week, officeCode, actionType] = JSON.parse(key) as (string | null)[];
    const count = (status: string) => rs.filter((r) => r.status === status).length;
    const approved = count('APPROVED');
    const denied = count('DENIED');
    const hours = rs
      .filter((r) => r.status === 'APPROVED' || r.status === 'DENIED')
      .map((r) => ((r.decided_at as Date).getTime() - r.requested_at.getTime()) / HOUR)
      .sort((a, b) => a - b);
    const mid = Math.floor(hours.length / 2);
    const median = !hours.length
      ? null
      : hours.length % 2
        ? hours[mid]
        : (hours[mid - 1] + hours[mid]) / 2;
    return {
      week,
      officeCode,
      actionType,
      requested: rs.length,
      approved,
      denied,
      pending: count('PENDING'),
      withdrawn: count('WITHDRAWN'),
      approvalRate:
        approved + denied ? Math.round((approved / (approved + denied)) * 10000) / 10000 : null,
      medianDecisionHours: median === null ? null : Math.round(median * 100) / 100,
    };
  });
}

async function apiApprovals(
  client: Client,
  filter: StatsFilter,
  groupBy: readonly Dimension[],
): Promise<ApprovalRow[]> {
  return (await client.ok<any>(APPROVAL_STATS, { filter, groupBy })).approvalStats;
}

// ---------------------------------------------------------------------------------------------
// the data

const recorded: Recorded[] = [];
const voided = new Set<string>();
/** Cases assessed under DHS-2021-09-30, per office, for the concurrent inserts. */
const dhsCases = {} as Record<Code, { border: string; other: string }>;

/** The last minute of ICE-2021-02-18 (in force to 28 November inclusive) in the office's zone. */
const iceEnd = (office: Code) =>
  new Date(local('2021-11-29', '00:00', ZONES[office]).getTime() - MINUTE);
/** The first minute of DHS-2021-09-30 in the office's zone. */
const dhsStart = (office: Code) => local('2021-11-29', '00:00', ZONES[office]);

async function iceWeek(week: string, presumed: Record<Code, string[]>): Promise<void> {
  const t0 = new Date(`${week}T12:00:00Z`); // Monday, after local midnight in every office
  const t1 = new Date(`${addDays(week, 7)}T12:00:00Z`); // the next Monday, same time
  setClock(t0);

  // Each office: a not-presumed case with three pre-approval requests, to be decided after
  // 15 minutes to 2 days (in quarter hours); the first always approved.
  const asked = await Promise.all(
    CODES.map(async (office) => {
      const rng = rngs[office];
      const caseId = await assessedCase(officers[office], NOT_PRESUMED, {
        category: 'OTHER',
        presumed: false,
      });
      const types = [...ACTION_TYPES].sort(() => rng.random() - 0.5).slice(0, 3);
      const requests = [];
      for (const [i, type] of types.entries()) {
        const res = await officers[office].ok<any>(REQUEST, {
          input: { caseId, actionType: type, justification: JUSTIFICATION },
        });
        requests.push({
          office,
          caseId,
          id: res.requestApproval.id as string,
          type,
          outcome:
            i === 0 ? 'APPROVE' : rng.pick(['APPROVE', 'APPROVE', 'DENY', 'WITHDRAW', 'PENDING']),
          at: new Date(t0.getTime() + rng.int(1, 192) * 15 * MINUTE),
        });
      }
      return requests;
    }),
  );
  const decisions = asked.flat().sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const d of decisions) {
    setClock(d.at);
    if (d.outcome === 'WITHDRAW') {
      await officers[d.office].ok(WITHDRAW, { input: { id: d.id, reason: 'No longer needed.' } });
    } else if (d.outcome !== 'PENDING') {
      await supervisors[d.office].ok(DECIDE, {
        input: { id: d.id, decision: d.outcome, reason: 'Weighed against the priorities.' },
      });
    }
  }

  // A week later: the week's actions, recorded in one go.
  setClock(t1);
  const followUps: { a: Recorded; outcome: string; at: Date }[] = [];
  await Promise.all(
    CODES.map(async (office) => {
      const rng = rngs[office];
      const zone = ZONES[office];
      const end = new Date(Math.min(t1.getTime(), iceEnd(office).getTime()));
      const start = new Date(t0.getTime() - 12 * HOUR); // Sunday evening local: the week before
      const mine: Recorded[] = [];
      for (let i = rng.int(2, 4); i > 0; i--) {
        mine.push(
          await record(
            office,
            {
              caseId: rng.pick(presumed[office]),
              type: rng.pick(ACTION_TYPES),
              occurredAt: iso(rng.between(start, end)),
              location: `${office} ${i}`,
            },
            'PRESUMED_PRIORITY',
          ),
        );
      }
      // Either side of each local boundary of the week: Sunday 23:30 and Monday 00:30.
      for (const [day, time] of [
        [addDays(week, -1), '23:30'],
        [week, '00:30'],
        [addDays(week, 6), '23:30'],
        [addDays(week, 7), '00:30'],
      ] as const) {
        const at = local(day, time, zone);
        if (at.getTime() > end.getTime()) continue;
        mine.push(
          await record(
            office,
            {
              caseId: rng.pick(presumed[office]),
              type: rng.pick(ACTION_TYPES),
              occurredAt: iso(at),
              location: `${office} boundary`,
            },
            'PRESUMED_PRIORITY',
          ),
        );
      }
      const approved = decisions.filter((x) => x.office === office && x.outcome === 'APPROVE');
      for (const d of approved) {
        for (let i = rng.int(1, 2); i > 0; i--) {
          mine.push(
            await record(
              office,
              {
                caseId: d.caseId,
                type: d.type,
                occurredAt: iso(rng.between(d.at, end)),
                location: `${office} pre-approved`,
              },
              'PREAPPROVED',
            ),
          );
        }
      }
      for (let i = rng.int(1, 2); i > 0; i--) {
        const caseId = await assessedCase(officers[office], NOT_PRESUMED, {
          category: 'OTHER',
          presumed: false,
        });
        const action = await record(
          office,
          {
            caseId,
            type: rng.pick(ACTION_TYPES),
            occurredAt: iso(rng.between(start, end)),
            location: `${office} exigent`,
            exigent: { narrative: NARRATIVE },
          },
          'EXIGENT',
        );
        mine.push(action);
        // Most justified afterwards; of those, some ratified or not, hours later.
        if (rng.random() < 0.7) {
          followUps.push({
            a: action,
            outcome: rng.pick(['APPROVE', 'DENY', 'NONE']),
            at: new Date(t1.getTime() + rng.int(1, 96) * 15 * MINUTE),
          });
        }
      }
      recorded.push(...mine);
      for (const a of mine) {
        if (rng.random() < 0.12) {
          await voidAction(a);
          voided.add(a.id);
        }
      }
    }),
  );

  followUps.sort((x, y) => x.at.getTime() - y.at.getTime() || (x.a.id < y.a.id ? -1 : 1));
  setClock(new Date(t1.getTime() + MINUTE));
  for (const f of followUps) {
    await officers[f.a.office].ok(JUSTIFY, {
      input: { enforcementActionId: f.a.id, justification: JUSTIFICATION },
    });
  }
  for (const f of followUps.filter((x) => x.outcome !== 'NONE')) {
    setClock(f.at);
    await supervisors[f.a.office].ok(DECIDE, {
      input: { id: f.a.postActionRequestId, decision: f.outcome, reason: 'Exigency reviewed.' },
    });
  }
}

async function dhsWeek(week: string): Promise<void> {
  const t1 = new Date(`${addDays(week, 7)}T12:00:00Z`);
  setClock(t1);
  await Promise.all(
    CODES.map(async (office) => {
      const rng = rngs[office];
      const zone = ZONES[office];
      const start = new Date(
        Math.max(new Date(`${week}T00:00:00Z`).getTime(), dhsStart(office).getTime()),
      );
      const cases = [dhsCases[office].border, dhsCases[office].other];
      const mine: Recorded[] = [];
      for (let i = rng.int(3, 5); i > 0; i--) {
        mine.push(
          await record(
            office,
            {
              caseId: rng.pick(cases),
              type: rng.pick(ACTION_TYPES),
              occurredAt: iso(rng.between(start, t1)),
              location: `${office} ${i}`,
              // Exigent changes nothing where no pre-approval exists.
              ...(rng.random() < 0.2 ? { exigent: { narrative: NARRATIVE } } : {}),
            },
            'ASSESSED',
          ),
        );
      }
      mine.push(
        await record(
          office,
          {
            caseId: rng.pick(cases),
            type: rng.pick(ACTION_TYPES),
            occurredAt: iso(local(addDays(week, 6), '23:30', zone)),
            location: `${office} boundary`,
          },
          'ASSESSED',
        ),
      );
      recorded.push(...mine);
      for (const a of mine) {
        if (rng.random() < 0.1) {
          await voidAction(a);
          voided.add(a.id);
        }
      }
    }),
  );
}

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2021-10-18T12:00:00Z') });
  hq = await server.as(HQ);
  for (const [role, email] of [
    ['FIELD_OFFICER', OFFICER_CHI],
    ['SUPERVISOR', SUPERVISOR_CHI],
  ]) {
    await hq.ok(CREATE_USER, {
      input: { email, name: `Chicago ${role.toLowerCase()}`, role, officeCode: 'CHI' },
    });
  }
  const emails: Record<Code, [string, string]> = {
    NYC: [OFFICER_NYC, SUPERVISOR_NYC],
    LAX: [OFFICER_LAX, SUPERVISOR_LAX],
    CHI: [OFFICER_CHI, SUPERVISOR_CHI],
  };
  for (const code of CODES) {
    officers[code] = await server.as(emails[code][0]);
    supervisors[code] = await server.as(emails[code][1]);
  }

  // Presumed priorities under ICE-2021-02-18 in each office: border, national security, public safety.
  const presumed = {} as Record<Code, string[]>;
  await Promise.all(
    CODES.map(async (office) => {
      const o = officers[office];
      presumed[office] = [
        await assessedCase(o, BORDER, { category: 'BORDER_SECURITY', presumed: true }),
        await assessedCase(o, NATIONAL_SECURITY, { category: 'NATIONAL_SECURITY', presumed: true }),
        await assessedCase(
          o,
          {},
          { category: 'PUBLIC_SAFETY', presumed: true },
          { convictions: [AGG_FELONY], publicSafety: publicSafety() },
        ),
      ];
    }),
  );
  for (const week of ICE_WEEKS) await iceWeek(week, presumed);

  // DHS-2021-09-30: cases assessed under it; every action ASSESSED.
  setClock('2021-11-29T12:00:00Z');
  await Promise.all(
    CODES.map(async (office) => {
      dhsCases[office] = {
        border: await assessedCase(officers[office], BORDER, {
          category: 'BORDER_SECURITY',
          presumed: false,
        }),
        other: await assessedCase(officers[office], {}, { category: 'OTHER', presumed: false }),
      };
    }),
  );
  for (const week of DHS_WEEKS) await dhsWeek(week);
  setClock('2021-12-22T12:00:00Z');
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------------------------------------
// the property

const filterArb: fc.Arbitrary<StatsFilter> = fc
  .record({
    from: fc.integer({ min: 0, max: 76 }),
    span: fc.integer({ min: 0, max: 50 }),
    officeCodes: fc.option(fc.subarray([...CODES], { minLength: 1 }), { nil: undefined }),
    categories: fc.option(fc.subarray(CATEGORIES, { minLength: 1 }), { nil: undefined }),
    actionTypes: fc.option(fc.subarray(ACTION_TYPES, { minLength: 1 }), { nil: undefined }),
    bases: fc.option(fc.subarray(BASES, { minLength: 1 }), { nil: undefined }),
  })
  .map(({ from, span, ...rest }) => {
    const first = addDays(FIRST_DAY, from);
    const last = addDays(first, span);
    const filter: StatsFilter = { from: first, to: last < LAST_DAY ? last : LAST_DAY };
    for (const [k, v] of Object.entries(rest)) if (v !== undefined) (filter as any)[k] = v;
    return filter;
  });
const groupByArb = fc.shuffledSubarray([...DIMENSIONS], { minLength: 1 });

async function checkProperty(numRuns: number): Promise<void> {
  let nonEmpty = 0;
  await fc.assert(
    fc.asyncProperty(filterArb, groupByArb, async (filter, groupBy) => {
      const [api, direct] = await Promise.all([
        apiEnforcement(hq, filter, groupBy),
        directEnforcement(filter, groupBy),
      ]);
      expect(asSet(api)).toEqual(asSet(direct));
      if (direct.length) nonEmpty += 1;
    }),
    { numRuns, seed: 5, endOnFailure: true },
  );
  // The property is only worth something if most draws find actions.
  expect(nonEmpty).toBeGreaterThan(numRuns / 3);
}

// ---------------------------------------------------------------------------------------------

describe('the generated data', () => {
  test('covers every office, basis, category and action type, both sides of the changes, with voids', async () => {
    const [row] = await server.sql(
      `SELECT count(*)::int AS actions,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id))::int AS voided,
              count(DISTINCT a.office_id)::int AS offices,
              count(DISTINCT a.basis)::int AS bases,
              count(DISTINCT a.category)::int AS categories,
              count(DISTINCT a.type)::int AS types,
              count(DISTINCT ${LOCAL_WEEK('a.occurred_at')})::int AS weeks,
              count(DISTINCT a.policy_version_code)::int AS versions
         FROM enforcement_actions a JOIN offices o ON o.id = a.office_id`,
    );
    expect(row.actions).toBe(recorded.length);
    expect(row.actions).toBeGreaterThanOrEqual(150);
    expect(row.voided).toBe(voided.size);
    expect(row.voided).toBeGreaterThanOrEqual(5);
    expect(row).toMatchObject({ offices: 3, bases: 4, categories: 4, types: 7, versions: 2 });
    expect(row.weeks).toBeGreaterThanOrEqual(10);
    const [requests] = await server.sql(
      `SELECT count(DISTINCT status)::int AS statuses, count(DISTINCT kind)::int AS kinds FROM approval_requests`,
    );
    expect(requests).toEqual({ statuses: 4, kinds: 2 });
  });

  test('the per-week counts the service keeps equal a direct count of every cell', async () => {
    await expectCountsTableExact();
  });
});

describe('enforcementStats equals a direct count', () => {
  test('every single dimension and all five together, over the whole range, for headquarters', async () => {
    const filter = { from: FIRST_DAY, to: LAST_DAY };
    for (const groupBy of [...DIMENSIONS.map((d) => [d]), [...DIMENSIONS]]) {
      const api = await apiEnforcement(hq, filter, groupBy);
      const direct = await directEnforcement(filter, groupBy);
      expect(direct.length).toBeGreaterThan(0);
      expect([groupBy, asSet(api)]).toEqual([groupBy, asSet(direct)]);
    }
    // Whole weeks only: a range of one day covers its week, in every office's zone.
    const oneDay = { from: '2021-11-03', to: '2021-11-03' };
    const byWeek = await apiEnforcement(hq, oneDay, ['WEEK', 'OFFICE']);
    expect(byWeek.map((r) => r.week)).toEqual(byWeek.map(() => '2021-11-01'));
    expect(asSet(byWeek)).toEqual(asSet(await directEnforcement(oneDay, ['WEEK', 'OFFICE'])));
  });

  test('property: random filters and groupings (60 runs) equal the direct count, as sets', async () => {
    await checkProperty(60);
  }, 120_000);

  test('after concurrent inserts and voids (20 actions and 4 voids at once), still exact', async () => {
    setClock('2021-12-22T12:00:00Z');
    // Four live December actions, voided while the inserts run.
    const december = new Set(
      (
        await server.sql<{ id: string }>(
          `SELECT id FROM enforcement_actions WHERE occurred_at >= '2021-12-06' ORDER BY occurred_at, id`,
        )
      ).map((r) => r.id),
    );
    const toVoid = [...december]
      .filter((id) => !voided.has(id))
      .slice(0, 4)
      .map((id) => recorded.find((a) => a.id === id) as Recorded);
    expect(toVoid).toHaveLength(4);
    const before = await directEnforcement({ from: FIRST_DAY, to: LAST_DAY }, ['OFFICE']);
    const inserts = Array.from({ length: 20 }, (_, i) => {
      const office = i < 12 ? 'NYC' : CODES[i % 3];
      // Most land in one cell (same office, week, category, type, basis): the upsert contends.
      return record(
        office,
        {
          caseId: i % 5 === 4 ? dhsCases[office].other : dhsCases[office].border,
          type: i % 5 === 3 ? 'DETENTION' : 'ARREST',
          occurredAt: iso(local('2021-12-15', `1${i % 10}:00`, ZONES[office])),
          location: `${office} concurrent ${i}`,
        },
        'ASSESSED',
      );
    });
    const results = await Promise.all([
      ...inserts,
      ...toVoid.map(async (a) => {
        await voidAction(a, 'Voided concurrently.');
        return a;
      }),
    ]);
    recorded.push(...(results.slice(0, 20) as Recorded[]));
    for (const a of toVoid) voided.add(a.id);

    const after = await directEnforcement({ from: FIRST_DAY, to: LAST_DAY }, ['OFFICE']);
    const total = (rows: EnforcementRow[]) => rows.reduce((s, r) => s + r.count, 0);
    expect(total(after)).toBe(total(before) + 20 - 4);
    await expectCountsTableExact();
    const cell = { from: '2021-12-13', to: '2021-12-19', officeCodes: ['NYC'] };
    const groupBy = [...DIMENSIONS];
    expect(asSet(await apiEnforcement(hq, cell, groupBy))).toEqual(
      asSet(await directEnforcement(cell, groupBy)),
    );
    await checkProperty(25);
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------

describe('approvalStats equals a direct count', () => {
  const FILTERS: StatsFilter[] = [
    { from: FIRST_DAY, to: LAST_DAY },
    { from: '2021-10-27', to: '2021-11-10', officeCodes: ['NYC', 'CHI'] },
    { from: '2021-11-01', to: '2021-11-28', actionTypes: ['ARREST', 'DETENTION', 'REMOVAL'] },
    { from: '2021-11-08', to: '2021-11-08', officeCodes: ['LAX'] },
  ];
  const GROUPINGS: Dimension[][] = [
    ['OFFICE'],
    ['WEEK'],
    ['ACTION_TYPE'],
    ['WEEK', 'OFFICE'],
    ['OFFICE', 'ACTION_TYPE'],
    ['ACTION_TYPE', 'WEEK', 'OFFICE'],
  ];

  test.each(GROUPINGS.map((g) => [g.join(', '), g]))(
    'grouped by %s: requested, approved, denied, pending, withdrawn, rate and median',
    async (_name, groupBy) => {
      let rows = 0;
      for (const filter of FILTERS) {
        const api = await apiApprovals(hq, filter, groupBy as Dimension[]);
        const direct = await directApprovals(filter, groupBy as Dimension[]);
        expect([filter, asSet(api)]).toEqual([filter, asSet(direct)]);
        rows += direct.length;
      }
      expect(rows).toBeGreaterThan(0);
    },
  );

  test('the data has decided, denied, pending and withdrawn requests and varied decision times', async () => {
    const [office] = await apiApprovals(hq, { from: FIRST_DAY, to: LAST_DAY }, ['OFFICE']);
    expect(office.approved).toBeGreaterThan(0);
    expect(office.denied + office.pending + office.withdrawn).toBeGreaterThan(0);
    const all = await directApprovals({ from: FIRST_DAY, to: LAST_DAY }, ['WEEK', 'OFFICE']);
    expect(new Set(all.map((r) => r.medianDecisionHours)).size).toBeGreaterThan(5);
    expect(all.some((r) => r.approvalRate !== null && r.approvalRate < 1)).toBe(true);
  });

  test('every request keeps the Monday of its office-local week, as the figures group by', async () => {
    const rows = await server.sql<{ requests: number; wrong: number; post: number }>(
      `SELECT count(*)::int AS requests,
              count(*) FILTER (WHERE r.kind = 'POST_ACTION')::int AS post,
              count(*) FILTER (WHERE r.requested_week <> ${LOCAL_WEEK('r.requested_at')})::int AS wrong
         FROM approval_requests r JOIN offices o ON o.id = r.office_id`,
    );
    expect(rows[0].requests).toBeGreaterThan(20);
    expect(rows[0].post).toBeGreaterThan(0);
    expect(rows[0].wrong).toBe(0);
  });

  test('CATEGORY or BASIS in groupBy, or as a filter: BAD_USER_INPUT naming it, nothing changed', async () => {
    const filter = { from: FIRST_DAY, to: LAST_DAY };
    await expectRefused(
      server,
      hq,
      APPROVAL_STATS,
      { filter, groupBy: ['CATEGORY'] },
      'BAD_USER_INPUT',
      'groupBy.0',
    );
    await expectRefused(
      server,
      hq,
      APPROVAL_STATS,
      { filter, groupBy: ['OFFICE', 'BASIS'] },
      'BAD_USER_INPUT',
      'groupBy.1',
    );
    await expectRefused(
      server,
      supervisors.NYC,
      APPROVAL_STATS,
      { filter, groupBy: ['WEEK', 'CATEGORY', 'OFFICE'] },
      'BAD_USER_INPUT',
      'groupBy.1',
    );
    await expectRefused(
      server,
      hq,
      APPROVAL_STATS,
      { filter: { ...filter, categories: ['OTHER'] }, groupBy: ['OFFICE'] },
      'BAD_USER_INPUT',
      'filter.categories',
    );
    await expectRefused(
      server,
      hq,
      APPROVAL_STATS,
      { filter: { ...filter, bases: ['EXIGENT'] }, groupBy: ['OFFICE'] },
      'BAD_USER_INPUT',
      'filter.bases',
    );
    await expectRefused(
      server,
      hq,
      ENFORCEMENT_STATS,
      { filter: { from: '2021-11-10', to: '2021-11-09' }, groupBy: ['OFFICE'] },
      'BAD_USER_INPUT',
      'filter.from',
    );
  });

  test('a kept answer is served only while no request of its weeks changes', async () => {
    const figures = server.service.caches.get(approvalFiguresCache);
    const filter: StatsFilter = { from: FIRST_DAY, to: LAST_DAY };
    const groupBy: Dimension[] = ['WEEK', 'OFFICE'];
    const exact = async () => {
      const api = await apiApprovals(hq, filter, groupBy);
      expect(asSet(api)).toEqual(asSet(await directApprovals(filter, groupBy)));
      return api;
    };
    const first = await exact();
    let hits = figures.hits;
    expect(await exact()).toEqual(first);
    expect(figures.hits).toBe(hits + 1);

    // A pending request decided through the API: answered afresh, and different.
    const [pending] = await server.sql<{ id: string; code: Code; requested_at: Date }>(
      `SELECT r.id, o.code, r.requested_at FROM approval_requests r JOIN offices o ON o.id = r.office_id
        WHERE r.status = 'PENDING' AND r.kind <> 'POST_ACTION' ORDER BY r.requested_at, r.id LIMIT 1`,
    );
    setClock(new Date(pending.requested_at.getTime() + 5 * HOUR));
    await supervisors[pending.code].ok(DECIDE, {
      input: { id: pending.id, decision: 'DENY', reason: 'Weighed against the priorities.' },
    });
    hits = figures.hits;
    const decided = await exact();
    expect(figures.hits).toBe(hits);
    expect(decided).not.toEqual(first);

    // The decision undone by hand in the database, outside the service: the first answer again.
    await server.sql(
      `UPDATE approval_requests SET status = 'PENDING', decided_at = NULL, decided_by_id = NULL,
              decision_reason = NULL WHERE id = $1`,
      [pending.id],
    );
    expect(await exact()).toEqual(first);
    expect(figures.hits).toBe(hits);

    // Four requests made while four reads run: the next answer counts every one.
    const caseId = await assessedCase(officers[pending.code], NOT_PRESUMED, {
      category: 'OTHER',
      presumed: false,
    });
    await Promise.all([
      ...ACTION_TYPES.slice(0, 4).map((actionType) =>
        officers[pending.code].ok(REQUEST, {
          input: { caseId, actionType, justification: JUSTIFICATION },
        }),
      ),
      ...Array.from({ length: 4 }, () => apiApprovals(hq, filter, groupBy)),
    ]);
    const total = (rows: ApprovalRow[]) => rows.reduce((n, r) => n + r.requested, 0);
    expect(total(await exact())).toBe(total(first) + 4);
  });
});

// ---------------------------------------------------------------------------------------------

describe('who sees which figures', () => {
  const filter = { from: FIRST_DAY, to: LAST_DAY };

  test('a supervisor without officeCodes gets their own office only; headquarters every office', async () => {
    for (const office of CODES) {
      for (const groupBy of [
        ['OFFICE'],
        ['WEEK', 'BASIS'],
        ['OFFICE', 'CATEGORY'],
      ] as Dimension[][]) {
        const own = { ...filter, officeCodes: [office] };
        expect(asSet(await apiEnforcement(supervisors[office], filter, groupBy))).toEqual(
          asSet(await directEnforcement(own, groupBy)),
        );
        expect(asSet(await apiEnforcement(supervisors[office], own, groupBy))).toEqual(
          asSet(await directEnforcement(own, groupBy)),
        );
      }
      expect(asSet(await apiApprovals(supervisors[office], filter, ['OFFICE']))).toEqual(
        asSet(await directApprovals({ ...filter, officeCodes: [office] }, ['OFFICE'])),
      );
      const mine = await apiEnforcement(supervisors[office], filter, ['OFFICE']);
      expect(mine.map((r) => r.officeCode)).toEqual([office]);
    }
    const all = await apiEnforcement(hq, filter, ['OFFICE']);
    expect(all.map((r) => r.officeCode).sort()).toEqual(['CHI', 'LAX', 'NYC']);
    expect(asSet(all)).toEqual(asSet(await directEnforcement(filter, ['OFFICE'])));
    const approvals = await apiApprovals(hq, filter, ['OFFICE']);
    expect(approvals.map((r) => r.officeCode).sort()).toEqual(['CHI', 'LAX', 'NYC']);
  });

  test('a supervisor naming another office: NOT_FOUND, as for an office that does not exist', async () => {
    for (const [query, groupBy] of [
      [ENFORCEMENT_STATS, ['OFFICE']],
      [APPROVAL_STATS, ['OFFICE']],
    ] as const) {
      await expectRefused(
        server,
        supervisors.NYC,
        query,
        { filter: { ...filter, officeCodes: ['LAX'] }, groupBy },
        'NOT_FOUND',
      );
      await expectRefused(
        server,
        supervisors.NYC,
        query,
        { filter: { ...filter, officeCodes: ['NYC', 'CHI'] }, groupBy },
        'NOT_FOUND',
      );
      await expectRefused(
        server,
        supervisors.CHI,
        query,
        { filter: { ...filter, officeCodes: ['NYC'] }, groupBy },
        'NOT_FOUND',
      );
      const other = await expectRefused(
        server,
        supervisors.LAX,
        query,
        { filter: { ...filter, officeCodes: ['CHI'] }, groupBy },
        'NOT_FOUND',
      );
      const unknown = await expectRefused(
        server,
        supervisors.LAX,
        query,
        { filter: { ...filter, officeCodes: ['ZZZ'] }, groupBy },
        'NOT_FOUND',
      );
      expect(other.message).toBe(unknown.message);
      await expectRefused(
        server,
        hq,
        query,
        { filter: { ...filter, officeCodes: ['ZZZ'] }, groupBy },
        'NOT_FOUND',
      );
    }
  });

  test('officers: FORBIDDEN for both figures, with or without their own office named', async () => {
    for (const office of CODES) {
      for (const query of [ENFORCEMENT_STATS, APPROVAL_STATS]) {
        await expectRefused(
          server,
          officers[office],
          query,
          { filter, groupBy: ['OFFICE'] },
          'FORBIDDEN',
        );
        await expectRefused(
          server,
          officers[office],
          query,
          { filter: { ...filter, officeCodes: [office] }, groupBy: ['WEEK'] },
          'FORBIDDEN',
        );
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * The weekly report and approvalStats count the same thing: pre-approval requests (post-action
 * ratification requests are reported with the exigent actions).
 */
describe('approvalStats and the weekly reports', () => {
  test('approvalStats counts pre-approval requests as the weekly report does (post-action requests are not pre-approval requests)', async () => {
    setClock('2021-12-22T12:00:00Z');
    const mismatches: unknown[] = [];
    for (const office of CODES) {
      for (const week of ICE_WEEKS) {
        const report = (
          await supervisors[office].ok<any>(REPORT_REQUESTS, {
            officeCode: office,
            weekStart: week,
          })
        ).weeklyReport.requests;
        const [figures] = await apiApprovals(supervisors[office], { from: week, to: week }, [
          'WEEK',
          'OFFICE',
        ]);
        const [direct] = await directApprovals(
          { from: week, to: week, officeCodes: [office] },
          ['WEEK', 'OFFICE'],
          'PRE_APPROVAL',
        );
        // The weekly report agrees with a direct count of pre-approval requests...
        expect(report).toEqual({
          made: direct.requested,
          approved: direct.approved,
          denied: direct.denied,
          pending: direct.pending,
          withdrawn: direct.withdrawn,
          medianDecisionHours: direct.medianDecisionHours,
        });
        // ...and the figures for the same office-week should say the same.
        const fromFigures = {
          made: figures?.requested ?? 0,
          approved: figures?.approved ?? 0,
          denied: figures?.denied ?? 0,
          pending: figures?.pending ?? 0,
          withdrawn: figures?.withdrawn ?? 0,
          medianDecisionHours: figures?.medianDecisionHours ?? null,
        };
        if (JSON.stringify(fromFigures) !== JSON.stringify(report))
          mismatches.push({ office, week, report, figures: fromFigures });
      }
    }
    expect(mismatches).toEqual([]);
  });
});

test('figures come ordered by their groups: week, office code, then the enums in their order', async () => {
  const enumOrder = async (type: string) =>
    (await server.sql<{ v: string }>(`SELECT unnest(enum_range(NULL::${type}))::text AS v`)).map(
      (r) => r.v,
    );
  const [categories, types, bases] = await Promise.all(
    ['priority_category', 'action_type', 'enforcement_basis'].map(enumOrder),
  );
  const keyed = (key: (string | number)[]) => key.map((k) => String(k).padStart(12, '0')).join('|');
  const rank = (list: string[], v: string | null) => (v === null ? -1 : list.indexOf(v));
  const range = { from: FIRST_DAY, to: LAST_DAY };

  const enforcement = await apiEnforcement(hq, range, DIMENSIONS);
  const enforcementKeys = enforcement.map((r) =>
    keyed([
      r.week ?? '',
      r.officeCode ?? '',
      rank(categories, r.category),
      rank(types, r.actionType),
      rank(bases, r.basis),
    ]),
  );
  expect(enforcementKeys).toEqual([...enforcementKeys].sort());

  const approvals = await apiApprovals(hq, range, ['WEEK', 'OFFICE', 'ACTION_TYPE']);
  const approvalKeys = approvals.map((r) =>
    keyed([r.week ?? '', r.officeCode ?? '', rank(types, r.actionType)]),
  );
  expect(approvalKeys).toEqual([...approvalKeys].sort());
  // Weeks with more than one office, so that the office order is put to the test.
  const weeks = new Set(approvals.map((r) => r.week)).size;
  expect(new Set(approvals.map((r) => `${r.week} ${r.officeCode}`)).size).toBeGreaterThan(weeks);
});

// ---------------------------------------------------------------------------------------------
// the paged forms (#14)

const ENFORCEMENT_PAGE = `query($filter: StatsFilter!, $groupBy: [StatsDimension!]!, $first: Int, $after: String) {
  enforcementStatsPage(filter: $filter, groupBy: $groupBy, first: $first, after: $after) {
    totalCount
    edges { cursor node { week officeCode category actionType basis count } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;
const APPROVAL_PAGE = `query($filter: StatsFilter!, $groupBy: [StatsDimension!]!, $first: Int, $after: String) {
  approvalStatsPage(filter: $filter, groupBy: $groupBy, first: $first, after: $after) {
    totalCount
    edges { cursor node { week officeCode actionType requested approved denied pending withdrawn approvalRate medianDecisionHours } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

/** Every subset of `dims`, the empty one included. */
const subsets = <T>(dims: readonly T[]): T[][] =>
  dims.reduce<T[][]>((all, d) => [...all, ...all.map((s) => [...s, d])], [[]]);

/** Every page of a paged figure, `first` at a time, checked page by page; the rows in order. */
async function allPages(
  client: Client,
  query: string,
  filter: StatsFilter,
  groupBy: readonly Dimension[],
  first: number,
): Promise<{ rows: unknown[]; totalCount: number; pages: number }> {
  const rows: unknown[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (let pages = 1; ; pages++) {
    const data: any = await client.ok<any>(query, { filter, groupBy, first, after });
    const page: any = data.enforcementStatsPage ?? data.approvalStatsPage;
    if (totalCount === -1) totalCount = page.totalCount;
    expect(page.totalCount).toBe(totalCount);
    expect(page.edges.length).toBeLessThanOrEqual(first);
    expect(page.pageInfo.hasPreviousPage).toBe(false);
    if (page.edges.length) {
      expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor);
      expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1].cursor);
    }
    rows.push(...page.edges.map((e: { node: unknown }) => e.node));
    if (!page.pageInfo.hasNextPage) return { rows, totalCount, pages };
    expect(page.edges).toHaveLength(first);
    after = page.pageInfo.endCursor;
  }
}

describe('the paged figures (enforcementStatsPage, approvalStatsPage)', () => {
  const range = { from: FIRST_DAY, to: LAST_DAY };
  /** The same service on the same data, answering lists of at most 25 rows. */
  let low: TestServer;
  let lowHq: Client;

  beforeAll(async () => {
    low = await startTestServer({
      database: server.database,
      clock: server.clock,
      env: { STATS_MAX_ROWS: '25' },
    });
    lowHq = await low.as(HQ);
  });
  afterAll(async () => {
    await low?.stop();
  });

  test('every grouping of enforcement figures, in about four pages each: the pages joined are the list form, in its order, no row twice', async () => {
    let paged = 0;
    for (const groupBy of subsets(DIMENSIONS)) {
      const list = await apiEnforcement(hq, range, groupBy);
      // Pages that end anywhere in the list: about four of them.
      const first = Math.max(1, Math.ceil(list.length / 4) | 1);
      const { rows, totalCount, pages } = await allPages(
        hq,
        ENFORCEMENT_PAGE,
        range,
        groupBy,
        first,
      );
      expect([groupBy, rows]).toEqual([groupBy, list]);
      expect(totalCount).toBe(list.length);
      expect(new Set(rows.map((r) => JSON.stringify(r))).size).toBe(rows.length);
      if (pages > 2) paged += 1;
    }
    // Most groupings take several pages: the cursor is put to the test.
    expect(paged).toBeGreaterThan(20);
  }, 240_000);

  test('with filters and in the order the client gives the keys, still the list form', async () => {
    const filters: StatsFilter[] = [
      { ...range, officeCodes: ['LAX', 'NYC'], bases: ['PRESUMED_PRIORITY', 'EXIGENT'] },
      { from: '2021-11-01', to: '2021-11-30', categories: ['OTHER', 'BORDER_SECURITY'] },
      { ...range, actionTypes: ['ARREST', 'DETENTION'] },
    ];
    for (const filter of filters) {
      for (const groupBy of [
        ['BASIS', 'OFFICE', 'WEEK'],
        ['ACTION_TYPE', 'CATEGORY'],
        [...DIMENSIONS].reverse(),
      ] as Dimension[][]) {
        const list = await apiEnforcement(hq, filter, groupBy);
        const { rows } = await allPages(hq, ENFORCEMENT_PAGE, filter, groupBy, 4);
        expect(rows).toEqual(list);
      }
    }
  });

  test('every grouping of approval figures, paged 3 at a time: the pages joined are the list form', async () => {
    for (const groupBy of subsets(['WEEK', 'OFFICE', 'ACTION_TYPE'] as Dimension[])) {
      const list = await apiApprovals(hq, range, groupBy);
      const { rows, totalCount } = await allPages(hq, APPROVAL_PAGE, range, groupBy, 3);
      expect([groupBy, rows]).toEqual([groupBy, list]);
      expect(totalCount).toBe(list.length);
    }
  });

  test('above STATS_MAX_ROWS the list forms refuse with BAD_USER_INPUT naming the paged form and the export, nothing changed; the paged forms answer', async () => {
    expect((await apiEnforcement(hq, range, DIMENSIONS)).length).toBeGreaterThan(25);
    const enforcement = await expectRefused(
      low,
      lowHq,
      ENFORCEMENT_STATS,
      { filter: range, groupBy: DIMENSIONS },
      'BAD_USER_INPUT',
      'groupBy',
    );
    expect(enforcement.message).toMatch(/more than 25 rows/);
    expect(enforcement.message).toMatch(/enforcementStatsPage/);
    expect(enforcement.message).toMatch(/\/exports\/enforcement-stats/);

    const approvalKeys: Dimension[] = ['WEEK', 'OFFICE', 'ACTION_TYPE'];
    expect((await apiApprovals(hq, range, approvalKeys)).length).toBeGreaterThan(25);
    const approvals = await expectRefused(
      low,
      lowHq,
      APPROVAL_STATS,
      { filter: range, groupBy: approvalKeys },
      'BAD_USER_INPUT',
      'groupBy',
    );
    expect(approvals.message).toMatch(/approvalStatsPage/);
    expect(approvals.message).toMatch(/\/exports\/approval-stats/);

    // At the limit or under it, the list forms answer as before.
    const byOffice = await apiEnforcement(lowHq, range, ['OFFICE']);
    expect(byOffice).toEqual(await apiEnforcement(hq, range, ['OFFICE']));
    // Exactly 25 rows is allowed: a filter that gives 25 or fewer weekly-basis rows.
    const small = { ...range, officeCodes: ['CHI'], bases: ['EXIGENT'] };
    const answer = await apiEnforcement(hq, small, ['WEEK', 'BASIS']);
    expect(answer.length).toBeLessThanOrEqual(25);
    expect(await apiEnforcement(lowHq, small, ['WEEK', 'BASIS'])).toEqual(answer);

    // The paged forms on the low service answer every row.
    const { rows } = await allPages(lowHq, ENFORCEMENT_PAGE, range, DIMENSIONS, 200);
    expect(rows).toEqual(await apiEnforcement(hq, range, DIMENSIONS));
  });

  test('a supervisor pages their own office only; naming another office NOT_FOUND and officers FORBIDDEN, nothing changed', async () => {
    const groupBy: Dimension[] = ['WEEK', 'OFFICE', 'BASIS'];
    const mine = await allPages(supervisors.LAX, ENFORCEMENT_PAGE, range, groupBy, 5);
    expect(new Set(mine.rows.map((r: any) => r.officeCode))).toEqual(new Set(['LAX']));
    expect(mine.rows).toEqual(
      await apiEnforcement(hq, { ...range, officeCodes: ['LAX'] }, groupBy),
    );
    const approvals = await allPages(supervisors.LAX, APPROVAL_PAGE, range, ['OFFICE'], 5);
    expect(approvals.rows.map((r: any) => r.officeCode)).toEqual(['LAX']);

    for (const query of [ENFORCEMENT_PAGE, APPROVAL_PAGE]) {
      await expectRefused(
        server,
        supervisors.LAX,
        query,
        { filter: { ...range, officeCodes: ['NYC'] }, groupBy: ['OFFICE'] },
        'NOT_FOUND',
      );
      await expectRefused(
        server,
        officers.LAX,
        query,
        { filter: { ...range, officeCodes: ['LAX'] }, groupBy: ['OFFICE'] },
        'FORBIDDEN',
      );
    }
  });

  test('a cursor that is not one of the list, or a page size out of range: BAD_USER_INPUT naming after or first', async () => {
    const groupBy: Dimension[] = ['WEEK', 'OFFICE'];
    const page = (await hq.ok<any>(ENFORCEMENT_PAGE, { filter: range, groupBy, first: 2 }))
      .enforcementStatsPage;
    const cursor = (values: unknown) =>
      Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
    const bad = [
      'not a cursor',
      cursor(['2021-10-18']),
      cursor(['2021-10-18', 'NYC', 'OTHER']),
      cursor(['18 October', 'NYC']),
      cursor(['2021-10-18', 'ZZZ']),
      cursor(['2021-10-18', null]),
      cursor({ week: '2021-10-18' }),
    ];
    for (const after of bad) {
      await expectRefused(
        server,
        hq,
        ENFORCEMENT_PAGE,
        { filter: range, groupBy, after },
        'BAD_USER_INPUT',
        'after',
      );
    }
    // A cursor of another grouping does not fit this one.
    await expectRefused(
      server,
      hq,
      ENFORCEMENT_PAGE,
      { filter: range, groupBy: ['WEEK', 'CATEGORY'], after: page.pageInfo.endCursor },
      'BAD_USER_INPUT',
      'after',
    );
    for (const after of ['not a cursor', cursor(['2021-10-18', 'NYC', 'NOT_A_TYPE'])]) {
      await expectRefused(
        server,
        hq,
        APPROVAL_PAGE,
        { filter: range, groupBy: ['WEEK', 'OFFICE', 'ACTION_TYPE'], after },
        'BAD_USER_INPUT',
        'after',
      );
    }
    for (const first of [0, -1, 1001]) {
      for (const query of [ENFORCEMENT_PAGE, APPROVAL_PAGE]) {
        await expectRefused(
          server,
          hq,
          query,
          { filter: range, groupBy: ['WEEK'], first },
          'BAD_USER_INPUT',
          'first',
        );
      }
    }
  });
});
