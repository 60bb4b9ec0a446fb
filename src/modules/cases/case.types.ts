import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../../common/connection.types';
import { DateScalar, DateTimeScalar } from '../../common/scalars';
import { CaseStatus, CriminalOrganizationKind } from './case.entity';

registerEnumType(CaseStatus, {
  name: 'CaseStatus',
  description: 'Whether the case is still being worked.',
});
registerEnumType(CriminalOrganizationKind, {
  name: 'CriminalOrganizationKind',
  description: 'An organized criminal gang, or a transnational criminal organization.',
});

@ObjectType({
  description:
    'The person a case is about. Personal data: every response that shows it is audited.',
})
export class Subject {
  @Field(() => String)
  name: string;

  @Field(() => DateScalar)
  dateOfBirth: string;

  @Field(() => String, { description: "Alien registration number, shown 'A123-456-789'." })
  aNumber: string;

  @Field(() => String, { description: 'Country of citizenship, ISO 3166-1 alpha-2.' })
  countryOfCitizenship: string;
}

@ObjectType({
  description:
    'Apprehension at the border or a port of entry while attempting to enter unlawfully.',
})
export class BorderApprehension {
  @Field(() => DateScalar)
  date: string;

  @Field(() => String, { nullable: true, description: "Where, e.g. 'Laredo port of entry'." })
  location: string | null;
}

@ObjectType({
  description:
    'Participation in an organized criminal gang or transnational criminal organization.',
})
export class GangParticipation {
  @Field(() => String, { nullable: true })
  organization: string | null;

  @Field(() => CriminalOrganizationKind)
  kind: CriminalOrganizationKind;

  @Field(() => Boolean, { description: 'The participation was intentional.' })
  intentional: boolean;

  @Field(() => Boolean, {
    description: "It was in furtherance of the organization's illegal activity.",
  })
  furtheredIllegalActivity: boolean;

  @Field(() => Int, { description: "The person's age at the time." })
  ageAtParticipation: number;
}

@ObjectType({
  description:
    'Flags that gate removal: removing a vulnerable person needs a supervisor’s approval.',
})
export class Vulnerability {
  @Field(() => Boolean)
  elderly: boolean;

  @Field(() => Boolean, { description: 'Serious mental or physical illness.' })
  seriousIllness: boolean;

  @Field(() => Boolean, { description: 'A pending motion, appeal or application for relief.' })
  pendingReliefApplication: boolean;
}

@ObjectType({ description: "A criminal conviction of the case's subject." })
export class Conviction {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  offense: string;

  @Field(() => String)
  jurisdiction: string;

  @Field(() => DateScalar)
  convictedOn: string;

  @Field(() => Boolean, { description: 'An aggravated felony under INA 101(a)(43).' })
  aggravatedFelony: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'The subparagraph of INA 101(a)(43), A to U.',
  })
  aggravatedFelonySubparagraph: string | null;

  @Field(() => Boolean, {
    description:
      'An element of the offense was active participation in a criminal street gang (18 U.S.C. 521(a)).',
  })
  gangParticipationElement: boolean;

  @Field(() => Boolean, {
    description: 'The conviction was vacated: the rules no longer count it.',
  })
  vacated: boolean;
}

@ObjectType({
  description: 'The facts the policy engine reads. A null date is unknown, never guessed.',
})
export class CaseFacts {
  /** Not a field: lets the conviction resolver batch by case. */
  caseId: string;

  @Field(() => Boolean, {
    description: 'Engaged in or suspected of terrorism or espionage, or related activities.',
  })
  terrorismOrEspionage: boolean;

  @Field(() => BorderApprehension, { nullable: true })
  borderApprehension: BorderApprehension | null;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      'When the person was first physically present in the United States; null when unknown.',
  })
  firstPresentOn: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Most recent release from a prison or jail.',
  })
  lastReleasedFromCustodyOn: string | null;

  @Field(() => GangParticipation, { nullable: true })
  gangParticipation: GangParticipation | null;

  @Field(() => Vulnerability)
  vulnerability: Vulnerability;

  // `convictions` is a field resolver (CaseFactsResolver).
}

@ObjectType({
  description:
    'One person under consideration in one field office, and everything recorded about them.',
})
export class Case {
  @Field(() => ID)
  id: string;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field(() => Int, {
    description:
      'Increases with every change; pass it as `expectedVersion` when changing the case.',
  })
  version: number;

  @Field(() => DateTimeScalar)
  updatedAt: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  closedAt: Date | null;

  @Field(() => String, { nullable: true })
  closeReason: string | null;

  // openedAt, office, assignedOfficer, openedBy, subject and facts are field resolvers (CaseResolver).
}

@ObjectType({ description: 'A case in a list, with its cursor.' })
export class CaseEdge {
  @Field(() => Case)
  node: Case;

  @Field(() => String)
  cursor: string;
}

@ObjectType({ description: 'A page of cases, newest first.' })
export class CaseConnection {
  @Field(() => [CaseEdge])
  edges: CaseEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  // `totalCount` is a field resolver: counted only when asked for.
}
