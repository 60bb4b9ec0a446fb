/**
 * `timestamptz` values from PostgreSQL's text format, parsed without regular expressions.
 *
 * pg's default parser (postgres-date) runs three regular expressions and builds a Date through
 * `setTime` for every value; a page of 50 cases reads several hundred timestamps, and that parser
 * was 6% of the service's main thread in the read-path benchmark (docs/benchmarks.md). With
 * `DateStyle` ISO (PostgreSQL's default, and what pg expects) a value reads
 * `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM[:SS]]`; that form, for years 100 to 9999, is read here digit
 * by digit, and anything else (infinity, BC, years of other widths) goes to pg's own parser as
 * before. Milliseconds are the first three digits of the fraction, truncated as `Date` truncates.
 */
const DASH = 45;
const SPACE = 32;
const COLON = 58;
const DOT = 46;
const PLUS = 43;
const MINUS = 45;

/** The number written by `n` digits at `at`, or -1 if one of them is not a digit. */
function digits(s: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** pg's `timestamptz` parser with the common form read here first; `slow` reads the rest. */
export function timestamptzParser<T>(slow: (text: string) => T): (text: string) => Date | T {
  return (text) => fastTimestamptz(text) ?? slow(text);
}

/** The instant of a `timestamptz` text in the common form; undefined for any other form. */
export function fastTimestamptz(s: string): Date | undefined {
  const n = s.length;
  if (
    n < 22 ||
    s.charCodeAt(4) !== DASH ||
    s.charCodeAt(7) !== DASH ||
    s.charCodeAt(10) !== SPACE ||
    s.charCodeAt(13) !== COLON ||
    s.charCodeAt(16) !== COLON
  )
    return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  // Years 0-99 mean 1900-1999 to Date.UTC; those (and malformed digits) go the long way.
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === DOT) {
    i++;
    for (let place = 0; i < n; i++, place++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      if (place < 3) ms = ms * 10 + d;
      else if (place > 5) return undefined;
    }
    // '.5' is 500 ms, '.05' 50.
    const read = Math.min(i - 20, 3);
    if (read === 0) return undefined;
    ms *= read === 1 ? 100 : read === 2 ? 10 : 1;
  }
  const sign = s.charCodeAt(i);
  if (sign !== PLUS && sign !== MINUS) return undefined;
  const offsetHours = digits(s, i + 1, 2);
  if (offsetHours < 0) return undefined;
  let offset = offsetHours * 3600;
  let end = i + 3;
  for (let part = 0; part < 2 && end < n; part++) {
    const value = s.charCodeAt(end) === COLON ? digits(s, end + 1, 2) : -1;
    if (value < 0) return undefined;
    offset += part === 0 ? value * 60 : value;
    end += 3;
  }
  if (end !== n) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return new Date(utc - (sign === PLUS ? offset : -offset) * 1000);
}
