/**
 * What the weekly reports add to the calendar (`common/calendar.ts`: week starts, week windows,
 * adding days): runs of weeks, and instants written as an office's wall-clock time, fast. Pure.
 */
import { IANAZone } from 'luxon';
import { addDays, daysBetween } from '../../common/calendar';

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
