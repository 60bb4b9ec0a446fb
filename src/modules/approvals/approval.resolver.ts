import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, toConnection } from '../../common/connection.types';
import type { RequestContext } from '../../common/context';
import { required } from '../../common/required';
import { totalCountResolver } from '../../common/total-count';
import { Case } from '../cases/case.types';
import { CaseEntity } from '../cases/case.entity';
import { EnforcementActionEntity } from '../enforcement-actions/enforcement-action.entity';
import { EnforcementAction } from '../enforcement-actions/enforcement-action.types';
import { UserEntity } from '../users/user.entity';
import { User } from '../users/user.types';
import { ApprovalRequestEntity } from './approval.entity';
import {
  DecideApprovalRequestInput,
  RequestApprovalInput,
  SubmitPostActionJustificationInput,
  WithdrawApprovalRequestInput,
} from './approval.inputs';
import { submitPostActionJustification } from './approval.post-action';
import { approvalQueue, requestCursor } from './approval.queue';
import { isLate, isOverdue } from './approval.rules';
import * as approvals from './approval.service';
import { ApprovalStatus, effectiveStatus } from './approval.states';
import { ApprovalRequest, ApprovalRequestConnection } from './approval.types';
import { approvalLoaders } from './approval.loaders';
import { assessmentLoaders } from '../assessments/assessment.loaders';
import { caseLoaders } from '../cases/case.loaders';
import { enforcementActionLoaders } from '../enforcement-actions/enforcement-action.loaders';
import { userLoaders } from '../users/user.loaders';

@Resolver(() => ApprovalRequest)
export class ApprovalResolver {
  @Query(() => ApprovalRequest, {
    description:
      "One approval request: officers and supervisors of its case's office, headquarters any. NOT_FOUND: no such request, or another office's.",
  })
  approvalRequest(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The request's id." }) id: string,
  ): Promise<ApprovalRequestEntity> {
    return approvals.findVisibleRequest(ctx, id);
  }

  @Query(() => ApprovalRequestConnection, {
    description:
      "Supervisors only (others: FORBIDDEN): your office's PENDING requests, the oldest requested first, post-action requests still awaiting their justification included; `overdue` flags post-action requests past their deadline. BAD_USER_INPUT: `first` out of range, a cursor not from this list.",
  })
  async approvalQueue(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) args: PageArgs,
  ): Promise<unknown> {
    return toConnection(await approvalQueue(ctx, args), requestCursor);
  }

  @Mutation(() => ApprovalRequest, {
    description:
      "Officers and supervisors of the case's office: asks the office's supervisors to approve an enforcement action beforehand (PRE_ACTION, or VULNERABLE_REMOVAL for removing a person flagged vulnerable); the server picks the kind. NOT_FOUND: not a case of your office; CONFLICT: the case is closed, or the same request is already pending; BAD_USER_INPUT: no approval is needed (a presumed priority, or a version without pre-approval), no version in force today, a justification too short.",
  })
  requestApproval(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => RequestApprovalInput, {
      description: 'The case, the action planned, and the justification.',
    })
    input: RequestApprovalInput,
  ): Promise<ApprovalRequestEntity> {
    return approvals.requestApproval(ctx, input);
  }

  @Mutation(() => ApprovalRequest, {
    description:
      'The requester only (anyone else: FORBIDDEN): withdraws your own pending request. NOT_FOUND: not a request of your office; CONFLICT: no longer pending, or a post-action request (those cannot be withdrawn).',
  })
  withdrawApprovalRequest(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => WithdrawApprovalRequestInput, {
      description: 'The request, and optionally why.',
    })
    input: WithdrawApprovalRequestInput,
  ): Promise<ApprovalRequestEntity> {
    return approvals.withdrawApprovalRequest(ctx, input);
  }

  @Mutation(() => ApprovalRequest, {
    description:
      "Supervisors of the request's office only: approves or denies a pending request, exactly once even when two supervisors decide at the same moment. FORBIDDEN: not a supervisor of its office, or you wrote any part of it (the request or its justification); NOT_FOUND: not a request of your office; CONFLICT: already decided or withdrawn, or a post-action request whose justification is not in yet.",
  })
  decideApprovalRequest(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => DecideApprovalRequestInput, {
      description: 'The request, APPROVE or DENY, and the reason.',
    })
    input: DecideApprovalRequestInput,
  ): Promise<ApprovalRequestEntity> {
    return approvals.decideApprovalRequest(ctx, input);
  }

  @Mutation(() => ApprovalRequest, {
    description:
      "The acting officer (the request's author) or a supervisor of the office: the justification for an exigent action, once; accepted after the deadline too, and marked `late`. NOT_FOUND: no such request or action in your office; BAD_USER_INPUT: both or neither of `requestId` and `enforcementActionId`, not a post-action request, a justification too short; CONFLICT: already submitted, or no longer pending.",
  })
  submitPostActionJustification(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SubmitPostActionJustificationInput, {
      description: 'The post-action request (or its exigent action), and the justification.',
    })
    input: SubmitPostActionJustificationInput,
  ): Promise<ApprovalRequestEntity> {
    return submitPostActionJustification(ctx, input);
  }

  @FieldResolver(() => ApprovalStatus, {
    description: 'APPROVED reads EXPIRED once the approval’s validity has ended.',
  })
  status(@Root() r: ApprovalRequestEntity, @Ctx() ctx: RequestContext): ApprovalStatus {
    return effectiveStatus(r.status, r.expiresAt, ctx.clock.now());
  }

  @FieldResolver(() => String)
  policyVersion(@Root() r: ApprovalRequestEntity): string {
    return r.policyVersionCode;
  }

  @FieldResolver(() => Boolean, {
    description: 'Post-action: the justification came after the deadline.',
  })
  late(@Root() r: ApprovalRequestEntity): boolean {
    return isLate(r);
  }

  @FieldResolver(() => Boolean, {
    description: 'Post-action: past the deadline without a justification, or justified late.',
  })
  overdue(@Root() r: ApprovalRequestEntity, @Ctx() ctx: RequestContext): boolean {
    return isOverdue(r, ctx.clock.now());
  }

  @FieldResolver(() => Case, { description: 'The case the request is about.' })
  async case(@Root() r: ApprovalRequestEntity, @Ctx() ctx: RequestContext): Promise<CaseEntity> {
    return required(await caseLoaders(ctx).case.load(r.caseId));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The case's current assessment in one paragraph; null if never assessed.",
  })
  async latestAssessmentSummary(
    @Root() r: ApprovalRequestEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<string | null> {
    const c = await caseLoaders(ctx).case.load(r.caseId);
    if (!c?.latestAssessmentId) return null;
    return (await assessmentLoaders(ctx).assessment.load(c.latestAssessmentId))?.summary ?? null;
  }

  @FieldResolver(() => User, {
    description: 'Who asked (post-action: the officer who recorded the exigent action).',
  })
  async requestedBy(
    @Root() r: ApprovalRequestEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<UserEntity> {
    return required(await userLoaders(ctx).user.load(r.requestedById));
  }

  @FieldResolver(() => User, {
    nullable: true,
    description: 'The supervisor who decided; null while pending or when withdrawn.',
  })
  async decidedBy(
    @Root() r: ApprovalRequestEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<UserEntity | null> {
    return r.decidedById ? ((await userLoaders(ctx).user.load(r.decidedById)) ?? null) : null;
  }

  @FieldResolver(() => EnforcementAction, {
    nullable: true,
    description: 'Post-action: the exigent action it ratifies.',
  })
  async enforcementAction(
    @Root() r: ApprovalRequestEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<EnforcementActionEntity | null> {
    return r.enforcementActionId
      ? ((await enforcementActionLoaders(ctx).enforcementAction.load(r.enforcementActionId)) ??
          null)
      : null;
  }
}

export const ApprovalRequestConnectionResolver = totalCountResolver(
  ApprovalRequestConnection,
  'How many requests match, across all pages (counted only when asked for).',
);

@Resolver(() => Case)
export class CaseApprovalsResolver {
  @FieldResolver(() => [ApprovalRequest], {
    description: 'Every request about the case, oldest first.',
  })
  approvalRequests(
    @Root() c: CaseEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<ApprovalRequestEntity[]> {
    return approvalLoaders(ctx).approvalRequestsByCase.load(c.id);
  }
}
