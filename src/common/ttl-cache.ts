/**
 * Values kept for a fixed time after they were read, then read again: for rows that change rarely
 * and whose change may take effect within that time (who a caller is, an office's name). At most
 * `maxEntries`, the oldest going first; a time of 0 keeps nothing.
 */
export class TtlCache<V> {
  private readonly kept = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(key: string): V | undefined {
    const hit = this.kept.get(key);
    if (!hit) return undefined;
    if (hit.until > this.now()) return hit.value;
    this.kept.delete(key);
    return undefined;
  }

  set(key: string, value: V): void {
    if (this.ttlMs <= 0) return;
    this.kept.delete(key);
    if (this.kept.size >= this.maxEntries) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, { value, until: this.now() + this.ttlMs });
  }

  delete(key: string): void {
    this.kept.delete(key);
  }
}
