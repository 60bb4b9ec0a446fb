/**
 * Week arithmetic in an office's time zone. A week runs from Monday 00:00 local to the next Monday
 * 00:00 local, so it lasts 167 or 169 hours when the clocks change inside it. Pure: no clock.
 */
import { DateTime } from 'luxon';

export interface WeekWindow {
  /** The Monday, 'YYYY-MM-DD'. */
  weekStart: string;
  /** Monday 00:00 local, as an instant. */
  start: Date;
  /** The next Monday 00:00 local (exclusive). */
  end: Date;
}

/** True when `date` ('YYYY-MM-DD') is a Monday. */
export function isMonday(date: string): boolean {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday === 1;
}

/** The Monday of the week containing `instant`, in `timeZone`. */
export function weekStartOf(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).startOf('week').toISODate() as string;
}

/** The instants bounding the week that starts on Monday `weekStart` in `timeZone`. */
export function weekWindow(weekStart: string, timeZone: string): WeekWindow {
  const start = DateTime.fromISO(weekStart, { zone: timeZone }).startOf('day');
  if (!start.isValid) throw new Error(`invalid week start ${weekStart} in ${timeZone}`);
  return { weekStart, start: start.toJSDate(), end: start.plus({ weeks: 1 }).toJSDate() };
}

/** 'YYYY-MM-DD' plus `days`. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
}

/** The Mondays from `from` to `to` inclusive (both Mondays). */
export function mondaysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 7)) out.push(d);
  return out;
}

/** An instant as local wall-clock time in `timeZone`, ISO 8601 with the offset. */
export function localTime(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISO({
    suppressMilliseconds: true,
  }) as string;
}
