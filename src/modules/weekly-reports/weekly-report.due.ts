/**
 * A week's statuses and due time: when its report is due (each policy version sets its due hours,
 * counted from the end of the office's week) and how a submission stands against that. Pure: the
 * policy schedule and the clock reading are arguments.
 */
import { badInput } from '../../common/errors';
import { policyVersion, versionInForce, type ScheduleEntry } from '../assessments/policy/engine';
import type { OfficeEntity } from '../users/office.entity';
import type { WeeklyReportRevisionEntity } from './weekly-report.entity';
import { addDays, isCalendarDate, isMonday, weekWindow } from '../../common/calendar';

const HOUR = 3600_000;
/** When no version covers the week: the due time most versions use. */
const DEFAULT_DUE_HOURS = 12;

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

export function checkWeekStart(field: string, weekStart: string): void {
  if (!isCalendarDate(weekStart) || !isMonday(weekStart))
    throw badInput(field, `${weekStart} is not a Monday`);
}

/** Versions in force on any day of the week. */
export function versionsOfWeek(entries: ScheduleEntry[], weekStart: string): string[] {
  const codes = new Set<string>();
  for (let i = 0; i < 7; i++) {
    const v = versionInForce(entries, addDays(weekStart, i));
    if (v) codes.add(v.code);
  }
  return [...codes];
}

/** Due a version-set number of hours after the week ends (Monday 00:00 local). */
export function dueAt(entries: ScheduleEntry[], office: OfficeEntity, weekStart: string): Date {
  const window = weekWindow(weekStart, office.timeZone);
  const v = versionInForce(entries, addDays(weekStart, 6));
  const hours = (v && policyVersion(v.code)?.parameters.weeklyReportDueHours) ?? DEFAULT_DUE_HOURS;
  return new Date(window.end.getTime() + hours * HOUR);
}

/** How the first submission stands against the due time at `now`. */
export function complianceOf(
  first: Pick<WeeklyReportRevisionEntity, 'submittedAt'> | undefined,
  due: Date,
  now: Date,
): ComplianceStatus {
  if (first)
    return first.submittedAt.getTime() <= due.getTime()
      ? ComplianceStatus.ON_TIME
      : ComplianceStatus.LATE;
  return now.getTime() > due.getTime() ? ComplianceStatus.MISSING : ComplianceStatus.NOT_DUE;
}
