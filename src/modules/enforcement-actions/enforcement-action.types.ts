import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../common/scalars';
import { PriorityCategory } from '../assessments/policy/types';
import { ActionType, EnforcementBasis } from './action-type';

export enum Ratification {
  /** Not an exigent action. */
  NOT_APPLICABLE = 'NOT_APPLICABLE',
  AWAITING_JUSTIFICATION = 'AWAITING_JUSTIFICATION',
  AWAITING_DECISION = 'AWAITING_DECISION',
  RATIFIED = 'RATIFIED',
  /** The post-action request was denied: the action stays on record, not ratified. */
  NOT_RATIFIED = 'NOT_RATIFIED',
}

registerEnumType(Ratification, {
  name: 'Ratification',
  description: 'Where an exigent action stands.',
  valuesConfig: {
    NOT_APPLICABLE: { description: 'Not an exigent action.' },
    AWAITING_JUSTIFICATION: {
      description: 'The post-action justification has not been submitted yet.',
    },
    AWAITING_DECISION: {
      description: "Justified; awaiting a supervisor's decision on the post-action request.",
    },
    RATIFIED: { description: 'A supervisor approved the post-action request.' },
    NOT_RATIFIED: {
      description:
        'A supervisor denied the post-action request: the action stays on record, not ratified.',
    },
  },
});

@ObjectType({ description: 'Who voided an action recorded in error, when and why.' })
export class EnforcementActionVoid {
  @Field(() => String, { description: 'Why the action was voided.' })
  reason: string;

  @Field(() => DateTimeScalar, { description: 'When it was voided.' })
  voidedAt: Date;

  // voidedBy: field resolver.
}

@ObjectType({
  description:
    'An enforcement action as recorded. Never edited: a mistake is voided, with a reason.',
})
export class EnforcementAction {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  id: string;

  @Field(() => ActionType, { description: 'What was done.' })
  type: ActionType;

  @Field(() => DateTimeScalar, {
    description:
      "When it happened; its date in the office's time zone picks the policy version and the report week.",
  })
  occurredAt: Date;

  @Field(() => String, { description: 'Where it happened, as recorded.' })
  location: string;

  @Field(() => EnforcementBasis, {
    description: 'What it rests on, derived by the server from the record when it was recorded.',
  })
  basis: EnforcementBasis;

  @Field(() => PriorityCategory, {
    description:
      "The category it counts under in reports and figures: the assessment's primary category for PRESUMED_PRIORITY and ASSESSED; OTHER for PREAPPROVED and EXIGENT.",
  })
  category: PriorityCategory;

  @Field(() => String, {
    nullable: true,
    description:
      'Why pre-approval was not feasible, as given in `exigent`; null when the action was recorded without it.',
  })
  exigentNarrative: string | null;

  @Field(() => DateTimeScalar, { description: 'When it was recorded in the service.' })
  recordedAt: Date;

  // policyVersion, case, recordedBy, assessment, approvalRequest, postActionRequest, ratification,
  // voided and void are field resolvers.
}
