import { ArrayMaxSize, Length, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../common/scalars';
import { PriorityCategory, Weight } from './policy/types';

@InputType({
  description:
    'Mitigating factors weighed in a public-safety threat determination: present or absent.',
})
export class PublicSafetyMitigatingInput {
  @Field(() => Boolean, { description: 'Personal and family circumstances weigh in mitigation.' })
  personalAndFamilyCircumstances: boolean;

  @Field(() => Boolean, { description: 'Health and medical factors weigh in mitigation.' })
  healthAndMedicalFactors: boolean;

  @Field(() => Boolean, { description: 'Ties to the community weigh in mitigation.' })
  communityTies: boolean;

  @Field(() => Boolean, { description: 'There is evidence of rehabilitation.' })
  evidenceOfRehabilitation: boolean;

  @Field(() => Boolean, { description: 'The person may be eligible for relief from removal.' })
  potentialReliefFromRemoval: boolean;
}

@InputType({
  description:
    "The officer's determination whether the person currently poses a threat to public safety (DHS-2021-01-20, ICE-2021-02-18).",
})
export class PublicSafetyDeterminationInput {
  @Field(() => Boolean, {
    description: 'The conclusion: the person currently poses a threat to public safety.',
  })
  posesThreat: boolean;

  @Field(() => Weight, { description: 'How extensive the criminal activity is.' })
  extensiveness: Weight;

  @Field(() => Weight, { description: 'How serious the criminal activity is.' })
  seriousness: Weight;

  @Field(() => Weight, { description: 'How recent the criminal activity is (HIGH: recent).' })
  recency: Weight;

  @Field(() => PublicSafetyMitigatingInput, {
    description: 'The mitigating factors weighed, each present or absent.',
  })
  @ValidateNested()
  mitigating: PublicSafetyMitigatingInput;

  @Field(() => String, {
    description:
      "The written rationale: at least the version's `minRationaleLength` characters (40) once trimmed, at most 10000 (else BAD_USER_INPUT).",
  })
  @Length(1, 10000)
  rationale: string;
}

@InputType({
  description:
    "The officer's written determination whether apprehension is necessary to protect national security.",
})
export class NationalSecurityDeterminationInput {
  @Field(() => Boolean, {
    description: 'The conclusion: apprehension is necessary to protect national security.',
  })
  necessary: boolean;

  @Field(() => String, {
    description:
      "The written determination: at least the version's `minRationaleLength` characters (40) once trimmed, at most 10000.",
  })
  @Length(1, 10000)
  rationale: string;
}

@InputType({ description: 'Aggravating factors (DHS-2021-09-30): present or absent.' })
export class AggravatingFactorsInput {
  @Field(() => Boolean, { description: 'The gravity of the offense and of the sentence imposed.' })
  gravityOfOffenseAndSentence: boolean;

  @Field(() => Boolean, { description: 'The nature and degree of the harm caused.' })
  harmCaused: boolean;

  @Field(() => Boolean, { description: 'The sophistication of the criminal offense.' })
  sophistication: boolean;

  @Field(() => Boolean, { description: 'Use or threatened use of a firearm or dangerous weapon.' })
  firearmOrDangerousWeapon: boolean;

  @Field(() => Boolean, { description: 'A serious prior criminal record.' })
  seriousPriorRecord: boolean;
}

@InputType({ description: 'Mitigating factors (DHS-2021-09-30): present or absent.' })
export class TotalityMitigatingInput {
  @Field(() => Boolean, { description: 'Advanced or tender age.' })
  advancedOrTenderAge: boolean;

  @Field(() => Boolean, { description: 'Lengthy presence in the United States.' })
  lengthyPresence: boolean;

  @Field(() => Boolean, {
    description: 'A mental condition that may have contributed to the conduct, or care needs.',
  })
  mentalConditionOrCareNeeds: boolean;

  @Field(() => Boolean, { description: 'A victim of, or witness in, a crime.' })
  victimOrWitness: boolean;

  @Field(() => Boolean, { description: 'The impact of removal on family in the United States.' })
  impactOnFamily: boolean;

  @Field(() => Boolean, { description: 'Eligible for humanitarian protection or other relief.' })
  eligibleForRelief: boolean;

  @Field(() => Boolean, { description: 'Military or other public service.' })
  militaryOrPublicService: boolean;

  @Field(() => Boolean, {
    description: 'Time since the offense, and evidence of rehabilitation.',
  })
  timeSinceOffenseAndRehabilitation: boolean;

  @Field(() => Boolean, { description: 'The conviction was vacated or expunged.' })
  convictionVacatedOrExpunged: boolean;
}

@InputType({ description: 'The totality-of-circumstances assessment (DHS-2021-09-30).' })
export class TotalityDeterminationInput {
  @Field(() => AggravatingFactorsInput, {
    description: 'The aggravating factors weighed, each present or absent.',
  })
  @ValidateNested()
  aggravating: AggravatingFactorsInput;

  @Field(() => TotalityMitigatingInput, {
    description: 'The mitigating factors weighed, each present or absent.',
  })
  @ValidateNested()
  mitigating: TotalityMitigatingInput;

  @Field(() => Boolean, {
    description: 'The conclusion: the person poses a current threat to public safety.',
  })
  posesThreatToPublicSafety: boolean;

  @Field(() => String, {
    description:
      "The written rationale: at least the version's `minRationaleLength` characters (40) once trimmed, at most 10000.",
  })
  @Length(1, 10000)
  rationale: string;
}

@InputType({
  description:
    "Assesses a case's current facts, with the officer's determinations, under the policy in force.",
})
export class AssessCaseInput {
  @Field(() => ID, {
    description: 'The case: one of your office (else NOT_FOUND), open (else CONFLICT).',
  })
  caseId: string;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      "The instant to assess as of (default now; not in the future). Its date in the office's time zone picks the policy version; facts dated after it are left out.",
  })
  asOf?: Date | null;

  @Field(() => PublicSafetyDeterminationInput, {
    nullable: true,
    description:
      'The public-safety threat determination (DHS-2021-01-20, ICE-2021-02-18; under another version BAD_USER_INPUT). Without it, public-safety criteria that need it are not met.',
  })
  @ValidateNested()
  publicSafety?: PublicSafetyDeterminationInput | null;

  @Field(() => NationalSecurityDeterminationInput, {
    nullable: true,
    description:
      'The written national-security determination (every version). Without it, the necessity criterion is not met.',
  })
  @ValidateNested()
  nationalSecurity?: NationalSecurityDeterminationInput | null;

  @Field(() => TotalityDeterminationInput, {
    nullable: true,
    description:
      'The totality-of-circumstances determination (DHS-2021-09-30; under another version BAD_USER_INPUT).',
  })
  @ValidateNested()
  totality?: TotalityDeterminationInput | null;

  @Field(() => [PriorityCategory], {
    nullable: true,
    description:
      'Categories the officer asserts, at most 3; they do not change the outcome. Each must be supported: OTHER, a category that needs a determination without one, or one that the facts do not meet is BAD_USER_INPUT naming it and the unmet criteria.',
  })
  @ArrayMaxSize(3)
  assertCategories?: PriorityCategory[] | null;
}

@InputType({ description: "A version's effective dates." })
export class PolicyScheduleInput {
  @Field(() => String, {
    description:
      "A version's code, e.g. 'ICE-2021-02-18' (unknown, or listed twice: BAD_USER_INPUT).",
  })
  code: string;

  @Field(() => DateScalar, {
    description: "First day in force, inclusive (a calendar date in each office's time zone).",
  })
  effectiveFrom: string;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      'Last day in force, inclusive, not before `effectiveFrom`; null: open-ended (only the latest version).',
  })
  effectiveTo?: string | null;
}

@InputType({
  description:
    'Headquarters: sets a version’s effective dates. To move a boundary, reschedule the neighbour in the same call (`alsoReschedule`): the resulting schedule must have no overlaps and no gaps.',
})
export class SchedulePolicyVersionInput extends PolicyScheduleInput {
  @Field(() => [PolicyScheduleInput], {
    nullable: true,
    description:
      'Other versions to reschedule in the same change (at most 10), e.g. the neighbour whose boundary moves.',
  })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  alsoReschedule?: PolicyScheduleInput[] | null;

  @Field(() => String, { description: 'Why, for the audit trail: 3 to 2000 characters.' })
  @Length(3, 2000)
  reason: string;
}
