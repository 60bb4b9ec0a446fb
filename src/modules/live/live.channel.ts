/**
 * One subscription's queue of deliveries, as the async iterator GraphQL's `subscribe` reads. A
 * subscriber that stops reading cannot make the process hold events without bound: past `max`
 * undelivered events its subscription ends with an error (the client subscribes again and reads
 * the current state).
 */
import { AppError, ErrorCode } from '../../common/errors';

export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: Error) => void } | null =
    null;
  private done = false;
  private failure: Error | null = null;

  constructor(
    private readonly onEnd: () => void,
    private readonly max = 256,
  ) {}

  get ended(): boolean {
    return this.done;
  }

  push(value: T): void {
    if (this.done) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    this.queue.push(value);
    if (this.queue.length > this.max)
      this.end(
        new AppError(
          ErrorCode.SERVICE_UNAVAILABLE,
          `More than ${this.max} events waited for this subscription; subscribe again.`,
        ),
      );
  }

  /** Ends the subscription: with `error`, the client gets it; without, a plain completion. */
  end(error?: Error): void {
    if (this.done) return;
    this.done = true;
    this.failure = error ?? null;
    this.queue.length = 0;
    this.onEnd();
    if (this.waiting) {
      const { resolve, reject } = this.waiting;
      this.waiting = null;
      if (error) reject(error);
      else resolve({ value: undefined, done: true });
      this.failure = null;
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length) return Promise.resolve({ value: this.queue.shift() as T, done: false });
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      return Promise.reject(failure);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.end();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
