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
});

@ObjectType({ description: 'Who voided an action recorded in error, when and why.' })
export class EnforcementActionVoid {
  @Field(() => String)
  reason: string;

  @Field(() => DateTimeScalar)
  voidedAt: Date;

  // voidedBy: field resolver.
}

@ObjectType({
  description:
    'An enforcement action as recorded. Never edited: a mistake is voided, with a reason.',
})
export class EnforcementAction {
  @Field(() => ID)
  id: string;

  @Field(() => ActionType)
  type: ActionType;

  @Field(() => DateTimeScalar)
  occurredAt: Date;

  @Field(() => String)
  location: string;

  @Field(() => EnforcementBasis, { description: 'Derived by the server from the record.' })
  basis: EnforcementBasis;

  @Field(() => PriorityCategory, {
    description: 'The category it counts under; OTHER outside the presumptions.',
  })
  category: PriorityCategory;

  @Field(() => String, {
    nullable: true,
    description: 'Exigent: why pre-approval was not feasible.',
  })
  exigentNarrative: string | null;

  @Field(() => DateTimeScalar)
  recordedAt: Date;

  // policyVersion, case, recordedBy, assessment, approvalRequest, postActionRequest, ratification,
  // voided and void are field resolvers.
}
