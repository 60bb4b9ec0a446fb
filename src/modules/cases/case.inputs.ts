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
  @Field(() => String, {
    description: 'Full name, 1 to 200 characters, not blank; stored trimmed.',
  })
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  // Stored trimmed: a name of only spaces would be stored empty.
  @Matches(/\S/, { message: 'must not be blank' })
  name: string;

  @Field(() => DateScalar, {
    description: "Not in the future (today in the office's time zone).",
  })
  dateOfBirth: string;

  @Field(() => String, {
    description:
      "Nine digits, written 'A123456789', '123456789' or 'A123-456-789'; stored as the digits.",
  })
  @Matches(A_NUMBER_PATTERN, { message: "must be nine digits, e.g. 'A123-456-789'" })
  aNumber: string;

  @Field(() => String, {
    description: "ISO 3166-1 alpha-2 code, e.g. 'MX' (any case; stored upper-case).",
  })
  @IsISO31661Alpha2({ message: "must be an ISO 3166-1 alpha-2 country code such as 'MX'" })
  countryOfCitizenship: string;
}

@InputType({
  description:
    'Apprehension at the border or a port of entry while attempting to enter unlawfully.',
})
export class BorderApprehensionInput {
  @Field(() => DateScalar, {
    description:
      "The day of the apprehension: not in the future (office's time zone), not before the date of birth.",
  })
  date: string;

  @Field(() => String, {
    nullable: true,
    description: "Where, e.g. 'Laredo port of entry': 1 to 200 characters, not blank.",
  })
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
  @Field(() => String, {
    nullable: true,
    description: 'The gang or organization by name, 1 to 200 characters; optional.',
  })
  @IsOptional()
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  organization?: string | null;

  @Field(() => CriminalOrganizationKind, {
    description: 'A criminal street gang or a transnational criminal organization.',
  })
  kind: CriminalOrganizationKind;

  @Field(() => Boolean, { description: 'The participation was intentional.' })
  intentional: boolean;

  @Field(() => Boolean, {
    description: "It was in furtherance of the organization's illegal activity.",
  })
  furtheredIllegalActivity: boolean;

  @Field(() => Int, { description: "The person's age at the time, in whole years, 0 to 130." })
  @IsInt()
  @Min(0)
  @Max(130)
  ageAtParticipation: number;
}

@InputType({
  description: 'Vulnerability flags; an omitted flag is left as it is (false on a new case).',
})
export class VulnerabilityInput {
  @Field(() => Boolean, {
    nullable: true,
    description: 'The person is elderly. Omitted: unchanged; null is BAD_USER_INPUT.',
  })
  elderly?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Serious mental or physical illness. Omitted: unchanged; null is BAD_USER_INPUT.',
  })
  seriousIllness?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'A pending motion, appeal or application for relief. Omitted: unchanged; null is BAD_USER_INPUT.',
  })
  pendingReliefApplication?: boolean;
}

@InputType({ description: 'A criminal conviction.' })
export class ConvictionInput {
  @Field(() => String, { description: "The offense, e.g. 'Burglary': 1 to 300 characters." })
  @Length(1, 300)
  @Matches(/\S/, { message: 'must not be blank' })
  offense: string;

  @Field(() => String, {
    description:
      "The convicting court's jurisdiction, e.g. 'Queens County, NY': 1 to 200 characters.",
  })
  @Length(1, 200)
  @Matches(/\S/, { message: 'must not be blank' })
  jurisdiction: string;

  @Field(() => DateScalar, {
    description:
      "The day of the conviction: not in the future (office's time zone), not before the date of birth.",
  })
  convictedOn: string;

  @Field(() => Boolean, { description: 'An aggravated felony under INA 101(a)(43).' })
  aggravatedFelony: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'INA 101(a)(43) subparagraph, one capital letter A to U: required for an aggravated felony, refused otherwise (BAD_USER_INPUT).',
  })
  @IsOptional()
  @Matches(/^[A-U]$/, { message: 'must be one letter from A to U' })
  aggravatedFelonySubparagraph?: string | null;

  @Field(() => Boolean, {
    description:
      'An element of the offense was active participation in a criminal street gang (18 U.S.C. 521(a)).',
  })
  gangParticipationElement: boolean;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'The conviction was already vacated (the rules do not count it).',
  })
  vacated?: boolean;
}

@InputType({
  description:
    'Facts of a case. In `updateCaseFacts` an omitted field is left unchanged and null clears it (a null date is unknown).',
})
export class CaseFactsInput {
  @Field(() => Boolean, {
    nullable: true,
    description:
      'Engaged in or suspected of terrorism or espionage, or related activities (default false; null is BAD_USER_INPUT).',
  })
  terrorismOrEspionage?: boolean | null;

  @Field(() => BorderApprehensionInput, {
    nullable: true,
    description: 'Apprehension at the border or a port of entry; null clears it.',
  })
  @ValidateNested()
  borderApprehension?: BorderApprehensionInput | null;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      "First physical presence in the United States: not in the future (office's time zone), not before the date of birth; null: unknown.",
  })
  firstPresentOn?: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      "Most recent release from a prison or jail: not in the future (office's time zone), not before the date of birth; null: none known.",
  })
  lastReleasedFromCustodyOn?: string | null;

  @Field(() => GangParticipationInput, {
    nullable: true,
    description: 'Participation in a criminal gang or organization; null clears it.',
  })
  @ValidateNested()
  gangParticipation?: GangParticipationInput | null;

  @Field(() => VulnerabilityInput, {
    nullable: true,
    description: 'Vulnerability flags, each optional (null for the whole is BAD_USER_INPUT).',
  })
  @ValidateNested()
  vulnerability?: VulnerabilityInput | null;
}

@InputType({ description: 'Opens a case in your office.' })
export class OpenCaseInput {
  @Field(() => SubjectInput, { description: "The subject's identity." })
  @ValidateNested()
  subject: SubjectInput;

  @Field(() => CaseFactsInput, {
    nullable: true,
    description: 'The facts known so far; omitted ones are unknown (flags false).',
  })
  @ValidateNested()
  facts?: CaseFactsInput | null;

  @Field(() => [ConvictionInput], {
    nullable: true,
    description: 'Convictions known so far, at most 100.',
  })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  convictions?: ConvictionInput[] | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'An active officer or supervisor of your office; default: you. Anyone else is BAD_USER_INPUT.',
  })
  assignedOfficerId?: string | null;
}

@InputType({ description: 'Changes the facts of an open case.' })
export class UpdateCaseFactsInput {
  @Field(() => ID, {
    description: 'The case: one of your office (else NOT_FOUND), open (else CONFLICT).',
  })
  caseId: string;

  @Field(() => Int, { description: "The case's `version` you read; a stale one is a CONFLICT." })
  expectedVersion: number;

  @Field(() => CaseFactsInput, {
    nullable: true,
    description: 'Facts to change: an omitted field is left unchanged, null clears it.',
  })
  @ValidateNested()
  facts?: CaseFactsInput | null;

  @Field(() => [ConvictionInput], {
    nullable: true,
    description: 'Convictions to add, at most 100.',
  })
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  addConvictions?: ConvictionInput[] | null;

  @Field(() => [ID], {
    nullable: true,
    description:
      "Convictions of this case to mark vacated (kept, no longer counted), at most 100; another case's id is BAD_USER_INPUT.",
  })
  @ArrayMaxSize(100)
  vacateConvictionIds?: string[] | null;

  @Field(() => [ID], {
    nullable: true,
    description:
      'Convictions of this case recorded in error, to delete, at most 100; not also listed to vacate.',
  })
  @ArrayMaxSize(100)
  removeConvictionIds?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why, for the audit trail: 1 to 2000 characters, not blank; optional.',
  })
  @IsOptional()
  @Length(1, 2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason?: string | null;
}

@InputType({ description: 'Closes an open case.' })
export class CloseCaseInput {
  @Field(() => ID, {
    description: 'The case: one of your office (else NOT_FOUND), open (else CONFLICT).',
  })
  caseId: string;

  @Field(() => Int, {
    nullable: true,
    description: "The case's `version` you read: when given, a stale one is a CONFLICT.",
  })
  expectedVersion?: number | null;

  @Field(() => String, {
    description: 'Why the case is closed: 3 to 2000 characters, not blank; stored trimmed.',
  })
  @Length(3, 2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}

@InputType({ description: 'Narrows a list of cases.' })
export class CaseFilter {
  @Field(() => CaseStatus, { nullable: true, description: 'Only cases in this status.' })
  status?: CaseStatus | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only cases assigned to this user (a malformed id is BAD_USER_INPUT).',
  })
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
    description:
      'Only this office. Headquarters: any office; others: their own only (another, or an unknown code, is NOT_FOUND). Default: your office (headquarters: all).',
  })
  officeCode?: string | null;
}
