/**
 * Week arithmetic in an office's time zone. A week runs from Monday 00:00 local to the next Monday
 * 00:00 local, so it lasts 167 or 169 hours when the clocks change inside it. Pure: no clock.
 */
import { DateTime, IANAZone } from 'luxon';

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

const DAY_MS = 86_400_000;

/** Whole days from `from` to `to` ('YYYY-MM-DD'; negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** How many Mondays `mondaysBetween(from, to)` gives, known before building them. */
export function weeksBetween(from: string, to: string): number {
  return Math.max(0, Math.floor(daysBetween(from, to) / 7) + 1);
}

/** The Mondays from `from` to `to` inclusive (both Mondays). */
export function mondaysBetween(from: string, to: string): string[] {
  return Array.from({ length: weeksBetween(from, to) }, (_, i) => addDays(from, 7 * i));
}

const HOUR_MS = 3600_000;
const MINUTE_MS = 60_000;

/** Per zone, the UTC offset (minutes) of each UTC hour with no clock change inside it. */
const steadyOffsets = new Map<string, Map<number, number | null>>();

/**
 * The zone's UTC offset in minutes at `ms`. Asking the zone database costs ~20 µs, so each UTC hour
 * is asked once: when its two ends have the same offset the whole hour has it (clock changes are
 * months apart); an hour holding a change is asked per instant.
 */
function offsetAt(zone: IANAZone, ms: number): number {
  let hours = steadyOffsets.get(zone.name);
  if (!hours) steadyOffsets.set(zone.name, (hours = new Map()));
  const hour = Math.floor(ms / HOUR_MS);
  let steady = hours.get(hour);
  if (steady === undefined) {
    const first = zone.offset(hour * HOUR_MS);
    steady = first === zone.offset((hour + 1) * HOUR_MS - 1) ? first : null;
    if (hours.size > 100_000) hours.clear();
    hours.set(hour, steady);
  }
  return steady ?? zone.offset(ms);
}

const zones = new Map<string, IANAZone>();

/**
 * An instant as local wall-clock time in `timeZone`, ISO 8601 with the offset, milliseconds only
 * when not zero: what luxon's `toISO({ suppressMilliseconds: true })` gives, at a fraction of its
 * cost (a weekly report formats thousands of instants).
 */
export function localTime(instant: Date, timeZone: string): string {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = IANAZone.create(timeZone);
    if (!zone.isValid) throw new Error(`unknown time zone ${timeZone}`);
    zones.set(timeZone, zone);
  }
  const ms = instant.getTime();
  const offset = offsetAt(zone, ms);
  const wall = new Date(ms + offset * MINUTE_MS).toISOString(); // 'YYYY-MM-DDTHH:mm:ss.sssZ'
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${ms % 1000 === 0 ? wall.slice(0, 19) : wall.slice(0, 23)}${sign}${hh}:${mm}`;
}
