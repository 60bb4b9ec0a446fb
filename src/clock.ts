/**
 * The one source of "now". Services take it from the request context so that tests can set the
 * time (deadlines, "not in the future" checks) without touching the system clock.
 */
export interface Clock {
  now(): Date;
  /** Set when the clock is a demo's (DEMO_CLOCK): it started at a chosen instant, not the real time. */
  readonly demo?: boolean;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(to: Date): void {
    this.current = new Date(to.getTime());
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A clock that starts at `start` when created and then runs at real speed (DEMO_CLOCK). */
export function offsetClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset), demo: true };
}
