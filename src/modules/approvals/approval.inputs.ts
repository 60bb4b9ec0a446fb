import { Length, Matches } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ActionType } from '../enforcement-actions/action-type';
import { ApprovalDecision } from './approval.states';

@InputType({
  description:
    "Asks the case's supervisors to approve an action beforehand. For a removal of a person flagged vulnerable, the justification is the compelling reason.",
})
export class RequestApprovalInput {
  @Field(() => ID, {
    description:
      'The case: one of your office (else NOT_FOUND), open (else CONFLICT), and needing approval for this action under the version in force (else BAD_USER_INPUT).',
  })
  caseId: string;

  @Field(() => ActionType, {
    description:
      'The action planned; one request per case, action type and kind may be pending at a time (else CONFLICT).',
  })
  actionType: ActionType;

  @Field(() => String, {
    description:
      "Why the action is a justified use of limited resources: at least the version's `minJustificationLength` characters (80) once trimmed, at most 10000.",
  })
  @Length(1, 10000)
  @Matches(/\S/, { message: 'must not be blank' })
  justification: string;
}

@InputType({ description: 'Withdraws your own pending request.' })
export class WithdrawApprovalRequestInput {
  @Field(() => ID, {
    description: 'A pending pre-action or removal request you made (post-action: CONFLICT).',
  })
  id: string;

  @Field(() => String, {
    nullable: true,
    description: 'Why, 1 to 2000 characters; shown as `decisionReason`. Optional.',
  })
  @Length(1, 2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason?: string | null;
}

@InputType({
  description: "A supervisor's decision on a pending request of their office (never their own).",
})
export class DecideApprovalRequestInput {
  @Field(() => ID, { description: 'The pending request to decide.' })
  id: string;

  @Field(() => ApprovalDecision, { description: 'APPROVE or DENY.' })
  decision: ApprovalDecision;

  @Field(() => String, {
    description:
      'The reason for the decision, 3 to 10000 characters, not blank (for a removal approval: the compelling reason).',
  })
  @Length(3, 10000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}

@InputType({
  description: 'The justification for an exigent action. Give the request or the action.',
})
export class SubmitPostActionJustificationInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The post-action request (give this or `enforcementActionId`, not both).',
  })
  requestId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Or the exigent enforcement action whose post-action request it is.',
  })
  enforcementActionId?: string | null;

  @Field(() => String, {
    description:
      "Why the exigent action was a justified use of limited resources: at least the version's `minJustificationLength` characters (80) once trimmed, at most 10000.",
  })
  @Length(1, 10000)
  @Matches(/\S/, { message: 'must not be blank' })
  justification: string;
}
