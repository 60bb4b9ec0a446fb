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
  @Query(() => ApprovalRequest, { description: 'One request of your office (headquarters: any).' })
  approvalRequest(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
  ): Promise<ApprovalRequestEntity> {
    return approvals.findVisibleRequest(ctx, id);
  }

  @Query(() => ApprovalRequestConnection, {
    description:
      "Supervisors: your office's requests awaiting a decision, oldest first; overdue post-action requests are flagged.",
  })
  async approvalQueue(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) args: PageArgs,
  ): Promise<unknown> {
    return toConnection(await approvalQueue(ctx, args), requestCursor);
  }

  @Mutation(() => ApprovalRequest, {
    description: "Asks the case's supervisors to approve an enforcement action beforehand.",
  })
  requestApproval(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => RequestApprovalInput) input: RequestApprovalInput,
  ): Promise<ApprovalRequestEntity> {
    return approvals.requestApproval(ctx, input);
  }

  @Mutation(() => ApprovalRequest, { description: 'Withdraws your own pending request.' })
  withdrawApprovalRequest(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => WithdrawApprovalRequestInput) input: WithdrawApprovalRequestInput,
  ): Promise<ApprovalRequestEntity> {
    return approvals.withdrawApprovalRequest(ctx, input);
  }

  @Mutation(() => ApprovalRequest, {
    description:
      'Supervisors: approves or denies a pending request of your office (never your own). Decided exactly once.',
  })
  decideApprovalRequest(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => DecideApprovalRequestInput) input: DecideApprovalRequestInput,
  ): Promise<ApprovalRequestEntity> {
    return approvals.decideApprovalRequest(ctx, input);
  }

  @Mutation(() => ApprovalRequest, {
    description:
      'The justification for an exigent action; accepted after the deadline too, and marked late.',
  })
  submitPostActionJustification(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SubmitPostActionJustificationInput)
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

  @FieldResolver(() => Case)
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

  @FieldResolver(() => User)
  async requestedBy(
    @Root() r: ApprovalRequestEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<UserEntity> {
    return required(await userLoaders(ctx).user.load(r.requestedById));
  }

  @FieldResolver(() => User, { nullable: true, description: 'The supervisor who decided.' })
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
  'How many requests match, across all pages.',
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
