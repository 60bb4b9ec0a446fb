import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../../common/connection.types';
import { DateScalar, DateTimeScalar } from '../../common/scalars';
import { CaseStatus, CriminalOrganizationKind } from './case.entity';

registerEnumType(CaseStatus, {
  name: 'CaseStatus',
  description: 'Whether the case is still being worked.',
  valuesConfig: {
    OPEN: { description: 'Being worked: facts, assessments, requests and actions may be added.' },
    CLOSED: {
      description:
        'Closed with a reason, for good: changing its facts, assessing it, requesting approval or recording an action on it is a CONFLICT (pending requests can still be justified and decided, actions voided).',
    },
  },
});
registerEnumType(CriminalOrganizationKind, {
  name: 'CriminalOrganizationKind',
  description: 'An organized criminal gang, or a transnational criminal organization.',
  valuesConfig: {
    CRIMINAL_STREET_GANG: { description: 'An organized criminal gang (a criminal street gang).' },
    TRANSNATIONAL_CRIMINAL_ORGANIZATION: {
      description: 'A transnational criminal organization.',
    },
  },
});

@ObjectType({
  description:
    'The person a case is about. Personal data: every response that shows it is audited.',
})
export class Subject {
  @Field(() => String, { description: 'Full name, as recorded.' })
  name: string;

  @Field(() => DateScalar, { description: 'Date of birth (a calendar date).' })
  dateOfBirth: string;

  @Field(() => String, {
    description: "Alien registration number: nine digits, always shown 'A123-456-789'.",
  })
  aNumber: string;

  @Field(() => String, {
    description: "Country of citizenship, ISO 3166-1 alpha-2, upper-case (e.g. 'MX').",
  })
  countryOfCitizenship: string;
}

@ObjectType({
  description:
    'Apprehension at the border or a port of entry while attempting to enter unlawfully.',
})
export class BorderApprehension {
  @Field(() => DateScalar, {
    description:
      "The day of the apprehension (a calendar date): border-security criteria compare it with the policy version's cut-off.",
  })
  date: string;

  @Field(() => String, {
    nullable: true,
    description: "Where, e.g. 'Laredo port of entry'; null when not recorded.",
  })
  location: string | null;
}

@ObjectType({
  description:
    'Participation in an organized criminal gang or transnational criminal organization.',
})
export class GangParticipation {
  @Field(() => String, {
    nullable: true,
    description: 'The gang or organization by name; null when not recorded.',
  })
  organization: string | null;

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

  @Field(() => Int, {
    description:
      "The person's age at the time, in whole years (0 to 130); ICE-2021-02-18 counts participation from the version's `gangParticipationMinAge` (16).",
  })
  ageAtParticipation: number;
}

@ObjectType({
  description:
    'Flags that gate removal: removing a vulnerable person needs a supervisor’s approval.',
})
export class Vulnerability {
  @Field(() => Boolean, { description: 'The person is elderly.' })
  elderly: boolean;

  @Field(() => Boolean, { description: 'Serious mental or physical illness.' })
  seriousIllness: boolean;

  @Field(() => Boolean, { description: 'A pending motion, appeal or application for relief.' })
  pendingReliefApplication: boolean;
}

@ObjectType({ description: "A criminal conviction of the case's subject." })
export class Conviction {
  @Field(() => ID, {
    description: 'Stable id (a UUID): name it in `vacateConvictionIds` or `removeConvictionIds`.',
  })
  id: string;

  @Field(() => String, { description: "The offense, e.g. 'Burglary'." })
  offense: string;

  @Field(() => String, {
    description: "The convicting court's jurisdiction, e.g. 'Queens County, NY'.",
  })
  jurisdiction: string;

  @Field(() => DateScalar, { description: 'The day of the conviction (a calendar date).' })
  convictedOn: string;

  @Field(() => Boolean, { description: 'An aggravated felony under INA 101(a)(43).' })
  aggravatedFelony: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'The subparagraph of INA 101(a)(43), one letter A to U; null unless an aggravated felony.',
  })
  aggravatedFelonySubparagraph: string | null;

  @Field(() => Boolean, {
    description:
      'An element of the offense was active participation in a criminal street gang (18 U.S.C. 521(a)).',
  })
  gangParticipationElement: boolean;

  @Field(() => Boolean, {
    description:
      'The conviction was vacated: the rules no longer count it (kept on record, marked).',
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

  @Field(() => BorderApprehension, {
    nullable: true,
    description:
      'Apprehended at the border or a port of entry while attempting to enter unlawfully; null: not recorded.',
  })
  borderApprehension: BorderApprehension | null;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      'When the person was first physically present in the United States; null when unknown.',
  })
  firstPresentOn: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      'The day of the most recent release from a prison or jail; null when none is known (DHS-2021-01-20 reads it).',
  })
  lastReleasedFromCustodyOn: string | null;

  @Field(() => GangParticipation, {
    nullable: true,
    description:
      'Participation in an organized criminal gang or transnational criminal organization; null: none recorded.',
  })
  gangParticipation: GangParticipation | null;

  @Field(() => Vulnerability, {
    description: 'Flags that gate removal (each false unless recorded).',
  })
  vulnerability: Vulnerability;

  // `convictions` is a field resolver (CaseFactsResolver).
}

@ObjectType({
  description:
    'One person under consideration in one field office, and everything recorded about them.',
})
export class Case {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  id: string;

  @Field(() => CaseStatus, { description: 'OPEN while being worked; CLOSED with a reason.' })
  status: CaseStatus;

  @Field(() => Int, {
    description:
      'Increases by one with every change to its facts or status (not with assessments, requests or actions); pass it as `expectedVersion` when changing the case.',
  })
  version: number;

  @Field(() => DateTimeScalar, {
    description: 'When the case itself last changed (opened, facts changed, closed).',
  })
  updatedAt: Date;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the case was closed; null while open.',
  })
  closedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it was closed; null while open.',
  })
  closeReason: string | null;

  // openedAt, office, assignedOfficer, openedBy, subject and facts are field resolvers (CaseResolver).
}

@ObjectType({ description: 'A case in a list, with its cursor.' })
export class CaseEdge {
  @Field(() => Case, { description: 'The case.' })
  node: Case;

  @Field(() => String, {
    description:
      'Opaque position of this case in the list: pass it as `after` to read on from here.',
  })
  cursor: string;
}

@ObjectType({ description: 'A page of cases, newest first.' })
export class CaseConnection {
  @Field(() => [CaseEdge], {
    description: 'At most `first` cases, the most recently opened first (ties by id).',
  })
  edges: CaseEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' })
  pageInfo: PageInfo;

  // `totalCount` is a field resolver: counted only when asked for.
}
