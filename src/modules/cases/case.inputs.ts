import {
  ArrayMaxSize,
  IsInt,
  IsISO31661Alpha2,
  IsOptional,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../../common/scalars';
import { PriorityCategory } from '../assessments/policy/types';
import { CaseStatus, CriminalOrganizationKind } from './case.entity';

/** Accepts 'A123456789', '123456789', 'A123-456-789'; stored as the nine digits. */
export const A_NUMBER_PATTERN = /^A?-?\d{3}-?\d{3}-?\d{3}$/i;

@InputType({ description: "The subject's identity." })
export class SubjectInput {
  @Field(() => String)
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  // Stored trimmed: a name of only spaces would be stored empty.
  @Matches(/\S/, { message: 'must not be blank' })
  name: string;

  @Field(() => DateScalar, { description: 'Not in the future.' })
  dateOfBirth: string;

  @Field(() => String, { description: "Nine digits, optionally written 'A123-456-789'." })
  @Matches(A_NUMBER_PATTERN, { message: "must be nine digits, e.g. 'A123-456-789'" })
  aNumber: string;

  @Field(() => String, { description: "ISO 3166-1 alpha-2 code, e.g. 'MX'." })
  @IsISO31661Alpha2({ message: "must be an ISO 3166-1 alpha-2 country code such as 'MX'" })
  countryOfCitizenship: string;
}

@InputType({
  description:
    'Apprehension at the border or a port of entry while attempting to enter unlawfully.',
})
export class BorderApprehensionInput {
  @Field(() => DateScalar, { description: 'Not in the future.' })
  date: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  location?: string | null;
}

@InputType({
  description:
    'Participation in an organized criminal gang or transnational criminal organization.',
})
export class GangParticipationInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  organization?: string | null;

  @Field(() => CriminalOrganizationKind)
  kind: CriminalOrganizationKind;

  @Field(() => Boolean)
  intentional: boolean;

  @Field(() => Boolean)
  furtheredIllegalActivity: boolean;

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(130)
  ageAtParticipation: number;
}

@InputType({
  description: 'Vulnerability flags; an omitted flag is left as it is (false on a new case).',
})
export class VulnerabilityInput {
  @Field(() => Boolean, { nullable: true })
  elderly?: boolean;

  @Field(() => Boolean, { nullable: true })
  seriousIllness?: boolean;

  @Field(() => Boolean, { nullable: true })
  pendingReliefApplication?: boolean;
}

@InputType({ description: 'A criminal conviction.' })
export class ConvictionInput {
  @Field(() => String)
  @Length(1, 300)
  @Matches(/\S/, { message: 'must not be blank' })
  offense: string;

  @Field(() => String)
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  jurisdiction: string;

  @Field(() => DateScalar, { description: 'Not in the future, not before the date of birth.' })
  convictedOn: string;

  @Field(() => Boolean)
  aggravatedFelony: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'INA 101(a)(43) subparagraph, A to U; required for an aggravated felony.',
  })
  @IsOptional()
  @Matches(/^[A-U]$/, { message: 'must be one letter from A to U' })
  aggravatedFelonySubparagraph?: string | null;

  @Field(() => Boolean)
  gangParticipationElement: boolean;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  vacated?: boolean;
}

@InputType({
  description:
    'Facts of a case. In `updateCaseFacts` an omitted field is left unchanged and null clears it (a null date is unknown).',
})
export class CaseFactsInput {
  @Field(() => Boolean, { nullable: true })
  terrorismOrEspionage?: boolean | null;

  @Field(() => BorderApprehensionInput, { nullable: true })
  @ValidateNested()
  borderApprehension?: BorderApprehensionInput | null;

  @Field(() => DateScalar, { nullable: true })
  firstPresentOn?: string | null;

  @Field(() => DateScalar, { nullable: true })
  lastReleasedFromCustodyOn?: string | null;

  @Field(() => GangParticipationInput, { nullable: true })
  @ValidateNested()
  gangParticipation?: GangParticipationInput | null;

  @Field(() => VulnerabilityInput, { nullable: true })
  @ValidateNested()
  vulnerability?: VulnerabilityInput | null;
}

@InputType({ description: 'Opens a case in your office.' })
export class OpenCaseInput {
  @Field(() => SubjectInput)
  @ValidateNested()
  subject: SubjectInput;

  @Field(() => CaseFactsInput, { nullable: true })
  @ValidateNested()
  facts?: CaseFactsInput | null;

  @Field(() => [ConvictionInput], { nullable: true })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  convictions?: ConvictionInput[] | null;

  @Field(() => ID, {
    nullable: true,
    description: 'An active officer or supervisor of your office; default: you.',
  })
  assignedOfficerId?: string | null;
}

@InputType({ description: 'Changes the facts of an open case.' })
export class UpdateCaseFactsInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => Int, { description: "The case's `version` you read; a stale one is a CONFLICT." })
  expectedVersion: number;

  @Field(() => CaseFactsInput, { nullable: true })
  @ValidateNested()
  facts?: CaseFactsInput | null;

  @Field(() => [ConvictionInput], { nullable: true })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  addConvictions?: ConvictionInput[] | null;

  @Field(() => [ID], { nullable: true, description: 'Convictions to mark vacated.' })
  @ArrayMaxSize(100)
  vacateConvictionIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Convictions recorded in error, to remove.' })
  @ArrayMaxSize(100)
  removeConvictionIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Why, for the audit trail.' })
  @IsOptional()
  @Length(1, 2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason?: string | null;
}

@InputType({ description: 'Closes an open case.' })
export class CloseCaseInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => Int, { nullable: true, description: 'When given, a stale version is a CONFLICT.' })
  expectedVersion?: number | null;

  @Field(() => String)
  @Length(3, 2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}

@InputType({ description: 'Narrows a list of cases.' })
export class CaseFilter {
  @Field(() => CaseStatus, { nullable: true })
  status?: CaseStatus | null;

  @Field(() => ID, { nullable: true })
  assignedOfficerId?: string | null;

  @Field(() => PriorityCategory, {
    nullable: true,
    description: 'Cases whose current assessment matched this category (OTHER: matched none).',
  })
  category?: PriorityCategory | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'true: an enforcement action would need pre-approval (the current assessment requires it, or the case is not yet assessed); false: the others.',
  })
  needsApproval?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description: 'Headquarters: one office. Others: only their own office.',
  })
  officeCode?: string | null;
}
