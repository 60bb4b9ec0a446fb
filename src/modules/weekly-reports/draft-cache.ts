/**
 * Compiled weekly-report drafts, kept per office-week while nothing they were compiled from has
 * changed: each entry carries the week's version token (`report_week_versions`, changed by
 * triggers in the same transaction as every change to the week's records) and the span of clock
 * times over which its time-dependent parts (a post-action justification PENDING until its due
 * time, MISSING after) read the same. A hit needs the token read now to equal the entry's, and the
 * clock inside that span. One cache per running service (a token means nothing to another
 * database); least recently used entries go first once the kept actions exceed `maxRows`.
 */
import type { WeeklyReportContent } from './weekly-report.content';

/** The clock times over which a compiled draft reads the same: after `after`, up to `until`. */
export interface Validity {
  after: number;
  until: number;
}

interface Entry {
  version: string;
  validity: Validity;
  content: WeeklyReportContent;
  rows: number;
}

/**
 * The span around `compiledAt` in which `now > due` has the same answer for every due time
 * (the comparison the draft makes for each unsubmitted post-action justification).
 */
export function validityAround(compiledAt: number, dueTimes: number[]): Validity {
  let after = -Infinity;
  let until = Infinity;
  for (const due of dueTimes) {
    if (compiledAt > due) after = Math.max(after, due);
    else until = Math.min(until, due);
  }
  return { after, until };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class DraftCache {
  private readonly entries = new Map<string, Entry>();
  private rows = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxRows = 200_000) {}

  private static key(officeId: string, weekStart: string): string {
    return `${officeId}/${weekStart}`;
  }

  /** The draft compiled under `version`, if the clock still reads it the same. */
  get(
    officeId: string,
    weekStart: string,
    version: string,
    now: number,
  ): WeeklyReportContent | undefined {
    const key = DraftCache.key(officeId, weekStart);
    const entry = this.entries.get(key);
    if (
      !entry ||
      entry.version !== version ||
      now <= entry.validity.after ||
      now > entry.validity.until
    ) {
      this.misses += 1;
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits += 1;
    return entry.content;
  }

  /** Keeps `content` (frozen: every later reader shares it) under `version`. */
  set(
    officeId: string,
    weekStart: string,
    version: string,
    validity: Validity,
    content: WeeklyReportContent,
  ): void {
    const key = DraftCache.key(officeId, weekStart);
    this.remove(key);
    const rows = content.actions.length + content.exigent.length + 1;
    if (rows > this.maxRows) return;
    this.entries.set(key, { version, validity, content: deepFreeze(content), rows });
    this.rows += rows;
    for (const [oldest, entry] of this.entries) {
      if (this.rows <= this.maxRows) break;
      this.entries.delete(oldest);
      this.rows -= entry.rows;
    }
  }

  clear(): void {
    this.entries.clear();
    this.rows = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.rows -= entry.rows;
  }
}
