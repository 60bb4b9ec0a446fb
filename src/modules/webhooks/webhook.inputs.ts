import { ArgsType, Field, InputType } from 'type-graphql';
import { PageArgs } from '../../common/connection.types';
import { LiveEventKind } from '../live/live.events';
import { WebhookDeliveryStatus } from './webhook.entity';

@InputType({ description: 'A URL to POST some kinds of approval-request event to.' })
export class RegisterWebhookInput {
  @Field(() => String, {
    description:
      'Where deliveries are POSTed: an absolute URL with a host, at most 2048 characters, no user name or password; https:// only in production (http:// accepted elsewhere); with WEBHOOK_PRIVATE_ADDRESSES=refuse (the production default) not a loopback, private, link-local, reserved or multicast address, nor a name resolving to one. Else BAD_USER_INPUT naming `input.url`.',
  })
  url: string;

  @Field(() => [LiveEventKind], {
    description:
      'The kinds of event to deliver: at least one, none twice (else BAD_USER_INPUT naming `input.events`).',
  })
  events: LiveEventKind[];

  @Field(() => String, {
    nullable: true,
    description:
      'What the receiving system is, for the people who read the list later: at most 500 characters (else BAD_USER_INPUT naming `input.description`).',
  })
  description?: string | null;
}

/** A page of deliveries, optionally of one status. */
@ArgsType()
export class WebhookDeliveriesArgs extends PageArgs {
  @Field(() => WebhookDeliveryStatus, {
    nullable: true,
    description: 'Only deliveries with this status; all when omitted.',
  })
  status?: WebhookDeliveryStatus | null;
}
