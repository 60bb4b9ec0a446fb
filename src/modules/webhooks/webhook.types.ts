import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../../common/connection.types';
import { DateTimeScalar } from '../../common/scalars';
import { LiveEventKind } from '../live/live.events';
import { WebhookDeliveryStatus } from './webhook.entity';

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'Where a webhook delivery stands.',
  valuesConfig: {
    PENDING: {
      description: 'Not delivered yet: waiting for its first attempt or a retry (`nextAttemptAt`).',
    },
    DELIVERED: { description: 'The receiver answered with a 2xx status.' },
    FAILED: {
      description:
        'Given up: WEBHOOK_MAX_ATTEMPTS attempts failed, or the webhook was removed before delivery.',
    },
  },
});

@ObjectType({
  description:
    'A URL headquarters registered for some kinds of approval-request event. Each event of those kinds is POSTed to it, signed with its secret (README "Webhooks").',
})
export class Webhook {
  @Field(() => ID, { description: "The webhook's id." })
  id: string;

  @Field(() => String, { description: 'Where deliveries are POSTed.' })
  url: string;

  @Field(() => [LiveEventKind], { description: 'The kinds of event it receives.' })
  events: LiveEventKind[];

  @Field(() => String, { nullable: true, description: 'What the receiving system is.' })
  description: string | null;

  @Field(() => DateTimeScalar, { description: 'When it was registered.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'When it was removed (it receives nothing since); null while active. Its deliveries stay readable.',
  })
  removedAt: Date | null;

  // deliveries: field resolver.
}

@ObjectType({ description: 'A webhook just registered, with its secret.' })
export class WebhookRegistration {
  @Field(() => Webhook, { description: 'The webhook.' })
  webhook: Webhook;

  @Field(() => String, {
    description:
      'The signing secret (64 hex characters): shown this once and never again. Keep it with the receiver; it verifies `Webhook-Signature`.',
  })
  secret: string;
}

@ObjectType({ description: 'One attempt to send a delivery.' })
export class WebhookDeliveryAttempt {
  @Field(() => Int, { description: '1 for the first attempt.' })
  number: number;

  @Field(() => DateTimeScalar, { description: "When it started, by the service's clock." })
  at: Date;

  @Field(() => Int, {
    nullable: true,
    description: "The receiver's HTTP status; null when no answer came.",
  })
  statusCode: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why it failed (no answer within WEBHOOK_TIMEOUT_MS, connection refused, a status other than 2xx); null when delivered.',
  })
  error: string | null;

  @Field(() => Int, { description: 'How long it took, in milliseconds.' })
  durationMs: number;
}

@ObjectType({ description: 'One event sent (or to be sent) to one webhook.' })
export class WebhookDelivery {
  @Field(() => ID, {
    description:
      "The delivery's id: the payload's `id` and the `Webhook-Id` header, the same on every retry (receivers deduplicate by it).",
  })
  id: string;

  @Field(() => LiveEventKind, { description: 'The kind of event.' })
  event: LiveEventKind;

  @Field(() => ID, { description: 'The approval request the event is about.' })
  requestId: string;

  @Field(() => WebhookDeliveryStatus, { description: 'Where it stands.' })
  status: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'How many attempts have begun.' })
  attemptCount: number;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'PENDING: when the next attempt may start; null once DELIVERED or FAILED.',
  })
  nextAttemptAt: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the latest attempt started; null before the first.',
  })
  lastAttemptAt: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: "The latest attempt's HTTP status; null if none answered.",
  })
  lastStatusCode: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the latest attempt failed (or why it was abandoned); null when delivered.',
  })
  lastError: string | null;

  @Field(() => DateTimeScalar, {
    description: 'When it was enqueued: when the event happened.',
  })
  createdAt: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the receiver accepted it.' })
  deliveredAt: Date | null;

  // payload, attempts: field resolvers.
}

@ObjectType({ description: 'A webhook in a list, with its cursor.' })
export class WebhookEdge {
  @Field(() => Webhook, { description: 'The webhook.' })
  node: Webhook;

  @Field(() => String, {
    description: 'Opaque position of this webhook in the list: pass it as `after` to read on.',
  })
  cursor: string;
}

@ObjectType({ description: 'A page of webhooks.' })
export class WebhookConnection {
  @Field(() => [WebhookEdge], {
    description: 'At most `first` webhooks, the newest first (removed ones included).',
  })
  edges: WebhookEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' })
  pageInfo: PageInfo;
}

@ObjectType({ description: 'A delivery in a list, with its cursor.' })
export class WebhookDeliveryEdge {
  @Field(() => WebhookDelivery, { description: 'The delivery.' })
  node: WebhookDelivery;

  @Field(() => String, {
    description: 'Opaque position of this delivery in the list: pass it as `after` to read on.',
  })
  cursor: string;
}

@ObjectType({ description: "A page of a webhook's deliveries." })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge], {
    description: 'At most `first` deliveries, the newest first.',
  })
  edges: WebhookDeliveryEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' })
  pageInfo: PageInfo;
}
