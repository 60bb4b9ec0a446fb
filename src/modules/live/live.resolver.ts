import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { RequestContext } from '../../common/context';
import { AppError, ErrorCode } from '../../common/errors';
import { findVisibleRequest } from '../approvals/approval.service';
import { deadlineFilter, queueFilter, requestFilter } from './live.access';
import { LiveHub, type LiveDelivery, type LiveFilter } from './live.hub';
import { ApprovalRequestEvent } from './live.types';

type Data = SubscribeResolverData<unknown, { id?: string }, RequestContext>;

function subscribeWith(ctx: RequestContext, filter: LiveFilter): AsyncIterable<LiveDelivery> {
  const hub = ctx.deps.live;
  if (!(hub instanceof LiveHub))
    throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'Live updates are not running here.');
  return hub.subscribe(ctx.user, filter);
}

/** Each event is a fresh read: nothing loaded for an earlier one is reused. */
function deliver(event: LiveDelivery, ctx: RequestContext): LiveDelivery {
  ctx.clearLoaders();
  return event;
}

@Resolver()
export class LiveResolver {
  @Subscription(() => ApprovalRequestEvent, {
    description:
      'Supervisors: every change to your office’s queue of requests awaiting a decision (made, withdrawn, decided, justification submitted or overdue, escalated), with the request. Headquarters: only ESCALATED, of every office (a pre-approval request pending longer than APPROVAL_ESCALATION_HOURS). Over graphql-ws on /graphql.',
    subscribe: ({ context }: Data) => subscribeWith(context, queueFilter(context.user)),
  })
  approvalQueueChanged(@Root() event: LiveDelivery, @Ctx() ctx: RequestContext): LiveDelivery {
    return deliver(event, ctx);
  }

  @Subscription(() => ApprovalRequestEvent, {
    description:
      'Everything that happens to one request you may read (your office’s; headquarters any): the requesting officer sees the decision at once. NOT_FOUND, at subscription, for an id you may not read or that does not exist.',
    subscribe: async ({ context, args }: Data) => {
      const request = await findVisibleRequest(context, args.id ?? '');
      return subscribeWith(context, requestFilter(request.id));
    },
  })
  approvalRequestUpdated(
    @Arg('id', () => ID, { description: 'The approval request.' }) _id: string,
    @Root() event: LiveDelivery,
    @Ctx() ctx: RequestContext,
  ): LiveDelivery {
    return deliver(event, ctx);
  }

  @Subscription(() => ApprovalRequestEvent, {
    description:
      'Post-action justification deadlines: the acting officer hears JUSTIFICATION_DUE_SOON (JUSTIFICATION_REMINDER_HOURS before the deadline) and JUSTIFICATION_OVERDUE; the office’s supervisors hear JUSTIFICATION_OVERDUE.',
    subscribe: ({ context }: Data) => subscribeWith(context, deadlineFilter(context.user)),
  })
  deadlineApproaching(@Root() event: LiveDelivery, @Ctx() ctx: RequestContext): LiveDelivery {
    return deliver(event, ctx);
  }
}
