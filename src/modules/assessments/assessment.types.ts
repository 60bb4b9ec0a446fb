import { JSONResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../common/scalars';
import { CriterionStatus, PriorityCategory, Weight } from './policy/types';

registerEnumType(PriorityCategory, {
  name: 'PriorityCategory',
  description: 'Enforcement priority categories; OTHER is outside all of them.',
  valuesConfig: {
    NATIONAL_SECURITY: {
      description:
        'Terrorism or espionage (or related activities), or apprehension otherwise necessary to protect national security.',
    },
    BORDER_SECURITY: {
      description:
        "Apprehended at the border or a port of entry attempting to enter unlawfully, or (by version) not present in the United States before the version's cut-off.",
    },
    PUBLIC_SAFETY: {
      description:
        'A current threat to public safety, with the criminal record or gang participation the version asks for.',
    },
    OTHER: { description: 'Outside every priority category: no category matched.' },
  },
});
registerEnumType(CriterionStatus, {
  name: 'CriterionStatus',
  description: 'How a criterion came out.',
  valuesConfig: {
    MET: { description: 'The facts and determinations satisfy the criterion.' },
    NOT_MET: {
      description: 'They do not (an unknown date or a missing determination never meets one).',
    },
    NOT_APPLICABLE: {
      description:
        'The criterion does not bear on this case (e.g. it reads a determination this version does not use).',
    },
  },
});
registerEnumType(Weight, {
  name: 'Weight',
  description: 'How heavily a factor weighs.',
  valuesConfig: {
    LOW: { description: 'Weighs little.' },
    MODERATE: { description: 'Weighs moderately.' },
    HIGH: { description: 'Weighs heavily.' },
  },
});

@ObjectType({ description: 'One criterion of a policy version.' })
export class PolicyCriterion {
  @Field(() => String, { description: "Stable code, e.g. 'ICE-2021-02-18/PS-AGG-FELONY'." })
  code: string;

  @Field(() => PriorityCategory, { description: 'The category it counts towards.' })
  category: PriorityCategory;

  @Field(() => String, { description: 'What the criterion requires, in one sentence.' })
  description: string;

  @Field(() => String, { description: 'The provision it rests on.' })
  source: string;
}

@ObjectType({
  description: "A version's parameters: values that belong to the policy, not to the code.",
})
export class PolicyParameters {
  @Field(() => DateScalar, {
    description:
      'Border-security cut-off, a fixed calendar date (e.g. 2020-11-01): apprehension on or after it, or presence not before it, counts.',
  })
  borderCutoff: string;

  @Field(() => Int, {
    description: 'Minimum age, in years, at gang or criminal-organization participation (16).',
  })
  gangParticipationMinAge: number;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      'DHS-2021-01-20: public safety only for a release from a prison or jail on or after this date; null for the other versions.',
  })
  custodyReleaseFrom: string | null;

  @Field(() => Int, {
    description:
      "Minimum length, in characters (trimmed), of a determination's written rationale in `assessCase`.",
  })
  minRationaleLength: number;

  @Field(() => Int, {
    description:
      'Minimum length, in characters (trimmed), of a pre-approval justification or a post-action justification.',
  })
  minJustificationLength: number;

  @Field(() => Int, {
    description:
      'Hours after an exigent action (its `occurredAt`) by which the post-action justification is due; later ones are marked late.',
  })
  exigentDeadlineHours: number;

  @Field(() => Int, {
    description:
      'Days an approved pre-approval (or vulnerable-removal) request stays valid after its decision; then it reads EXPIRED.',
  })
  approvalValidityDays: number;

  @Field(() => Int, {
    description:
      "Hours after the week ends (the next Monday 00:00 in the office's time zone) that its report is due; the version in force on the week's Sunday decides.",
  })
  weeklyReportDueHours: number;
}

@ObjectType({
  description: 'A version of the enforcement-priority policy and when it is in force.',
})
export class PolicyVersion {
  @Field(() => String, {
    description:
      "Stable code, e.g. 'ICE-2021-02-18': what assessments, requests and actions name in `policyVersion`.",
  })
  code: string;

  @Field(() => String, { description: "The document's title." })
  title: string;

  @Field(() => String, {
    description: "The document it implements, e.g. 'ICE Policy 11090.1 (18 February 2021)'.",
  })
  source: string;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      "First day in force (inclusive), a calendar date read in each office's time zone; null: not scheduled.",
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

  @Field(() => Boolean, {
    description:
      'Matched categories are presumed priorities (ICE-2021-02-18, DHS-2021-01-20); false: no presumptions, the officer weighs the totality of the circumstances (DHS-2021-09-30).',
  })
  presumptions: boolean;

  @Field(() => PolicyParameters, {
    description: "The version's parameters (dates, ages, lengths, deadlines).",
  })
  parameters: PolicyParameters;

  @Field(() => [PolicyCriterion], {
    description: 'The criteria the engine checks under this version, in policy order.',
  })
  criteria: PolicyCriterion[];
}

@ObjectType({ description: "One criterion's result in an assessment." })
export class AssessmentReason {
  @Field(() => String, {
    description: "The criterion code, e.g. 'ICE-2021-02-18/PS-AGG-FELONY' (see `PolicyCriterion`).",
  })
  criterion: string;

  @Field(() => PriorityCategory, { description: 'The category the criterion counts towards.' })
  category: PriorityCategory;

  @Field(() => Boolean, { description: 'Whether it was met: `status` is MET.' })
  met: boolean;

  @Field(() => CriterionStatus, { description: 'MET, NOT_MET or NOT_APPLICABLE.' })
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
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  id: string;

  @Field(() => String, {
    description: "The code of the policy version applied, e.g. 'ICE-2021-02-18'.",
  })
  policyVersion: string;

  @Field(() => PriorityCategory, {
    description: 'The first matched category in policy order; OTHER when none matched.',
  })
  primaryCategory: PriorityCategory;

  @Field(() => [PriorityCategory], { description: 'Every matched category, in policy order.' })
  categories: PriorityCategory[];

  @Field(() => Boolean, {
    description:
      'A category matched under a version with presumptions: an enforcement action needs no pre-approval.',
  })
  presumedPriority: boolean;

  @Field(() => Boolean, {
    description:
      'No category matched under a version that requires pre-approval: an enforcement action needs an approved request (or is exigent).',
  })
  requiresPreapproval: boolean;

  @Field(() => [AssessmentReason], {
    description: "Every criterion of the version and how it came out, in the version's order.",
  })
  reasons: AssessmentReason[];

  @Field(() => String, { description: 'The outcome in one paragraph of plain English.' })
  summary: string;

  @Field(() => DateTimeScalar, {
    description: 'The instant assessed as of (the `asOf` given, else when it was made).',
  })
  asOf: Date;

  @Field(() => DateScalar, {
    description: "`asOf` in the office's calendar: the date that selected the version.",
  })
  asOfDate: string;

  @Field(() => DateTimeScalar, { description: 'When the assessment was recorded.' })
  assessedAt: Date;

  @Field(() => JSONResolver, {
    description:
      "The officer's determinations as recorded: an object with `publicSafety`, `nationalSecurity` and/or `totality`, shaped as their inputs.",
  })
  determinations: unknown;

  @Field(() => JSONResolver, {
    description:
      'The facts as the rules read them (no subject identity): those dated after `asOfDate` left out.',
  })
  factsSnapshot: unknown;

  // `assessedBy` and `policy` are field resolvers.
}
