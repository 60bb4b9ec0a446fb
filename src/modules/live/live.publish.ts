/**
 * Publishing an event from inside a write: the only part of the live module other modules call.
 * The event is written into the caller's transaction (a PostgreSQL NOTIFY, or an after-commit
 * queue on the embedded database), so it reaches subscribers only once that transaction commits,
 * and never for a write that rolled back.
 */
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import type { LiveEvent } from './live.events';

/** What a running service offers for publishing (`LiveHub`); scripts and seeds have none. */
export interface LiveBus {
  publish(manager: EntityManager, event: LiveEvent): Promise<void>;
}

declare module '../../common/context' {
  interface ServiceDeps {
    /** This process's live-event hub (absent in scripts: their writes publish nothing). */
    live?: LiveBus;
  }
}

type Body<E> = E extends unknown ? Omit<E, 'at'> : never;

/** Publishes `event` with the transaction `tx` runs in (at once when it runs in none). */
export async function publishLive(tx: RequestContext, event: Body<LiveEvent>): Promise<void> {
  const bus = tx.deps.live;
  if (!bus) return;
  await bus.publish(tx.manager, { ...event, at: tx.clock.now().toISOString() } as LiveEvent);
}
