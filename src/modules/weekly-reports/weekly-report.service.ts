import { QueryFailedError } from 'typeorm';
import { readScope } from '../../auth/permissions';
import { RequestContext, inTransaction } from '../../common/context';
import { badInput, conflict, notFound } from '../../common/errors';
import { validityAround, type Validity } from '../../common/token-cache';
import { isCalendarDate, addDays, isMonday, weekStartOf, weekWindow } from '../../common/calendar';
import { policyVersion, versionInForce, type ScheduleEntry } from '../assessments/policy/engine';
import { scheduleEntries } from '../assessments/assessment.service';
import { writeAudit } from '../audit/audit.service';
import { OfficeEntity } from '../users/office.entity';
import type {
  CountByKey,
  ExigentRow,
  ReportActionRow,
  WeeklyReportContent,
} from './weekly-report.content';
import { WeeklyReportRevisionEntity } from './weekly-report.entity';
import { checkDateRange } from './date-range';
import { reportDraftCache } from './report.caches';
import { localTime, mondaysBetween, weeksBetween } from './week';

const HOUR = 3600_000;
/** When no version covers the week: the due time most versions use. */
const DEFAULT_DUE_HOURS = 12;
/** At most this many office-weeks in one listing. */
const MAX_LISTING = 5000;

export enum ReportStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  AMENDED = 'AMENDED',
}

export enum ComplianceStatus {
  ON_TIME = 'ON_TIME',
  LATE = 'LATE',
  MISSING = 'MISSING',
  NOT_DUE = 'NOT_DUE',
}

/** A report as the API shows it: a stored revision or a live draft. */
export interface ReportView {
  office: OfficeEntity;
  weekStart: string;
  from: Date;
  to: Date;
  status: ReportStatus;
  revision: number | null;
  submittedAt: Date | null;
  submittedById: string | null;
  note: string | null;
  amendReason: string | null;
  dataCutoff: Date;
  dueAt: Date;
  content: WeeklyReportContent;
  revisions: WeeklyReportRevisionEntity[];
}

function checkWeekStart(field: string, weekStart: string): void {
  if (!isCalendarDate(weekStart) || !isMonday(weekStart))
    throw badInput(field, `${weekStart} is not a Monday`);
}

/** The office named by `code`, if the caller may read its reports (supervisor: own; HQ: any). */
async function readableOffice(ctx: RequestContext, code: string): Promise<OfficeEntity> {
  const scope = readScope(ctx.user);
  const office = await ctx.manager.getRepository(OfficeEntity).findOne({ where: { code } });
  if (!office || (scope !== undefined && office.id !== scope)) throw notFound('Office', code);
  return office;
}

/** Versions in force on any day of the week. */
function versionsOfWeek(entries: ScheduleEntry[], weekStart: string): string[] {
  const codes = new Set<string>();
  for (let i = 0; i < 7; i++) {
    const v = versionInForce(entries, addDays(weekStart, i));
    if (v) codes.add(v.code);
  }
  return [...codes];
}

/** Due a version-set number of hours after the week ends (Monday 00:00 local). */
function dueAt(entries: ScheduleEntry[], office: OfficeEntity, weekStart: string): Date {
  const window = weekWindow(weekStart, office.timeZone);
  const v = versionInForce(entries, addDays(weekStart, 6));
  const hours = (v && policyVersion(v.code)?.parameters.weeklyReportDueHours) ?? DEFAULT_DUE_HOURS;
  return new Date(window.end.getTime() + hours * HOUR);
}

const tally = (values: string[]): CountByKey[] => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, count]) => ({ key, count }));
};

/**
 * Compiles the week from the records, in two statements: the actions (with their justification
 * and approver, copied onto each action when it was recorded; an exigent action's from its
 * post-action request) and the pre-approval requests made. Void actions do
 * not count. No subject identity is read.
 */
export async function compileWeek(
  ctx: RequestContext,
  office: OfficeEntity,
  weekStart: string,
): Promise<WeeklyReportContent> {
  return (await compileWeekTimed(ctx, office, weekStart)).content;
}

/** The compiled week, and the clock times over which it reads the same. */
async function compileWeekTimed(
  ctx: RequestContext,
  office: OfficeEntity,
  weekStart: string,
): Promise<{ content: WeeklyReportContent; validity: Validity }> {
  return inTransaction(ctx, async (tx) => {
    // A week is one index range of a few thousand actions: a parallel plan costs more to start
    // than it saves (22 ms against 11 ms for 2,831 actions at 10 million). Until the end of this
    // transaction only.
    await tx.manager.query(`SELECT set_config('max_parallel_workers_per_gather', '0', true)`);
    return compileWeekRecords(tx, office, weekStart);
  });
}

/** The week's version token (`report_week_versions`), or null if nothing was ever recorded. */
async function weekToken(
  ctx: RequestContext,
  officeId: string,
  weekStart: string,
): Promise<string | null> {
  const [row] = (await ctx.manager.query(
    `SELECT version FROM report_week_versions WHERE office_id = $1 AND week_start = $2`,
    [officeId, weekStart],
  )) as { version: string }[];
  return row?.version ?? null;
}

/**
 * The live draft of a week, reused from the service's draft cache while the week's version token
 * is the one it was compiled under and the clock reads it the same (`token-cache.ts`). The token
 * is read before any record: a change committed after that read gives the week a new token, so a
 * draft that may have missed it is never served again. Inside a transaction (which may have
 * changed the week itself) the draft is always compiled.
 */
async function liveDraft(
  ctx: RequestContext,
  office: OfficeEntity,
  weekStart: string,
  schedule: ScheduleEntry[],
  token: string | null,
): Promise<WeeklyReportContent> {
  // No token: nothing was ever recorded for the week, and an empty week compiles at once.
  if (ctx.manager.queryRunner?.isTransactionActive || token === null)
    return compileWeek(ctx, office, weekStart);
  const cache = ctx.deps.caches.get(reportDraftCache);
  const key = `${office.id}/${weekStart}`;
  const hit = cache.get(key, token, ctx.clock.now().getTime());
  // The policy schedule can change without touching the week: its versions are read every time.
  if (hit) return { ...hit, policyVersions: versionsOfWeek(schedule, weekStart) };
  const { content, validity } = await compileWeekTimed(ctx, office, weekStart);
  // Weighed by its rows: the actions, the exigent ones again, and the rest.
  cache.set(key, token, content, content.actions.length + content.exigent.length + 1, validity);
  return content;
}

async function compileWeekRecords(
  ctx: RequestContext,
  office: OfficeEntity,
  weekStart: string,
): Promise<{ content: WeeklyReportContent; validity: Validity }> {
  const window = weekWindow(weekStart, office.timeZone);
  const now = ctx.clock.now();
  const rows = (await ctx.manager.query(
    `SELECT a.id, a.type, a.occurred_at, a.location, a.category, a.basis, a.policy_version_code,
            CASE WHEN a.basis = 'EXIGENT' THEN p.justification ELSE a.report_reason END AS justification,
            CASE WHEN a.approved_by_id IS NOT NULL THEN ru.name
                 WHEN p.status = 'APPROVED' THEN pu.name END AS approver,
            p.id AS post_id, p.status AS post_status, p.justification IS NOT NULL AS post_justified,
            p.justification_due_at, p.justification_submitted_at
       FROM enforcement_actions a
       LEFT JOIN users ru ON ru.id = a.approved_by_id
       -- Only an exigent action has a post-action request: the condition on a.basis inside the
       -- lateral subquery (kept apart by OFFSET 0) spares the index probe for every other row.
       LEFT JOIN LATERAL (
         SELECT r.id, r.status, r.justification, r.decided_by_id, r.justification_due_at,
                r.justification_submitted_at
           FROM approval_requests r
          WHERE a.basis = 'EXIGENT' AND r.enforcement_action_id = a.id AND r.kind = 'POST_ACTION'
         OFFSET 0
       ) p ON true
       LEFT JOIN users pu ON pu.id = p.decided_by_id
      WHERE a.office_id = $1 AND a.occurred_at >= $2 AND a.occurred_at < $3
        AND NOT EXISTS (SELECT 1 FROM enforcement_action_voids v WHERE v.enforcement_action_id = a.id)
      ORDER BY a.occurred_at, a.id`,
    [office.id, window.start, window.end],
  )) as {
    id: string;
    type: string;
    occurred_at: Date;
    location: string;
    category: string;
    basis: string;
    policy_version_code: string;
    justification: string | null;
    approver: string | null;
    post_id: string | null;
    post_status: string | null;
    post_justified: boolean | null;
    justification_due_at: Date | null;
    justification_submitted_at: Date | null;
  }[];

  const actions: ReportActionRow[] = rows.map((r) => ({
    actionId: r.id,
    type: r.type,
    occurredAt: localTime(r.occurred_at, office.timeZone),
    location: r.location,
    category: r.category,
    basis: r.basis,
    policyVersion: r.policy_version_code,
    justification: r.justification,
    approver: r.approver,
  }));

  const exigent: ExigentRow[] = rows
    .filter((r) => r.basis === 'EXIGENT' && r.justification_due_at)
    .map((r) => {
      const due = r.justification_due_at as Date;
      const submitted = r.justification_submitted_at;
      const justification = submitted
        ? submitted.getTime() > due.getTime()
          ? 'LATE'
          : 'ON_TIME'
        : now.getTime() > due.getTime()
          ? 'MISSING'
          : 'PENDING';
      const ratification =
        r.post_status === 'APPROVED'
          ? 'RATIFIED'
          : r.post_status === 'DENIED'
            ? 'NOT_RATIFIED'
            : r.post_justified
              ? 'AWAITING_DECISION'
              : 'AWAITING_JUSTIFICATION';
      return {
        actionId: r.id,
        occurredAt: localTime(r.occurred_at, office.timeZone),
        justificationDueAt: localTime(due, office.timeZone),
        justificationSubmittedAt: submitted ? localTime(submitted, office.timeZone) : null,
        justification,
        ratification,
      } satisfies ExigentRow;
    });

  const [requests] = (await ctx.manager.query(
    `SELECT count(*)::int AS made,
            count(*) FILTER (WHERE status = 'APPROVED')::int AS approved,
            count(*) FILTER (WHERE status = 'DENIED')::int AS denied,
            count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
            count(*) FILTER (WHERE status = 'WITHDRAWN')::int AS withdrawn,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - requested_at) / 3600)
              FILTER (WHERE status IN ('APPROVED', 'DENIED')) AS median
       FROM approval_requests
      WHERE requested_week = $2 AND office_id = $1 AND kind <> 'POST_ACTION'`,
    [office.id, weekStart],
  )) as {
    made: number;
    approved: number;
    denied: number;
    pending: number;
    withdrawn: number;
    median: number | null;
  }[];

  const content: WeeklyReportContent = {
    officeCode: office.code,
    timeZone: office.timeZone,
    weekStart,
    from: window.start.toISOString(),
    to: window.end.toISOString(),
    policyVersions: versionsOfWeek(await scheduleEntries(ctx), weekStart),
    actions,
    totalsByCategory: tally(rows.map((r) => r.category)),
    totalsByActionType: tally(rows.map((r) => r.type)),
    totalsByBasis: tally(rows.map((r) => r.basis)),
    requests: {
      made: requests.made,
      approved: requests.approved,
      denied: requests.denied,
      pending: requests.pending,
      withdrawn: requests.withdrawn,
      medianDecisionHours:
        requests.median === null ? null : Math.round(Number(requests.median) * 100) / 100,
    },
    exigent,
    latePostActionCount: exigent.filter((e) => e.justification === 'LATE').length,
    missingPostActionCount: exigent.filter((e) => e.justification === 'MISSING').length,
  };
  const unsubmittedDueTimes = rows
    .filter((r) => r.basis === 'EXIGENT' && r.justification_due_at && !r.justification_submitted_at)
    .map((r) => (r.justification_due_at as Date).getTime());
  return { content, validity: validityAround(now.getTime(), unsubmittedDueTimes) };
}

async function revisionsOf(
  ctx: RequestContext,
  officeId: string,
  weekStart: string,
): Promise<WeeklyReportRevisionEntity[]> {
  return ctx.manager
    .getRepository(WeeklyReportRevisionEntity)
    .find({ where: { officeId, weekStart }, order: { revision: 'ASC' } });
}

function fromRevision(
  office: OfficeEntity,
  rev: WeeklyReportRevisionEntity,
  all: WeeklyReportRevisionEntity[],
  due: Date,
): ReportView {
  const window = weekWindow(rev.weekStart, office.timeZone);
  return {
    office,
    weekStart: rev.weekStart,
    from: window.start,
    to: window.end,
    status: rev.revision === 1 ? ReportStatus.SUBMITTED : ReportStatus.AMENDED,
    revision: rev.revision,
    submittedAt: rev.submittedAt,
    submittedById: rev.submittedById,
    note: rev.note,
    amendReason: rev.amendReason,
    dataCutoff: rev.dataCutoff,
    dueAt: due,
    content: rev.content,
    revisions: all,
  };
}

/** The latest submitted revision (or the one asked for), or else a live draft. */
export async function weeklyReport(
  ctx: RequestContext,
  args: { officeCode: string; weekStart: string; revision?: number | null },
): Promise<ReportView> {
  checkWeekStart('weekStart', args.weekStart);
  const office = await readableOffice(ctx, args.officeCode);
  const now = ctx.clock.now();
  if (args.weekStart > weekStartOf(now, office.timeZone))
    throw badInput('weekStart', 'the week has not started yet');
  // Three independent reads at once (on separate pooled connections); the week's version token,
  // which a draft needs read before its records, among them.
  const [all, schedule, token] = await Promise.all([
    revisionsOf(ctx, office.id, args.weekStart),
    scheduleEntries(ctx),
    weekToken(ctx, office.id, args.weekStart),
  ]);
  const due = dueAt(schedule, office, args.weekStart);
  if (args.revision !== null && args.revision !== undefined) {
    const rev = all.find((r) => r.revision === args.revision);
    if (!rev) throw notFound('Weekly report revision', String(args.revision));
    return fromRevision(office, rev, all, due);
  }
  const latest = all[all.length - 1];
  if (latest) return fromRevision(office, latest, all, due);
  const window = weekWindow(args.weekStart, office.timeZone);
  return {
    office,
    weekStart: args.weekStart,
    from: window.start,
    to: window.end,
    status: ReportStatus.DRAFT,
    revision: null,
    submittedAt: null,
    submittedById: null,
    note: null,
    amendReason: null,
    dataCutoff: now,
    dueAt: due,
    content: await liveDraft(ctx, office, args.weekStart, schedule, token),
    revisions: [],
  };
}

async function storeRevision(
  tx: RequestContext,
  office: OfficeEntity,
  weekStart: string,
  revision: number,
  text: { note?: string | null; amendReason?: string | null },
): Promise<WeeklyReportRevisionEntity> {
  const now = tx.clock.now();
  const content = await compileWeek(tx, office, weekStart);
  const repo = tx.manager.getRepository(WeeklyReportRevisionEntity);
  try {
    return await repo.save(
      repo.create({
        officeId: office.id,
        weekStart,
        revision,
        content,
        note: text.note?.trim() || null,
        amendReason: text.amendReason?.trim() ?? null,
        submittedById: tx.user.id,
        submittedAt: now,
        dataCutoff: now,
      }),
    );
  } catch (err) {
    // Two supervisors submitting the same week at once: the unique index lets one through.
    if (
      err instanceof QueryFailedError &&
      (err.driverError as { code?: string }).code === '23505'
    ) {
      throw conflict('Someone else submitted this week a moment ago.');
    }
    throw err;
  }
}

async function writableWeek(
  tx: RequestContext,
  officeCode: string,
  weekStart: string,
): Promise<OfficeEntity> {
  checkWeekStart('input.weekStart', weekStart);
  const office = await readableOffice(tx, officeCode);
  const window = weekWindow(weekStart, office.timeZone);
  if (tx.clock.now().getTime() < window.end.getTime()) {
    throw conflict(
      `The week of ${weekStart} has not ended yet (it ends ${localTime(window.end, office.timeZone)}).`,
    );
  }
  return office;
}

export async function submitWeeklyReport(
  ctx: RequestContext,
  input: { officeCode: string; weekStart: string; note?: string | null },
): Promise<ReportView> {
  return inTransaction(ctx, async (tx) => {
    const office = await writableWeek(tx, input.officeCode, input.weekStart);
    const existing = await revisionsOf(tx, office.id, input.weekStart);
    if (existing.length) throw conflict('This week has already been submitted; amend it instead.');
    const rev = await storeRevision(tx, office, input.weekStart, 1, { note: input.note });
    await writeAudit(tx, {
      operation: 'submitWeeklyReport',
      recordType: 'WeeklyReport',
      recordIds: [rev.id],
      officeIds: [office.id],
      change: { weekStart: input.weekStart, revision: 1, actions: rev.content.actions.length },
    });
    return fromRevision(
      office,
      rev,
      [rev],
      dueAt(await scheduleEntries(tx), office, input.weekStart),
    );
  });
}

export async function amendWeeklyReport(
  ctx: RequestContext,
  input: { officeCode: string; weekStart: string; reason: string },
): Promise<ReportView> {
  return inTransaction(ctx, async (tx) => {
    const office = await writableWeek(tx, input.officeCode, input.weekStart);
    const existing = await revisionsOf(tx, office.id, input.weekStart);
    if (!existing.length) throw conflict('This week has not been submitted yet; submit it first.');
    const revision = existing[existing.length - 1].revision + 1;
    const rev = await storeRevision(tx, office, input.weekStart, revision, {
      amendReason: input.reason,
    });
    await writeAudit(tx, {
      operation: 'amendWeeklyReport',
      recordType: 'WeeklyReport',
      recordIds: [rev.id],
      officeIds: [office.id],
      reason: input.reason.trim(),
      change: { weekStart: input.weekStart, revision, actions: rev.content.actions.length },
    });
    return fromRevision(
      office,
      rev,
      [...existing, rev],
      dueAt(await scheduleEntries(tx), office, input.weekStart),
    );
  });
}

export interface ComplianceRow {
  office: OfficeEntity;
  weekStart: string;
  dueAt: Date;
  status: ComplianceStatus;
  submittedAt: Date | null;
  revisions: number;
}

function complianceOf(
  first: WeeklyReportRevisionEntity | undefined,
  due: Date,
  now: Date,
): ComplianceStatus {
  if (first)
    return first.submittedAt.getTime() <= due.getTime()
      ? ComplianceStatus.ON_TIME
      : ComplianceStatus.LATE;
  return now.getTime() > due.getTime() ? ComplianceStatus.MISSING : ComplianceStatus.NOT_DUE;
}

/** Headquarters: for every office, the week's report on time, late, missing or not yet due. */
export async function reportingCompliance(
  ctx: RequestContext,
  weekStart: string,
): Promise<ComplianceRow[]> {
  checkWeekStart('weekStart', weekStart);
  const offices = await ctx.manager.getRepository(OfficeEntity).find({ order: { code: 'ASC' } });
  // Submission times only: the frozen content is large and not needed here.
  const revisions = await ctx.manager.getRepository(WeeklyReportRevisionEntity).find({
    where: { weekStart },
    select: { id: true, officeId: true, revision: true, submittedAt: true },
  });
  const now = ctx.clock.now();
  const entries = await scheduleEntries(ctx);
  const out: ComplianceRow[] = [];
  for (const office of offices) {
    const mine = revisions
      .filter((r) => r.officeId === office.id)
      .sort((a, b) => a.revision - b.revision);
    const due = dueAt(entries, office, weekStart);
    out.push({
      office,
      weekStart,
      dueAt: due,
      status: complianceOf(mine[0], due, now),
      submittedAt: mine[0]?.submittedAt ?? null,
      revisions: mine.length,
    });
  }
  return out;
}

export interface ReportListing {
  office: OfficeEntity;
  weekStart: string;
  status: ReportStatus;
  revision: number | null;
  submittedAt: Date | null;
  dueAt: Date;
  compliance: ComplianceStatus;
}

/** Office-weeks in a range, for listing (no content): supervisors their office, HQ any. */
export async function weeklyReports(
  ctx: RequestContext,
  filter: { officeCodes?: string[] | null; from: string; to: string; status?: ReportStatus | null },
): Promise<ReportListing[]> {
  checkDateRange(filter);
  const scope = readScope(ctx.user);
  const repo = ctx.manager.getRepository(OfficeEntity);
  let offices: OfficeEntity[];
  if (filter.officeCodes?.length) {
    offices = [];
    for (const code of new Set(filter.officeCodes)) offices.push(await readableOffice(ctx, code));
  } else {
    offices =
      scope === undefined
        ? await repo.find({ order: { code: 'ASC' } })
        : [await repo.findOneOrFail({ where: { id: scope } })];
  }
  const now = ctx.clock.now();
  const firstMonday = weekStartOf(new Date(`${filter.from}T12:00:00Z`), 'UTC');
  const lastMonday = weekStartOf(new Date(`${filter.to}T12:00:00Z`), 'UTC');
  if (weeksBetween(firstMonday, lastMonday) * offices.length > MAX_LISTING) {
    throw badInput(
      'filter.from',
      `the range covers more than ${MAX_LISTING} office-weeks; narrow it`,
    );
  }
  const mondays = mondaysBetween(firstMonday, lastMonday);
  const revisions = await ctx.manager
    .getRepository(WeeklyReportRevisionEntity)
    .createQueryBuilder('r')
    .select(['r.officeId', 'r.weekStart', 'r.revision', 'r.submittedAt'])
    .where('r.officeId = ANY(:offices::uuid[]) AND r.weekStart BETWEEN :from AND :to', {
      offices: offices.map((o) => o.id),
      from: firstMonday,
      to: lastMonday,
    })
    .getMany();
  const entries = await scheduleEntries(ctx);
  const out: ReportListing[] = [];
  for (const office of offices) {
    const current = weekStartOf(now, office.timeZone);
    for (const monday of mondays) {
      if (monday > current) continue;
      const mine = revisions
        .filter((r) => r.officeId === office.id && r.weekStart === monday)
        .sort((a, b) => a.revision - b.revision);
      const last = mine[mine.length - 1];
      const status = !last
        ? ReportStatus.DRAFT
        : last.revision === 1
          ? ReportStatus.SUBMITTED
          : ReportStatus.AMENDED;
      if (filter.status && filter.status !== status) continue;
      const due = dueAt(entries, office, monday);
      out.push({
        office,
        weekStart: monday,
        status,
        revision: last?.revision ?? null,
        submittedAt: mine[0]?.submittedAt ?? null,
        dueAt: due,
        compliance: complianceOf(mine[0], due, now),
      });
    }
  }
  return out;
}
