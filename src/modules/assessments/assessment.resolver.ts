import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../common/context';
import { required } from '../../common/required';
import { Case } from '../cases/case.types';
import { CaseEntity } from '../cases/case.entity';
import { UserEntity } from '../users/user.entity';
import { User } from '../users/user.types';
import { AssessmentEntity } from './assessment.entity';
import { AssessCaseInput, SchedulePolicyVersionInput } from './assessment.inputs';
import * as assessments from './assessment.service';
import { Assessment, AssessmentReason, PolicyVersion } from './assessment.types';
import { CriterionStatus } from './policy/types';
import { assessmentLoaders } from './assessment.loaders';
import { userLoaders } from '../users/user.loaders';

@Resolver(() => Assessment)
export class AssessmentResolver {
  @Query(() => [PolicyVersion], {
    description: 'The policy versions the engine holds, oldest first, with their schedule.',
  })
  policyVersions(@Ctx() ctx: RequestContext): Promise<assessments.PolicyVersionView[]> {
    return assessments.listPolicyVersions(ctx);
  }

  @Mutation(() => Assessment, {
    description:
      "Evaluates the case's facts and your determinations under the policy in force at `asOf`, and records the outcome for good.",
  })
  assessCase(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => AssessCaseInput) input: AssessCaseInput,
  ): Promise<AssessmentEntity> {
    return assessments.assessCase(ctx, input);
  }

  @Mutation(() => [PolicyVersion], {
    description:
      'Headquarters: sets effective dates. The resulting schedule may have neither overlaps nor gaps.',
  })
  schedulePolicyVersion(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SchedulePolicyVersionInput) input: SchedulePolicyVersionInput,
  ): Promise<assessments.PolicyVersionView[]> {
    return assessments.schedulePolicyVersion(ctx, input);
  }

  @FieldResolver(() => String)
  policyVersion(@Root() a: AssessmentEntity): string {
    return a.policyVersionCode;
  }

  @FieldResolver(() => [AssessmentReason])
  reasons(@Root() a: AssessmentEntity): AssessmentReason[] {
    return a.reasons.map((r) => ({
      criterion: r.code,
      category: r.category,
      met: r.status === CriterionStatus.MET,
      status: r.status,
      detail: r.detail,
      description: r.description,
    }));
  }

  @FieldResolver(() => PolicyVersion, {
    description: 'The policy version applied, with its rules and current schedule.',
  })
  async policy(
    @Root() a: AssessmentEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<assessments.PolicyVersionView> {
    const views = assessments.policyVersionViews(
      await assessmentLoaders(ctx).policySchedule.load('all'),
    );
    const found = views.find((v) => v.code === a.policyVersionCode);
    if (!found) throw new Error(`unknown policy version ${a.policyVersionCode}`);
    return found;
  }

  @FieldResolver(() => User, { description: 'The officer who made the assessment.' })
  async assessedBy(@Root() a: AssessmentEntity, @Ctx() ctx: RequestContext): Promise<UserEntity> {
    return required(await userLoaders(ctx).user.load(a.assessedById));
  }
}

@Resolver(() => Case)
export class CaseAssessmentResolver {
  @FieldResolver(() => Assessment, {
    nullable: true,
    description: 'The current assessment; null until the case is first assessed.',
  })
  async latestAssessment(
    @Root() c: CaseEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<AssessmentEntity | null> {
    return c.latestAssessmentId
      ? ((await assessmentLoaders(ctx).assessment.load(c.latestAssessmentId)) ?? null)
      : null;
  }

  @FieldResolver(() => [Assessment], { description: 'Every assessment of the case, newest first.' })
  assessments(@Root() c: CaseEntity, @Ctx() ctx: RequestContext): Promise<AssessmentEntity[]> {
    return assessmentLoaders(ctx).assessmentsByCase.load(c.id);
  }
}
