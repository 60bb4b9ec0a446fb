import { Length, Matches, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { DateTimeScalar } from '../../common/scalars';
import { ActionType } from './action-type';

@InputType({
  description:
    'Marks an action as taken under exigent circumstances, where pre-approval was not feasible.',
})
export class ExigentInput {
  @Field(() => String, { description: 'Why pre-approval was not feasible.' })
  @Length(10, 10000)
  @Matches(/\S/, { message: 'must not be blank' })
  narrative: string;
}

@InputType({
  description:
    'Records an enforcement action. The server derives its basis from the record; without one it refuses with PREAPPROVAL_REQUIRED.',
})
export class RecordEnforcementActionInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => ActionType)
  type: ActionType;

  @Field(() => DateTimeScalar, { description: 'When it happened (not in the future).' })
  occurredAt: Date;

  @Field(() => String)
  @Length(1, 300)
  @Matches(/\S/, { message: 'must not be blank' })
  location: string;

  @Field(() => ExigentInput, { nullable: true })
  @ValidateNested()
  exigent?: ExigentInput | null;
}

@InputType({
  description: 'Voids an action recorded in error. The action stays on record, marked void.',
})
export class VoidEnforcementActionInput {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  @Length(3, 2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}
