import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../common/scalars';
import { ApprovalRequest } from '../approvals/approval.types';
import { LiveEventKind } from './live.events';

@ObjectType({
  description:
    'Something that happened to an approval request, delivered over a subscription once the write that made it committed.',
})
export class ApprovalRequestEvent {
  @Field(() => LiveEventKind, { description: 'What happened.' })
  kind: LiveEventKind;

  @Field(() => DateTimeScalar, {
    description: 'When it happened, by the service’s clock (an instant, ISO 8601 with offset).',
  })
  at: Date;

  @Field(() => ApprovalRequest, {
    description:
      'The request as it stands when the event is delivered (a later event may already have changed it).',
  })
  request: ApprovalRequest;
}
