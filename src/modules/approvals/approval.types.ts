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
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  id: string;

  @Field(() => ApprovalKind, {
    description: 'Pre-action, post-action (exigent) or vulnerable removal.',
  })
  kind: ApprovalKind;

  @Field(() => ActionType, { description: 'The enforcement action it is about.' })
  actionType: ActionType;

  // status, late, overdue, case, requestedBy, decidedBy, enforcementAction, latestAssessmentSummary: field resolvers.

  @Field(() => String, {
    nullable: true,
    description:
      'Why the action is a justified use of limited resources; null on a post-action request until submitted.',
  })
  justification: string | null;

  @Field(() => String, {
    description:
      "The code of the policy version in force (in the office's time zone) when the request was made: its parameters apply.",
  })
  policyVersion: string;

  @Field(() => DateTimeScalar, {
    description: 'When it was asked for (post-action: when the exigent action was recorded).',
  })
  requestedAt: Date;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When it was decided or withdrawn; null while pending.',
  })
  decidedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "The supervisor's reason (or the requester's, on withdrawal).",
  })
  decisionReason: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'Pre-action and removal approvals: covers actions that occur before then (decision + `approvalValidityDays`); null otherwise.',
  })
  expiresAt: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      "Post-action: the justification is due by then (the action's `occurredAt` + `exigentDeadlineHours`); null for other kinds.",
  })
  justificationDueAt: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Post-action: when the justification was submitted; null until then.',
  })
  justificationSubmittedAt: Date | null;
}

@ObjectType({ description: 'A request in a list, with its cursor.' })
export class ApprovalRequestEdge {
  @Field(() => ApprovalRequest, { description: 'The request.' })
  node: ApprovalRequest;

  @Field(() => String, {
    description:
      'Opaque position of this request in the list: pass it as `after` to read on from here.',
  })
  cursor: string;
}

@ObjectType({ description: 'A page of requests.' })
export class ApprovalRequestConnection {
  @Field(() => [ApprovalRequestEdge], {
    description: 'At most `first` requests, the oldest requested first (ties by id).',
  })
  edges: ApprovalRequestEdge[];

  @Field(() => PageInfo, { description: 'Whether more follow, and the cursor to ask for them.' })
  pageInfo: PageInfo;

  // totalCount: field resolver.
}
