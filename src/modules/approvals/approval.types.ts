import { Field, ID, ObjectType } from 'type-graphql';
import { PageInfo } from '../../common/connection.types';
import { DateTimeScalar } from '../../common/scalars';
import { ActionType } from '../enforcement-actions/action-type';
import { ApprovalKind } from './approval.states';

@ObjectType({
  description:
    "A request to the case's supervisors: before an action, after an exigent one, or to remove a vulnerable person.",
})
export class ApprovalRequest {
  @Field(() => ID)
  id: string;

  @Field(() => ApprovalKind)
  kind: ApprovalKind;

  @Field(() => ActionType)
  actionType: ActionType;

  // status, late, overdue, case, requestedBy, decidedBy, enforcementAction, latestAssessmentSummary: field resolvers.

  @Field(() => String, {
    nullable: true,
    description:
      'Why the action is a justified use of limited resources; null on a post-action request until submitted.',
  })
  justification: string | null;

  @Field(() => String, { description: 'The policy version in force when the request was made.' })
  policyVersion: string;

  @Field(() => DateTimeScalar)
  requestedAt: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  decidedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "The supervisor's reason (or the requester's, on withdrawal).",
  })
  decisionReason: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'An approval covers actions until then.',
  })
  expiresAt: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Post-action: the justification is due by then.',
  })
  justificationDueAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  justificationSubmittedAt: Date | null;
}

@ObjectType({ description: 'A request in a list, with its cursor.' })
export class ApprovalRequestEdge {
  @Field(() => ApprovalRequest)
  node: ApprovalRequest;

  @Field(() => String)
  cursor: string;
}

@ObjectType({ description: 'A page of requests.' })
export class ApprovalRequestConnection {
  @Field(() => [ApprovalRequestEdge])
  edges: ApprovalRequestEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  // totalCount: field resolver.
}
