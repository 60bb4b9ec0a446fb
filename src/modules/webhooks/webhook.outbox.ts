/**
 * The webhooks' outbox: each request event becomes one delivery row per active webhook of its
 * kind, inserted in the transaction of the write that made the event (live.publish.ts hands every
 * request event here). A write that rolls back leaves no delivery; one that commits leaves them
 * for the delivery worker of any process, woken here after the commit.
 */
import crypto from 'node:crypto';
import type { RequestContext } from '../../common/context';
import type { WebhookSettings } from '../../config';
import { committedRequest } from '../approvals/approval.queries';
import { effectiveStatus } from '../approvals/approval.states';
import type { LiveOutbox, LiveRequestEvent } from '../live/live.publish';
import { officeById } from '../users/office.service';

/** Set on a transaction's query runner when it enqueued deliveries: the worker wakes on commit. */
export const DELIVERIES_ENQUEUED = Symbol('webhookDeliveriesEnqueued');

/** Whoever sends the deliveries in this process (the worker). */
export interface WebhookWaker {
  /** Look for due deliveries now. */
  wake(): void;
  /** The settings it runs with (registration reads `httpsOnly`). */
  readonly settings: WebhookSettings;
}

declare module '../../common/context' {
  interface ServiceDeps {
    /** This process's webhook delivery worker (absent in scripts: a later service sends). */
    webhookWorker?: WebhookWaker;
  }
}

/**
 * The JSON POSTed for one delivery: the event and the request's workflow facts, nothing about the
 * subject (no name, A-number or justification text). Receivers that need more ask the API.
 */
export interface WebhookPayload {
  /** The delivery's id (also the `Webhook-Id` header): the same on every retry. */
  id: string;
  event: string;
  /** When the event happened, by the service's clock (ISO 8601). */
  at: string;
  request: {
    id: string;
    kind: string;
    status: string;
    actionType: string;
    caseId: string;
    officeCode: string;
    requestedAt: string;
    decidedAt: string | null;
    expiresAt: string | null;
    justificationDueAt: string | null;
    justificationSubmittedAt: string | null;
  };
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export const webhookOutbox: LiveOutbox = {
  async enqueue(tx: RequestContext, event: LiveRequestEvent): Promise<void> {
    const hooks = (await tx.manager.query(
      `SELECT id FROM webhooks WHERE removed_at IS NULL AND $1 = ANY(events)`,
      [event.kind],
    )) as { id: string }[];
    if (!hooks.length) return;
    // The request as this transaction sees it (its own write included).
    const request = await committedRequest(tx.manager, event.requestId);
    if (!request) return;
    const office = await officeById(tx, request.officeId);
    const at = new Date(event.at);
    const body = {
      id: request.id,
      kind: request.kind,
      status: effectiveStatus(request.status, request.expiresAt, at),
      actionType: request.actionType,
      caseId: request.caseId,
      officeCode: office.code,
      requestedAt: new Date(request.requestedAt).toISOString(),
      decidedAt: iso(request.decidedAt),
      expiresAt: iso(request.expiresAt),
      justificationDueAt: iso(request.justificationDueAt),
      justificationSubmittedAt: iso(request.justificationSubmittedAt),
    };
    const ids = hooks.map(() => crypto.randomUUID());
    const payloads = ids.map((id) =>
      JSON.stringify({ id, event: event.kind, at: event.at, request: body } as WebhookPayload),
    );
    await tx.manager.query(
      `INSERT INTO webhook_deliveries
              (id, webhook_id, event_kind, request_id, office_id, payload, status, attempts,
               next_attempt_at, created_at)
       SELECT d.id, d.webhook_id, $4, $5, $6, d.payload::jsonb, 'PENDING', 0, $7, $7
         FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS d(id, webhook_id, payload)`,
      [ids, hooks.map((h) => h.id), payloads, event.kind, request.id, request.officeId, at],
    );
    const runner = tx.manager.queryRunner;
    if (runner?.isTransactionActive)
      (runner.data as { [DELIVERIES_ENQUEUED]?: boolean })[DELIVERIES_ENQUEUED] = true;
    else tx.deps.webhookWorker?.wake();
  },
};
