/** Office-weeks without their content: headquarters' compliance board and the report listing. */
import { readScope } from '../../auth/permissions';
import type { RequestContext } from '../../common/context';
import { badInput } from '../../common/errors';
import { scheduleEntries } from '../assessments/assessment.service';
import type { OfficeEntity } from '../users/office.entity';
import { allOffices, officeById, readableOffices } from '../users/office.service';
import { checkDateRange } from './date-range';
import {
  checkWeekStart,
  complianceOf,
  ComplianceStatus,
  dueAt,
  ReportStatus,
} from './weekly-report.due';
import { WeeklyReportRevisionEntity } from './weekly-report.entity';
import { mondaysBetween, weeksBetween } from './week';
import { weekStartOf } from '../../common/calendar';

/** At most this many office-weeks in one listing. */
const MAX_LISTING = 5000;

export interface ComplianceRow {
  office: OfficeEntity;
  weekStart: string;
  dueAt: Date;
  status: ComplianceStatus;
  submittedAt: Date | null;
  revisions: number;
}

/** Headquarters: for every office, the week's report on time, late, missing or not yet due. */
export async function reportingCompliance(
  ctx: RequestContext,
  weekStart: string,
): Promise<ComplianceRow[]> {
  checkWeekStart('weekStart', weekStart);
  const offices = await allOffices(ctx);
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
  const offices = filter.officeCodes?.length
    ? await readableOffices(ctx, filter.officeCodes)
    : scope === undefined
      ? await allOffices(ctx)
      : [await officeById(ctx, scope)];
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
