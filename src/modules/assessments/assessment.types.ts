import { JSONResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../common/scalars';
import { CriterionStatus, PriorityCategory, Weight } from './policy/types';

registerEnumType(PriorityCategory, {
  name: 'PriorityCategory',
  description: 'Enforcement priority categories; OTHER is outside all of them.',
});
registerEnumType(CriterionStatus, {
  name: 'CriterionStatus',
  description: 'How a criterion came out.',
});
registerEnumType(Weight, { name: 'Weight', description: 'How heavily a factor weighs.' });

@ObjectType({ description: 'One criterion of a policy version.' })
export class PolicyCriterion {
  @Field(() => String, { description: "Stable code, e.g. 'ICE-2021-02-18/PS-AGG-FELONY'." })
  code: string;

  @Field(() => PriorityCategory)
  category: PriorityCategory;

  @Field(() => String)
  description: string;

  @Field(() => String, { description: 'The provision it rests on.' })
  source: string;
}

@ObjectType({
  description: "A version's parameters: values that belong to the policy, not to the code.",
})
export class PolicyParameters {
  @Field(() => DateScalar, { description: 'Border-security cut-off date.' })
  borderCutoff: string;

  @Field(() => Int)
  gangParticipationMinAge: number;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'DHS-2021-01-20: custody release on or after this date.',
  })
  custodyReleaseFrom: string | null;

  @Field(() => Int)
  minRationaleLength: number;

  @Field(() => Int)
  minJustificationLength: number;

  @Field(() => Int)
  exigentDeadlineHours: number;

  @Field(() => Int)
  approvalValidityDays: number;

  @Field(() => Int, {
    description: 'Hours after the week ends (Monday 00:00 local) that its report is due.',
  })
  weeklyReportDueHours: number;
}

@ObjectType({
  description: 'A version of the enforcement-priority policy and when it is in force.',
})
export class PolicyVersion {
  @Field(() => String)
  code: string;

  @Field(() => String)
  title: string;

  @Field(() => String)
  source: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'First day in force (inclusive); null: not scheduled.',
  })
  effectiveFrom: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Last day in force (inclusive); null: open-ended.',
  })
  effectiveTo: string | null;

  @Field(() => Boolean, {
    description: 'Actions outside the presumed priorities need supervisor pre-approval.',
  })
  requiresPreapproval: boolean;

  @Field(() => Boolean, { description: 'Matched categories are presumed priorities.' })
  presumptions: boolean;

  @Field(() => PolicyParameters)
  parameters: PolicyParameters;

  @Field(() => [PolicyCriterion])
  criteria: PolicyCriterion[];
}

@ObjectType({ description: "One criterion's result in an assessment." })
export class AssessmentReason {
  @Field(() => String, { description: 'The criterion code.' })
  criterion: string;

  @Field(() => PriorityCategory)
  category: PriorityCategory;

  @Field(() => Boolean)
  met: boolean;

  @Field(() => CriterionStatus)
  status: CriterionStatus;

  @Field(() => String, { description: 'One sentence naming the facts it used.' })
  detail: string;

  @Field(() => String, { description: 'What the criterion requires.' })
  description: string;
}

@ObjectType({
  description:
    'A recorded evaluation of a case under a policy version. Never changed; a newer one supersedes it.',
})
export class Assessment {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: 'The code of the policy version applied.' })
  policyVersion: string;

  @Field(() => PriorityCategory, {
    description: 'The first matched category in policy order; OTHER when none matched.',
  })
  primaryCategory: PriorityCategory;

  @Field(() => [PriorityCategory], { description: 'Every matched category, in policy order.' })
  categories: PriorityCategory[];

  @Field(() => Boolean)
  presumedPriority: boolean;

  @Field(() => Boolean, {
    description: 'An enforcement action needs an approved pre-approval request.',
  })
  requiresPreapproval: boolean;

  @Field(() => [AssessmentReason])
  reasons: AssessmentReason[];

  @Field(() => String, { description: 'The outcome in one paragraph of plain English.' })
  summary: string;

  @Field(() => DateTimeScalar)
  asOf: Date;

  @Field(() => DateScalar, {
    description: "`asOf` in the office's calendar: the date that selected the version.",
  })
  asOfDate: string;

  @Field(() => DateTimeScalar)
  assessedAt: Date;

  @Field(() => JSONResolver, { description: "The officer's determinations as recorded." })
  determinations: unknown;

  @Field(() => JSONResolver, { description: 'The facts as they were read (no subject identity).' })
  factsSnapshot: unknown;

  // `assessedBy` and `policy` are field resolvers.
}
