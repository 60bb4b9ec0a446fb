import { Length, Matches, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { DateTimeScalar } from '../../common/scalars';
import { ActionType } from './action-type';

@InputType({
  description:
    'Marks an action as taken under exigent circumstances, where pre-approval was not feasible.',
})
export class ExigentInput {
  @Field(() => String, {
    description: 'Why pre-approval was not feasible: 10 to 10000 characters, not blank.',
  })
  @Length(10, 10000)
  @Matches(/\S/, { message: 'must not be blank' })
  narrative: string;
}

@InputType({
  description:
    'Records an enforcement action. The server derives its basis from the record; without one it refuses with PREAPPROVAL_REQUIRED.',
})
export class RecordEnforcementActionInput {
  @Field(() => ID, {
    description: 'The case: one of your office (else NOT_FOUND), open (else CONFLICT).',
  })
  caseId: string;

  @Field(() => ActionType, { description: 'What was done.' })
  type: ActionType;

  @Field(() => DateTimeScalar, {
    description:
      "When it happened: not after the service's time (BAD_USER_INPUT). Its date in the office's time zone picks the policy version; an approval must have been valid at that instant.",
  })
  occurredAt: Date;

  @Field(() => String, { description: 'Where it happened: 1 to 300 characters, not blank.' })
  @Length(1, 300)
  @Matches(/\S/, { message: 'must not be blank' })
  location: string;

  @Field(() => ExigentInput, {
    nullable: true,
    description:
      'Give it when the action needed pre-approval but there was no time: it is recorded EXIGENT and a post-action request opens, its justification due within `exigentDeadlineHours`. Ignored as a basis where the record already allows the action.',
  })
  @ValidateNested()
  exigent?: ExigentInput | null;
}

@InputType({
  description: 'Voids an action recorded in error. The action stays on record, marked void.',
})
export class VoidEnforcementActionInput {
  @Field(() => ID, { description: 'The action to void.' })
  id: string;

  @Field(() => String, { description: 'Why, for the record: 3 to 2000 characters, not blank.' })
  @Length(3, 2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}
