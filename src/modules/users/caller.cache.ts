/**
 * Signed-in users' rows reused across requests for a short time (`CALLER_CACHE_MS`, 2 s by
 * default): a busy client's requests then cost no user lookup each. Only found, active users are
 * kept, each for at most the time set; a deactivation evicts the user at once in this process, and
 * every other process reads the row again within that time.
 */
import { serviceCache } from '../../common/caches';
import type { Caller } from '../../auth/caller';

/** Users kept at most; the oldest go first beyond it. */
const MAX_CALLERS = 10_000;

export class CallerCache {
  private readonly kept = new Map<string, { caller: Caller; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(userId: string): Caller | undefined {
    const hit = this.kept.get(userId);
    if (!hit) return undefined;
    if (hit.until > this.now()) return hit.caller;
    this.kept.delete(userId);
    return undefined;
  }

  set(userId: string, caller: Caller): void {
    if (this.ttlMs <= 0) return;
    this.kept.delete(userId);
    if (this.kept.size >= MAX_CALLERS) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(userId, { caller: Object.freeze({ ...caller }), until: this.now() + this.ttlMs });
  }

  evict(userId: string): void {
    this.kept.delete(userId.toLowerCase());
  }
}

export const callerCache = serviceCache('callers', (ms) => new CallerCache(ms ?? 2000));
