/**
 * Webhooks as headquarters manages them: register (the secret is shown once), remove (history
 * kept), and read the hooks and their deliveries, newest first. Headquarters only (the shield);
 * webhooks belong to no office.
 */
import crypto from 'node:crypto';
import type { RequestContext } from '../../common/context';
import { inTransaction } from '../../common/context';
import { badInput, conflict, notFound } from '../../common/errors';
import { isUuid } from '../../common/ids';
import { keysetCursor, keysetPage, type Keyset, type KeysetPage } from '../../common/keyset';
import { writeAudit } from '../audit/audit.service';
import type { LiveEventKind } from '../live/live.events';
import {
  WebhookDeliveryAttemptEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryStatus,
  WebhookEntity,
} from './webhook.entity';
import { privateDestination } from './webhook.addresses';
import { sealSecret } from './webhook.secrets';
import { checkWebhookUrl, MAX_DESCRIPTION_LENGTH, newWebhookSecret } from './webhook.rules';

export interface RegisterWebhook {
  url: string;
  events: LiveEventKind[];
  description?: string | null;
}

/** Why removal left a delivery unsent (its `lastError`). */
export const REMOVED_ERROR = 'the webhook was removed before it was delivered';

/** Registers a webhook; the answer holds its secret, which is never readable again. */
export async function registerWebhook(
  ctx: RequestContext,
  input: RegisterWebhook,
): Promise<{ webhook: WebhookEntity; secret: string }> {
  const caller = ctx.user;
  // Production (or a service without its worker, such as a script): https only.
  const settings = ctx.deps.webhookWorker?.settings;
  const url = checkWebhookUrl(input.url, settings?.httpsOnly ?? true);
  const refused = await privateDestination(url, settings?.privateAddresses ?? 'refuse');
  if (refused) throw badInput('input.url', `may not point at ${refused}.`);
  if (!input.events.length) throw badInput('input.events', 'name at least one event kind.');
  if (new Set(input.events).size !== input.events.length)
    throw badInput('input.events', 'must not name an event kind twice.');
  const description = input.description?.trim() || null;
  if (description && description.length > MAX_DESCRIPTION_LENGTH)
    throw badInput('input.description', `must be at most ${MAX_DESCRIPTION_LENGTH} characters.`);
  const secret = newWebhookSecret();
  const id = crypto.randomUUID();
  return inTransaction(ctx, async (tx) => {
    const webhook = tx.manager.getRepository(WebhookEntity).create({
      id,
      url,
      events: [...input.events],
      // Sealed at rest (webhook.secrets.ts): the answer below is the only place it is in clear.
      secret: sealSecret(ctx.deps.auditKeys, id, secret),
      description,
      createdById: caller.id,
      createdAt: tx.clock.now(),
      removedAt: null,
    });
    await tx.manager.getRepository(WebhookEntity).insert(webhook);
    await writeAudit(tx, {
      operation: 'registerWebhook',
      recordType: 'Webhook',
      recordIds: [webhook.id],
      officeIds: [],
      // Never the secret.
      change: { url, events: webhook.events, description },
    });
    return { webhook, secret };
  });
}

/**
 * Removes a webhook: nothing more is enqueued for it, and its pending deliveries are FAILED
 * ("removed") rather than dropped, so its history stays whole. NOT_FOUND: no such webhook;
 * CONFLICT: removed already.
 */
export async function removeWebhook(ctx: RequestContext, id: string): Promise<WebhookEntity> {
  return inTransaction(ctx, async (tx) => {
    const repo = tx.manager.getRepository(WebhookEntity);
    const found = isUuid(id) ? await repo.findOne({ where: { id } }) : null;
    if (!found) throw notFound('Webhook', id);
    const now = tx.clock.now();
    const [, removed] = (await tx.manager.query(
      `UPDATE webhooks SET removed_at = $2 WHERE id = $1 AND removed_at IS NULL`,
      [id, now],
    )) as [unknown, number];
    if (removed !== 1) throw conflict('The webhook was removed already.');
    const [, abandoned] = (await tx.manager.query(
      `UPDATE webhook_deliveries
          SET status = 'FAILED', next_attempt_at = NULL, last_error = $2
        WHERE webhook_id = $1 AND status = 'PENDING'`,
      [id, REMOVED_ERROR],
    )) as [unknown, number];
    await writeAudit(tx, {
      operation: 'removeWebhook',
      recordType: 'Webhook',
      recordIds: [id],
      officeIds: [],
      change: { abandonedDeliveries: abandoned },
    });
    return { ...found, removedAt: now };
  });
}

/** Newest first. */
const WEBHOOK_ORDER: Keyset<WebhookEntity> = {
  keys: [
    { column: 'w.createdAt', part: 'instant', of: (w) => w.createdAt.toISOString() },
    { column: 'w.id', part: 'uuid', of: (w) => w.id },
  ],
  direction: 'DESC',
};

export const webhookCursor = (w: WebhookEntity): string => keysetCursor(WEBHOOK_ORDER, w);

/** Every webhook, removed ones included, newest first. */
export function listWebhooks(
  ctx: RequestContext,
  args: { first?: number | null; after?: string | null },
): Promise<KeysetPage<WebhookEntity>> {
  return keysetPage(
    () => ctx.manager.getRepository(WebhookEntity).createQueryBuilder('w'),
    WEBHOOK_ORDER,
    args,
  );
}

/** Newest first. */
const DELIVERY_ORDER: Keyset<WebhookDeliveryEntity> = {
  keys: [
    { column: 'd.createdAt', part: 'instant', of: (d) => d.createdAt.toISOString() },
    { column: 'd.id', part: 'uuid', of: (d) => d.id },
  ],
  direction: 'DESC',
};

export const deliveryCursor = (d: WebhookDeliveryEntity): string => keysetCursor(DELIVERY_ORDER, d);

/** A webhook's deliveries, newest first, optionally of one status. */
export function webhookDeliveries(
  ctx: RequestContext,
  webhookId: string,
  args: { first?: number | null; after?: string | null; status?: WebhookDeliveryStatus | null },
): Promise<KeysetPage<WebhookDeliveryEntity>> {
  return keysetPage(
    () => {
      const q = ctx.manager
        .getRepository(WebhookDeliveryEntity)
        .createQueryBuilder('d')
        .where('d.webhookId = :webhookId', { webhookId });
      if (args.status) q.andWhere('d.status = :status', { status: args.status });
      return q;
    },
    DELIVERY_ORDER,
    args,
  );
}

/** A delivery's attempts, the first first. */
export function deliveryAttempts(
  ctx: RequestContext,
  deliveryId: string,
): Promise<WebhookDeliveryAttemptEntity[]> {
  return ctx.manager
    .getRepository(WebhookDeliveryAttemptEntity)
    .find({ where: { deliveryId }, order: { number: 'ASC' } });
}
