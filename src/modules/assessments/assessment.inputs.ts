import { ArrayMaxSize, Length, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../common/scalars';
import { PriorityCategory, Weight } from './policy/types';

@InputType({
  description:
    'Mitigating factors weighed in a public-safety threat determination: present or absent.',
})
export class PublicSafetyMitigatingInput {
  @Field(() => Boolean)
  personalAndFamilyCircumstances: boolean;

  @Field(() => Boolean)
  healthAndMedicalFactors: boolean;

  @Field(() => Boolean)
  communityTies: boolean;

  @Field(() => Boolean)
  evidenceOfRehabilitation: boolean;

  @Field(() => Boolean)
  potentialReliefFromRemoval: boolean;
}

@InputType({
  description:
    "The officer's determination whether the person currently poses a threat to public safety (DHS-2021-01-20, ICE-2021-02-18).",
})
export class PublicSafetyDeterminationInput {
  @Field(() => Boolean)
  posesThreat: boolean;

  @Field(() => Weight, { description: 'How extensive the criminal activity is.' })
  extensiveness: Weight;

  @Field(() => Weight, { description: 'How serious the criminal activity is.' })
  seriousness: Weight;

  @Field(() => Weight, { description: 'How recent the criminal activity is (HIGH: recent).' })
  recency: Weight;

  @Field(() => PublicSafetyMitigatingInput)
  @ValidateNested()
  mitigating: PublicSafetyMitigatingInput;

  @Field(() => String, {
    description: "The written rationale; at least the version's minimum length.",
  })
  @Length(1, 10000)
  rationale: string;
}

@InputType({
  description:
    "The officer's written determination whether apprehension is necessary to protect national security.",
})
export class NationalSecurityDeterminationInput {
  @Field(() => Boolean)
  necessary: boolean;

  @Field(() => String)
  @Length(1, 10000)
  rationale: string;
}

@InputType({ description: 'Aggravating factors (DHS-2021-09-30): present or absent.' })
export class AggravatingFactorsInput {
  @Field(() => Boolean)
  gravityOfOffenseAndSentence: boolean;

  @Field(() => Boolean)
  harmCaused: boolean;

  @Field(() => Boolean)
  sophistication: boolean;

  @Field(() => Boolean)
  firearmOrDangerousWeapon: boolean;

  @Field(() => Boolean)
  seriousPriorRecord: boolean;
}

@InputType({ description: 'Mitigating factors (DHS-2021-09-30): present or absent.' })
export class TotalityMitigatingInput {
  @Field(() => Boolean)
  advancedOrTenderAge: boolean;

  @Field(() => Boolean)
  lengthyPresence: boolean;

  @Field(() => Boolean)
  mentalConditionOrCareNeeds: boolean;

  @Field(() => Boolean)
  victimOrWitness: boolean;

  @Field(() => Boolean)
  impactOnFamily: boolean;

  @Field(() => Boolean)
  eligibleForRelief: boolean;

  @Field(() => Boolean)
  militaryOrPublicService: boolean;

  @Field(() => Boolean)
  timeSinceOffenseAndRehabilitation: boolean;

  @Field(() => Boolean)
  convictionVacatedOrExpunged: boolean;
}

@InputType({ description: 'The totality-of-circumstances assessment (DHS-2021-09-30).' })
export class TotalityDeterminationInput {
  @Field(() => AggravatingFactorsInput)
  @ValidateNested()
  aggravating: AggravatingFactorsInput;

  @Field(() => TotalityMitigatingInput)
  @ValidateNested()
  mitigating: TotalityMitigatingInput;

  @Field(() => Boolean, {
    description: 'The conclusion: the person poses a current threat to public safety.',
  })
  posesThreatToPublicSafety: boolean;

  @Field(() => String)
  @Length(1, 10000)
  rationale: string;
}

@InputType({
  description:
    "Assesses a case's current facts, with the officer's determinations, under the policy in force.",
})
export class AssessCaseInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      "The instant to assess as of (default now; not in the future). Its date in the office's time zone picks the policy version; facts dated after it are left out.",
  })
  asOf?: Date | null;

  @Field(() => PublicSafetyDeterminationInput, { nullable: true })
  @ValidateNested()
  publicSafety?: PublicSafetyDeterminationInput | null;

  @Field(() => NationalSecurityDeterminationInput, { nullable: true })
  @ValidateNested()
  nationalSecurity?: NationalSecurityDeterminationInput | null;

  @Field(() => TotalityDeterminationInput, { nullable: true })
  @ValidateNested()
  totality?: TotalityDeterminationInput | null;

  @Field(() => [PriorityCategory], {
    nullable: true,
    description:
      'Categories the officer asserts. Each must be supported: a category that needs a determination without one, or that the facts do not meet, is refused.',
  })
  @ArrayMaxSize(3)
  assertCategories?: PriorityCategory[] | null;
}

@InputType({ description: "A version's effective dates." })
export class PolicyScheduleInput {
  @Field(() => String)
  code: string;

  @Field(() => DateScalar)
  effectiveFrom: string;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Inclusive; null: open-ended (only the latest version).',
  })
  effectiveTo?: string | null;
}

@InputType({
  description:
    'Headquarters: sets a version’s effective dates. To move a boundary, reschedule the neighbour in the same call (`alsoReschedule`): the resulting schedule must have no overlaps and no gaps.',
})
export class SchedulePolicyVersionInput extends PolicyScheduleInput {
  @Field(() => [PolicyScheduleInput], { nullable: true })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  alsoReschedule?: PolicyScheduleInput[] | null;

  @Field(() => String, { description: 'Why, for the audit trail.' })
  @Length(3, 2000)
  reason: string;
}
