/**
 * Publishing an event from inside a write: the only part of the live module other modules call.
 * The event is written into the caller's transaction (a PostgreSQL NOTIFY, or an after-commit
 * queue on the embedded database), so it reaches subscribers only once that transaction commits,
 * and never for a write that rolled back. The same call hands each request event to the outboxes
 * the service registered (the webhooks' deliveries), in the same transaction.
 */
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import type { LiveEvent } from './live.events';

/** What a running service offers for publishing (`LiveHub`); scripts and seeds have none. */
export interface LiveBus {
  publish(manager: EntityManager, event: LiveEvent): Promise<void>;
}

/** A request event as outboxes get it. */
export type LiveRequestEvent = Extract<LiveEvent, { requestId: string }>;

/**
 * Something that records each request event in the writer's transaction, to act on it after
 * commit (webhooks/webhook.outbox.ts). Registered by the service; the live module names none.
 */
export interface LiveOutbox {
  enqueue(tx: RequestContext, event: LiveRequestEvent): Promise<void>;
}

declare module '../../common/context' {
  interface ServiceDeps {
    /** This process's live-event hub (absent in scripts: their writes publish nothing). */
    live?: LiveBus;
    /** Outboxes every request event is also written to, in the writer's transaction. */
    liveOutboxes?: readonly LiveOutbox[];
  }
}

type Body<E> = E extends unknown ? Omit<E, 'at'> : never;

/** Publishes `event` with the transaction `tx` runs in (at once when it runs in none). */
export async function publishLive(tx: RequestContext, event: Body<LiveEvent>): Promise<void> {
  const full = { ...event, at: tx.clock.now().toISOString() } as LiveEvent;
  const bus = tx.deps.live;
  if (bus) await bus.publish(tx.manager, full);
  if (full.kind === 'USER_DEACTIVATED') return;
  for (const outbox of tx.deps.liveOutboxes ?? []) await outbox.enqueue(tx, full);
}
