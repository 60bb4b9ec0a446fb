import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context';
import { required } from '../../common/required';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { Assessment } from '../assessments/assessment.types';
import { ApprovalRequestEntity } from '../approvals/approval.entity';
import { ApprovalStatus } from '../approvals/approval.states';
import { ApprovalRequest } from '../approvals/approval.types';
import { CaseEntity } from '../cases/case.entity';
import { Case } from '../cases/case.types';
import { UserEntity } from '../users/user.entity';
import { User } from '../users/user.types';
import { EnforcementActionEntity, EnforcementActionVoidEntity } from './enforcement-action.entity';
import {
  RecordEnforcementActionInput,
  VoidEnforcementActionInput,
} from './enforcement-action.inputs';
import * as actions from './enforcement-action.service';
import { EnforcementAction, EnforcementActionVoid, Ratification } from './enforcement-action.types';
import { EnforcementBasis } from './action-type';
import { approvalLoaders } from '../approvals/approval.loaders';
import { assessmentLoaders } from '../assessments/assessment.loaders';
import { caseLoaders } from '../cases/case.loaders';
import { enforcementActionLoaders } from './enforcement-action.loaders';
import { userLoaders } from '../users/user.loaders';

@Resolver(() => EnforcementAction)
export class EnforcementActionResolver {
  @Query(() => EnforcementAction, {
    description:
      "One enforcement action: officers and supervisors of its office, headquarters any. NOT_FOUND: no such action, or another office's.",
  })
  enforcementAction(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The action's id." }) id: string,
  ): Promise<EnforcementActionEntity> {
    return actions.findVisibleAction(ctx, id);
  }

  @Mutation(() => EnforcementAction, {
    description:
      "Officers and supervisors of the case's office: records an enforcement action; the server derives its basis from the record (vulnerable-removal approval, presumed priority, the assessment under a version without pre-approval, an approved unexpired request, exigent) or refuses with PREAPPROVAL_REQUIRED, writing nothing. It counts in its office's week at once. NOT_FOUND: not a case of your office; CONFLICT: the case is closed; BAD_USER_INPUT: `occurredAt` in the future or on a date no policy version covers.",
  })
  recordEnforcementAction(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => RecordEnforcementActionInput, {
      description: 'The case, what was done, when and where, and whether it was exigent.',
    })
    input: RecordEnforcementActionInput,
  ): Promise<EnforcementActionEntity> {
    return actions.recordEnforcementAction(ctx, input);
  }

  @Mutation(() => EnforcementAction, {
    description:
      'The officer who recorded it or a supervisor of its office (others: FORBIDDEN): voids an action recorded in error, with a reason. It stays on record, marked void, and leaves the counts, draft reports and figures (a submitted report changes only by amendment). NOT_FOUND: not an action of your office; CONFLICT: already void.',
  })
  voidEnforcementAction(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => VoidEnforcementActionInput, {
      description: 'The action, and why it is void.',
    })
    input: VoidEnforcementActionInput,
  ): Promise<EnforcementActionEntity> {
    return actions.voidEnforcementAction(ctx, input);
  }

  @FieldResolver(() => String, {
    description:
      "The code of the policy version in force on the action's date (office's time zone).",
  })
  policyVersion(@Root() a: EnforcementActionEntity): string {
    return a.policyVersionCode;
  }

  @FieldResolver(() => Case, { description: 'The case acted on.' })
  async case(@Root() a: EnforcementActionEntity, @Ctx() ctx: RequestContext): Promise<CaseEntity> {
    return required(await caseLoaders(ctx).case.load(a.caseId));
  }

  @FieldResolver(() => User, { description: 'Who recorded it.' })
  async recordedBy(
    @Root() a: EnforcementActionEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<UserEntity> {
    return required(await userLoaders(ctx).user.load(a.recordedById));
  }

  @FieldResolver(() => Assessment, {
    nullable: true,
    description:
      "The case's assessment under the version in force when it was recorded, if any: the one PRESUMED_PRIORITY and ASSESSED rest on.",
  })
  async assessment(
    @Root() a: EnforcementActionEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<AssessmentEntity | null> {
    return a.assessmentId
      ? ((await assessmentLoaders(ctx).assessment.load(a.assessmentId)) ?? null)
      : null;
  }

  @FieldResolver(() => ApprovalRequest, {
    nullable: true,
    description:
      'PREAPPROVED: the approved request; a vulnerable person’s removal: the removal approval.',
  })
  async approvalRequest(
    @Root() a: EnforcementActionEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<ApprovalRequestEntity | null> {
    return a.approvalRequestId
      ? ((await approvalLoaders(ctx).approvalRequest.load(a.approvalRequestId)) ?? null)
      : null;
  }

  @FieldResolver(() => ApprovalRequest, {
    nullable: true,
    description: 'EXIGENT: the post-action request that ratifies it.',
  })
  async postActionRequest(
    @Root() a: EnforcementActionEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<ApprovalRequestEntity | null> {
    return a.basis === EnforcementBasis.EXIGENT
      ? ((await approvalLoaders(ctx).postActionRequestByAction.load(a.id)) ?? null)
      : null;
  }

  @FieldResolver(() => Ratification, {
    description: 'EXIGENT: where its ratification stands; NOT_APPLICABLE otherwise.',
  })
  async ratification(
    @Root() a: EnforcementActionEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<Ratification> {
    if (a.basis !== EnforcementBasis.EXIGENT) return Ratification.NOT_APPLICABLE;
    const post = await approvalLoaders(ctx).postActionRequestByAction.load(a.id);
    if (!post) return Ratification.AWAITING_JUSTIFICATION;
    if (post.status === ApprovalStatus.APPROVED) return Ratification.RATIFIED;
    if (post.status === ApprovalStatus.DENIED) return Ratification.NOT_RATIFIED;
    return post.justification === null
      ? Ratification.AWAITING_JUSTIFICATION
      : Ratification.AWAITING_DECISION;
  }

  @FieldResolver(() => Boolean, {
    description:
      'Voided as recorded in error: it no longer counts in figures and draft reports (a submitted report changes only by amendment).',
  })
  async voided(@Root() a: EnforcementActionEntity, @Ctx() ctx: RequestContext): Promise<boolean> {
    return (await enforcementActionLoaders(ctx).voidByAction.load(a.id)) !== undefined;
  }

  @FieldResolver(() => EnforcementActionVoid, {
    nullable: true,
    description: 'Who voided it, when and why; null unless voided.',
  })
  async void(
    @Root() a: EnforcementActionEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<EnforcementActionVoidEntity | null> {
    return (await enforcementActionLoaders(ctx).voidByAction.load(a.id)) ?? null;
  }
}

@Resolver(() => EnforcementActionVoid)
export class EnforcementActionVoidResolver {
  @FieldResolver(() => User, { description: 'Who voided it.' })
  async voidedBy(
    @Root() v: EnforcementActionVoidEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<UserEntity> {
    return required(await userLoaders(ctx).user.load(v.voidedById));
  }
}

@Resolver(() => Case)
export class CaseActionsResolver {
  @FieldResolver(() => [EnforcementAction], {
    description: 'Every enforcement action on the case, newest first (voided ones marked).',
  })
  enforcementActions(
    @Root() c: CaseEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<EnforcementActionEntity[]> {
    return enforcementActionLoaders(ctx).enforcementActionsByCase.load(c.id);
  }
}
