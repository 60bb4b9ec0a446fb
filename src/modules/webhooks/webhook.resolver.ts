import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, toConnection } from '../../common/connection.types';
import type { RequestContext } from '../../common/context';
import { totalCountResolver } from '../../common/total-count';
import type { LiveEventKind } from '../live/live.events';
import type {
  WebhookDeliveryAttemptEntity,
  WebhookDeliveryEntity,
  WebhookEntity,
} from './webhook.entity';
import { RegisterWebhookInput, WebhookDeliveriesArgs } from './webhook.inputs';
import * as webhooks from './webhook.service';
import {
  Webhook,
  WebhookConnection,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryConnection,
  WebhookRegistration,
} from './webhook.types';
import { deliveryBody } from './webhook.worker';

@Resolver(() => Webhook)
export class WebhookResolver {
  @Query(() => WebhookConnection, {
    description:
      'Headquarters only (others: FORBIDDEN): every webhook, removed ones included, the newest first. BAD_USER_INPUT: `first` out of range, a cursor not from this list.',
  })
  async webhooks(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) args: PageArgs,
  ): Promise<unknown> {
    return toConnection(await webhooks.listWebhooks(ctx, args), webhooks.webhookCursor);
  }

  @Mutation(() => WebhookRegistration, {
    description:
      'Headquarters only (others: FORBIDDEN): registers a URL to receive the events of the kinds named, each POSTed as JSON and signed with the secret in the answer (shown only here). BAD_USER_INPUT naming the field: a URL that is not absolute http(s) with a host (https only in production) or pointing at a private, loopback or reserved address while WEBHOOK_PRIVATE_ADDRESSES=refuse (the production default), no event kind or one twice, a description too long.',
  })
  registerWebhook(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => RegisterWebhookInput, {
      description: 'The URL, the event kinds, and a description.',
    })
    input: RegisterWebhookInput,
  ): Promise<{ webhook: WebhookEntity; secret: string }> {
    return webhooks.registerWebhook(ctx, input);
  }

  @Mutation(() => Webhook, {
    description:
      'Headquarters only (others: FORBIDDEN): removes a webhook. It receives nothing more; its pending deliveries become FAILED; its history stays readable. NOT_FOUND: no such webhook; CONFLICT: removed already.',
  })
  removeWebhook(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The webhook's id." }) id: string,
  ): Promise<WebhookEntity> {
    return webhooks.removeWebhook(ctx, id);
  }

  @FieldResolver(() => WebhookDeliveryConnection, {
    description:
      "The webhook's deliveries, the newest first, optionally of one status. BAD_USER_INPUT: `first` out of range, a cursor not from this list.",
  })
  async deliveries(
    @Root() w: WebhookEntity,
    @Ctx() ctx: RequestContext,
    @Args(() => WebhookDeliveriesArgs) args: WebhookDeliveriesArgs,
  ): Promise<unknown> {
    return toConnection(await webhooks.webhookDeliveries(ctx, w.id, args), webhooks.deliveryCursor);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => String, {
    description:
      'The JSON body POSTed, exactly as sent: `{"id", "event", "at", "request": {...}}` with the request\'s workflow facts and no subject identity.',
  })
  payload(@Root() d: WebhookDeliveryEntity): string {
    return deliveryBody(d.payload);
  }

  @FieldResolver()
  event(@Root() d: WebhookDeliveryEntity): LiveEventKind {
    return d.eventKind as LiveEventKind;
  }

  @FieldResolver()
  attemptCount(@Root() d: WebhookDeliveryEntity): number {
    return d.attempts;
  }

  @FieldResolver(() => [WebhookDeliveryAttempt], {
    description: 'Every attempt so far, the first first: when, the answer or the error, how long.',
  })
  attempts(
    @Root() d: WebhookDeliveryEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<WebhookDeliveryAttemptEntity[]> {
    return webhooks.deliveryAttempts(ctx, d.id);
  }
}

export const WebhookConnectionResolver = totalCountResolver(
  WebhookConnection,
  'How many webhooks there are, across all pages (counted only when asked for).',
);

export const WebhookDeliveryConnectionResolver = totalCountResolver(
  WebhookDeliveryConnection,
  'How many deliveries match, across all pages (counted only when asked for).',
);
