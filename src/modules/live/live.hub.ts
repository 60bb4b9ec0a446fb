/**
 * One process's live events: published from inside writes (a NOTIFY in the writer's transaction
 * on a real PostgreSQL, which the database delivers to every listening process on commit; an
 * after-commit queue on the embedded database, whose one process is the only one), received in
 * order, and handed to each subscription of this process that may see them.
 *
 * Each event is checked per subscriber against the signed-in user as the database says now (a
 * deactivated user's subscriptions end at the next event, or at once on USER_DEACTIVATED), then
 * against the subscription's own filter, which reads the request row (loaded once per event).
 */
import type { DataSource, EntityManager, EntitySubscriberInterface } from 'typeorm';
import type { Caller } from '../../auth/caller';
import type { ServiceCaches } from '../../common/caches';
import { AppError, ErrorCode } from '../../common/errors';
import type { Logger } from '../../logger';
import type { ApprovalRequestEntity } from '../approvals/approval.entity';
import { committedRequest } from '../approvals/approval.queries';
import { currentCaller } from '../users/user.service';
import { Channel } from './live.channel';
import { LIVE_CHANNEL, parseLiveEvent, type LiveEvent, type LiveEventKind } from './live.events';
import type { LiveBus } from './live.publish';

/** What a subscription receives: the event and the request as committed. */
export interface LiveDelivery {
  kind: LiveEventKind;
  at: Date;
  request: ApprovalRequestEntity;
}

export type RequestEvent = Extract<LiveEvent, { requestId: string }>;

export interface LiveFilter {
  /** Before anything is read: whether the event may concern this subscription at all. */
  wants(event: RequestEvent): boolean;
  /** With the request read: whether this caller sees it. */
  accepts(event: RequestEvent, request: ApprovalRequestEntity, caller: Caller): boolean;
}

interface Subscriber {
  userId: string;
  filter: LiveFilter;
  channel: Channel<LiveDelivery>;
}

export interface LiveHubOptions {
  dataSource: DataSource;
  caches: ServiceCaches;
  log: Logger;
  /** `notify`: through PostgreSQL NOTIFY (a listener feeds `receive`); `memory`: in this process. */
  mode: 'notify' | 'memory';
}

const PENDING = Symbol('liveEvents');

export class LiveHub implements LiveBus {
  private readonly subscribers = new Set<Subscriber>();
  private readonly goneHandlers = new Set<(userId: string) => void>();
  /** Events are handled one after another, in the order they arrived. */
  private queue: Promise<void> = Promise.resolve();
  private readonly afterCommit: EntitySubscriberInterface | null;
  private closed = false;

  constructor(private readonly options: LiveHubOptions) {
    if (options.mode === 'memory') {
      // TypeORM tells every subscriber when a query runner's transaction ends; the events the
      // transaction published go out only when its outermost level commits.
      this.afterCommit = {
        afterTransactionCommit: ({ queryRunner }) => {
          if (queryRunner.isTransactionActive) return;
          const data = queryRunner.data as { [PENDING]?: LiveEvent[] };
          const events = data[PENDING];
          delete data[PENDING];
          for (const event of events ?? []) this.enqueue(event);
        },
        afterTransactionRollback: ({ queryRunner }) => {
          if (queryRunner.isTransactionActive) return;
          delete (queryRunner.data as { [PENDING]?: LiveEvent[] })[PENDING];
        },
      };
      options.dataSource.subscribers.push(this.afterCommit);
    } else {
      this.afterCommit = null;
    }
  }

  async publish(manager: EntityManager, event: LiveEvent): Promise<void> {
    if (this.options.mode === 'notify') {
      // Delivered by PostgreSQL when (and only if) the transaction commits.
      await manager.query(`SELECT pg_notify($1, $2)`, [LIVE_CHANNEL, JSON.stringify(event)]);
      return;
    }
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) {
      const data = runner.data as { [PENDING]?: LiveEvent[] };
      (data[PENDING] ??= []).push(event);
    } else {
      this.enqueue(event);
    }
  }

  /** A notification's payload (from the PostgreSQL listener). */
  receive(payload: string | undefined): void {
    const event = parseLiveEvent(payload);
    if (!event) {
      this.options.log.warn({ payload }, 'malformed live event ignored');
      return;
    }
    this.enqueue(event);
  }

  /** Called with a user id when that user's subscriptions end (deactivated): the socket closes. */
  onCallerGone(handler: (userId: string) => void): () => void {
    this.goneHandlers.add(handler);
    return () => this.goneHandlers.delete(handler);
  }

  /** A new subscription of `caller`: an iterator of what `filter` lets through. */
  subscribe(caller: Caller, filter: LiveFilter): AsyncIterableIterator<LiveDelivery> {
    const subscriber: Subscriber = {
      userId: caller.id,
      filter,
      channel: new Channel<LiveDelivery>(() => this.subscribers.delete(subscriber)),
    };
    if (this.closed) subscriber.channel.end();
    else this.subscribers.add(subscriber);
    return subscriber.channel;
  }

  /** Subscriptions open in this process (for tests and the shutdown log). */
  get size(): number {
    return this.subscribers.size;
  }

  /** Ends every subscription; publishing still works (writes in flight may still commit). */
  close(): void {
    this.closed = true;
    for (const s of [...this.subscribers]) s.channel.end();
    if (this.afterCommit) {
      const list = this.options.dataSource.subscribers;
      const at = list.indexOf(this.afterCommit);
      if (at >= 0) list.splice(at, 1);
    }
  }

  /**
   * This process's listener is listening again after losing its connection: events committed in
   * the gap never reached it and cannot be replayed. Every subscription open now may have missed
   * some, so each ends with SERVICE_UNAVAILABLE (after the events already received are handed
   * out); its client subscribes again and re-reads what it follows (`approvalQueue`,
   * `approvalRequest`). A subscription made from now on misses nothing: the listener is back.
   */
  resync(): void {
    this.queue = this.queue.then(() => {
      for (const s of [...this.subscribers])
        s.channel.end(
          new AppError(
            ErrorCode.SERVICE_UNAVAILABLE,
            'Live events may have been missed while this service reconnected to the database; subscribe again and re-read what you follow.',
            { reason: 'LIVE_EVENTS_MISSED' },
          ),
        );
    });
  }

  /** Ends a user's subscriptions here and tells the sockets (deactivation). */
  private userGone(userId: string): void {
    for (const s of [...this.subscribers]) if (s.userId === userId) s.channel.end();
    for (const handler of this.goneHandlers) handler(userId);
  }

  private enqueue(event: LiveEvent): void {
    this.queue = this.queue
      .then(() => this.dispatch(event))
      .catch((err: unknown) => {
        this.options.log.warn({ err, kind: event.kind }, 'live event not delivered');
      });
  }

  private async dispatch(event: LiveEvent): Promise<void> {
    if (event.kind === 'USER_DEACTIVATED') {
      this.userGone(event.userId);
      return;
    }
    const interested = [...this.subscribers].filter((s) => s.filter.wants(event));
    if (!interested.length) return;
    const { dataSource, caches } = this.options;
    const request = await committedRequest(dataSource.manager, event.requestId);
    if (!request) return;
    const callers = new Map<string, Caller | null>();
    for (const s of interested) {
      if (s.channel.ended) continue;
      if (!callers.has(s.userId))
        callers.set(
          s.userId,
          await currentCaller({ manager: dataSource.manager, deps: { caches } }, s.userId),
        );
      const caller = callers.get(s.userId);
      if (!caller) {
        this.userGone(s.userId);
        continue;
      }
      if (s.filter.accepts(event, request, caller))
        s.channel.push({ kind: event.kind, at: new Date(event.at), request });
    }
  }
}
