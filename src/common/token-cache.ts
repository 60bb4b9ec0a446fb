/**
 * Answers kept while the records they were computed from are unchanged. Each entry carries a
 * token read from the database before those records were (a version the database changes in the
 * same transaction as any change to them: `report_week_versions`), and optionally the span of
 * clock times over which the answer reads the same. A hit needs the token read now to equal the
 * entry's, and the clock inside that span. A change committed after the token was read gives a new
 * token, so an answer that may have missed it is never served again. One cache per running service
 * (a token means nothing to another database); the least recently used entries go first once the
 * kept weight (rows, say) exceeds `maxWeight`. Values are frozen: every later reader shares them.
 */

/** The clock times over which a kept answer reads the same: after `after`, up to `until`. */
export interface Validity {
  after: number;
  until: number;
}

export const ALWAYS: Validity = { after: -Infinity, until: Infinity };

/**
 * The span around `compiledAt` in which `now > due` has the same answer for every due time (the
 * comparison a weekly report makes for each unsubmitted post-action justification).
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

interface Entry<V> {
  token: string;
  validity: Validity;
  value: V;
  weight: number;
}

export class TokenCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private weight = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxWeight: number) {}

  /** The value kept under `key` with this token, if the clock still reads it the same. */
  get(key: string, token: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (
      !entry ||
      entry.token !== token ||
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
    return entry.value;
  }

  set(key: string, token: string, value: V, weight: number, validity: Validity = ALWAYS): void {
    this.remove(key);
    if (weight > this.maxWeight) return;
    this.entries.set(key, { token, validity, value: deepFreeze(value), weight });
    this.weight += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.weight <= this.maxWeight) break;
      this.entries.delete(oldest);
      this.weight -= entry.weight;
    }
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }
}
