import { Length, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ActionType } from '../enforcement-actions/action-type';
import { ApprovalDecision } from './approval.states';

@InputType({
  description:
    "Asks the case's supervisors to approve an action beforehand. For a removal of a person flagged vulnerable, the justification is the compelling reason.",
})
export class RequestApprovalInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => ActionType)
  actionType: ActionType;

  @Field(() => String, {
    description:
      "Why the action is a justified use of limited resources; at least the version's minimum length.",
  })
  @Length(1, 10000)
  @Matches(/\S/, { message: 'must not be blank' })
  justification: string;
}

@InputType({ description: 'Withdraws your own pending request.' })
export class WithdrawApprovalRequestInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @Length(1, 2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason?: string | null;
}

@InputType({
  description: "A supervisor's decision on a pending request of their office (never their own).",
})
export class DecideApprovalRequestInput {
  @Field(() => ID)
  id: string;

  @Field(() => ApprovalDecision)
  decision: ApprovalDecision;

  @Field(() => String, { description: 'The reason for the decision.' })
  @Length(3, 10000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}

@InputType({
  description: 'The justification for an exigent action. Give the request or the action.',
})
export class SubmitPostActionJustificationInput {
  @Field(() => ID, { nullable: true, description: 'The post-action request.' })
  requestId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Or the exigent action it ratifies.' })
  enforcementActionId?: string | null;

  @Field(() => String)
  @Length(1, 10000)
  @Matches(/\S/, { message: 'must not be blank' })
  justification: string;
}
