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
    description:
      'The policy versions the engine holds, oldest first, with their schedule, parameters and criteria. Anyone signed in.',
  })
  policyVersions(@Ctx() ctx: RequestContext): Promise<assessments.PolicyVersionView[]> {
    return assessments.listPolicyVersions(ctx);
  }

  @Mutation(() => Assessment, {
    description:
      "Officers and supervisors of the case's office: evaluates the case's facts and your determinations under the policy version in force on `asOf`'s date in the office's time zone, records the outcome for good and makes it the case's `latestAssessment` (superseding, never overwriting, the previous one). NOT_FOUND: not a case of your office; CONFLICT: the case is closed; BAD_USER_INPUT: `asOf` in the future or on a date no version covers, a determination this version does not use, a rationale shorter than the version's minimum, an asserted category that is not supported.",
  })
  assessCase(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => AssessCaseInput, {
      description: 'The case, the instant to assess as of, and your determinations.',
    })
    input: AssessCaseInput,
  ): Promise<AssessmentEntity> {
    return assessments.assessCase(ctx, input);
  }

  @Mutation(() => [PolicyVersion], {
    description:
      'Headquarters only (others: FORBIDDEN): sets the effective dates of one version (and of `alsoReschedule`) in one change, and returns every version. The resulting schedule may have neither overlaps nor gaps, and only the latest version may be open-ended; else BAD_USER_INPUT saying which versions clash. Past assessments keep the version they were made under.',
  })
  schedulePolicyVersion(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => SchedulePolicyVersionInput, {
      description: 'The version, its new effective dates, any neighbours to move with it, and why.',
    })
    input: SchedulePolicyVersionInput,
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
