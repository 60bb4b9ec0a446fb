/**
 * The `weeklyReport` query's read: the report's head (status, revision, due time, the revisions
 * without their content) and a source its parts are read from when selected (`report-source.ts`),
 * so that the first read of any week costs its totals and one page of actions, not the whole week.
 *
 * A draft week is compiled whole and kept (the draft cache) only while it is small (up to
 * `COMPILE_UP_TO` actions, and only if the cache keeps anything): a kept draft answers every part
 * from memory. A bigger week is read from the live records a part at a time, and a kept draft of
 * it (compiled by another reader) is still used while its token holds.
 */
import type { RequestContext } from '../../common/context';
import { badInput, notFound } from '../../common/errors';
import { weekStartOf, weekWindow } from '../../common/calendar';
import { scheduleEntries } from '../assessments/assessment.service';
import type { OfficeEntity } from '../users/office.entity';
import { readableOffice } from '../users/office.service';
import { reportDraftCache } from './report.caches';
import { contentSource, type ReportSource } from './report-source';
import { liveSource, revisionSource, weekTotals } from './report-source.records';
import { weekToken } from './week-versions';
import { checkWeekStart, dueAt, ReportStatus, versionsOfWeek } from './weekly-report.due';
import { liveDraft } from './weekly-report.drafts';
import { WeeklyReportRevisionEntity } from './weekly-report.entity';
import type { ReportView } from './weekly-report.service';

/** Draft weeks up to this many actions are compiled whole and kept; bigger ones are paged live. */
export const COMPILE_UP_TO = 500;

/** A report as the API shows it, its parts read from `source` when selected. */
export type ReportHead = Omit<ReportView, 'content'> & { source: ReportSource };

/** A report already compiled (a mutation's answer) as a head over its content. */
export function headOf(view: ReportView): ReportHead {
  const { content, ...head } = view;
  return { ...head, source: contentSource(content) };
}

/** The week's revisions, oldest first, without their content (read a part at a time). */
async function revisionHeads(
  ctx: RequestContext,
  officeId: string,
  weekStart: string,
): Promise<WeeklyReportRevisionEntity[]> {
  return ctx.manager.getRepository(WeeklyReportRevisionEntity).find({
    select: {
      id: true,
      officeId: true,
      weekStart: true,
      revision: true,
      note: true,
      amendReason: true,
      submittedById: true,
      submittedAt: true,
      dataCutoff: true,
    },
    where: { officeId, weekStart },
    order: { revision: 'ASC' },
  });
}

/** The latest submitted revision (or the one asked for), or else a live draft. */
export async function weeklyReportHead(
  ctx: RequestContext,
  args: { officeCode: string; weekStart: string; revision?: number | null },
): Promise<ReportHead> {
  checkWeekStart('weekStart', args.weekStart);
  const office = await readableOffice(ctx, args.officeCode);
  const now = ctx.clock.now();
  if (args.weekStart > weekStartOf(now, office.timeZone))
    throw badInput('weekStart', 'the week has not started yet');
  // Independent reads at once (on separate pooled connections); the week's version token, which
  // a draft needs read before its records, among them.
  const [all, schedule, token] = await Promise.all([
    revisionHeads(ctx, office.id, args.weekStart),
    scheduleEntries(ctx),
    weekToken(ctx, office.id, args.weekStart),
  ]);
  const due = dueAt(schedule, office, args.weekStart);
  const window = weekWindow(args.weekStart, office.timeZone);
  const head = {
    office,
    weekStart: args.weekStart,
    from: window.start,
    to: window.end,
    dueAt: due,
    revisions: all,
  };
  const wanted =
    args.revision !== null && args.revision !== undefined
      ? all.find((r) => r.revision === args.revision)
      : all[all.length - 1];
  if (args.revision !== null && args.revision !== undefined && !wanted)
    throw notFound('Weekly report revision', String(args.revision));
  if (wanted)
    return {
      ...head,
      status: wanted.revision === 1 ? ReportStatus.SUBMITTED : ReportStatus.AMENDED,
      revision: wanted.revision,
      submittedAt: wanted.submittedAt,
      submittedById: wanted.submittedById,
      note: wanted.note,
      amendReason: wanted.amendReason,
      dataCutoff: wanted.dataCutoff,
      source: revisionSource(ctx, wanted.id),
    };
  return {
    ...head,
    status: ReportStatus.DRAFT,
    revision: null,
    submittedAt: null,
    submittedById: null,
    note: null,
    amendReason: null,
    dataCutoff: now,
    source: await draftSource(ctx, office, args.weekStart, schedule, token),
  };
}

async function draftSource(
  ctx: RequestContext,
  office: OfficeEntity,
  weekStart: string,
  schedule: Awaited<ReturnType<typeof scheduleEntries>>,
  token: string | null,
): Promise<ReportSource> {
  const window = weekWindow(weekStart, office.timeZone);
  const cache = ctx.deps.caches.get(reportDraftCache);
  const inTransaction = !!ctx.manager.queryRunner?.isTransactionActive;
  if (token !== null && !inTransaction) {
    const kept = cache.get(`${office.id}/${weekStart}`, token, ctx.clock.now().getTime());
    // The policy schedule can change without touching the week: its versions are read every time.
    if (kept)
      return contentSource({ ...kept, policyVersions: versionsOfWeek(schedule, weekStart) });
  }
  const totals = await weekTotals(ctx, office.id, weekStart);
  if (totals.actions <= COMPILE_UP_TO && cache.maxWeight > 0)
    return contentSource(await liveDraft(ctx, office, weekStart, schedule, token));
  return liveSource(ctx, office, weekStart, window, schedule, totals);
}
