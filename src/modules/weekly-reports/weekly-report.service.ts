import { QueryFailedError } from 'typeorm';
import { RequestContext, inTransaction } from '../../common/context';
import { conflict } from '../../common/errors';
import { scheduleEntries } from '../assessments/assessment.service';
import { writeAudit } from '../audit/audit.service';
import type { OfficeEntity } from '../users/office.entity';
import { readableOffice } from '../users/office.service';
import { compileWeek } from './weekly-report.compile';
import type { WeeklyReportContent } from './weekly-report.content';
import { checkWeekStart, dueAt, ReportStatus } from './weekly-report.due';
import { WeeklyReportRevisionEntity } from './weekly-report.entity';
import { localTime } from './week';
import { weekWindow } from '../../common/calendar';

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

export async function revisionsOf(
  ctx: RequestContext,
  officeId: string,
  weekStart: string,
): Promise<WeeklyReportRevisionEntity[]> {
  return ctx.manager
    .getRepository(WeeklyReportRevisionEntity)
    .find({ where: { officeId, weekStart }, order: { revision: 'ASC' } });
}

export function fromRevision(
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
  const { actions, ...summary } = content;
  try {
    const rev = await repo.save(
      repo.create({
        officeId: office.id,
        weekStart,
        revision,
        content,
        summary,
        actionCount: actions.length,
        note: text.note?.trim() || null,
        amendReason: text.amendReason?.trim() ?? null,
        submittedById: tx.user.id,
        submittedAt: now,
        dataCutoff: now,
      }),
    );
    // The actions a row each, taken from the content just stored (not sent a second time).
    await tx.manager.query(
      `INSERT INTO weekly_report_revision_actions (revision_id, occurred_at, action_id, action)
       SELECT r.id, (a.value ->> 'occurredAt')::timestamptz, (a.value ->> 'actionId')::uuid, a.value
         FROM weekly_report_revisions r, jsonb_array_elements(r.content -> 'actions') a
        WHERE r.id = $1`,
      [rev.id],
    );
    return rev;
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
