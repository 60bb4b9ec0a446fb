/**
 * Calendar dates ('YYYY-MM-DD', no zone) and the local calendar of an office's time zone: what day
 * it is there, the week a moment falls in (Monday 00:00 local to the next Monday 00:00 local, so
 * 167 or 169 hours when the clocks change inside it), adding days. Pure: no clock, "now" is an
 * argument. Every module that reasons about dates uses these.
 */
import { DateTime } from 'luxon';

/** The first and last calendar years any date or instant input may fall in. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written 'YYYY-MM-DD', in the years MIN_YEAR–MAX_YEAR. */
export function isCalendarDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    y >= MIN_YEAR &&
    y <= MAX_YEAR
  );
}

/** The calendar date at `now` in `timeZone`, 'YYYY-MM-DD'. */
export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** 'YYYY-MM-DD' plus `days`. */
export function addDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
}

/** The day after a 'YYYY-MM-DD' date. */
export function nextDay(date: string): string {
  return addDays(date, 1);
}

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` ('YYYY-MM-DD'; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

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
