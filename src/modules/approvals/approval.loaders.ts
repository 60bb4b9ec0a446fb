/** Approval requests by id, case and action, batched per request (see `common/loaders.ts`). */
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { byId, groupedBy, oneBy, type LoaderRequest } from '../../common/loaders';
import { unreadColumns } from '../../common/lean';
import type { ColumnNeeds } from '../../common/selection';
import { ApprovalRequestEntity } from './approval.entity';
import { ApprovalKind } from './approval.states';

/** What `ApprovalRequest`'s fields read of a request row (see `ColumnNeeds`). */
export const APPROVAL_COLUMNS: ColumnNeeds = {
  type: 'ApprovalRequest',
  always: ['id', 'caseId', 'officeId'],
  fields: {
    status: ['status', 'expiresAt'],
    policyVersion: ['policyVersionCode'],
    case: ['caseId'],
    latestAssessmentSummary: ['caseId'],
    requestedBy: ['requestedById'],
    decidedBy: ['decidedById'],
    enforcementAction: ['enforcementActionId'],
    // isLate and isOverdue (approval.rules.ts): a post-action request's deadline and justification.
    late: ['kind', 'justificationDueAt', 'justificationSubmittedAt'],
    overdue: ['kind', 'justificationDueAt', 'justificationSubmittedAt'],
  },
};

const approvalLoaderSet = (manager: EntityManager, { selection }: LoaderRequest) => {
  const omit = unreadColumns(
    manager.connection.getMetadata(ApprovalRequestEntity),
    selection,
    APPROVAL_COLUMNS,
  );
  return {
    approvalRequest: byId(manager, ApprovalRequestEntity, { omit }),
    /** Oldest first. */
    approvalRequestsByCase: groupedBy(
      manager,
      ApprovalRequestEntity,
      'caseId',
      [
        ['requestedAt', 'ASC'],
        ['id', 'ASC'],
      ],
      { omit },
    ),
    /** The post-action request that ratifies an exigent action (read whole). */
    postActionRequestByAction: oneBy(manager, ApprovalRequestEntity, 'enforcementActionId', {
      property: 'kind',
      equals: ApprovalKind.POST_ACTION,
    }),
  };
};

export const approvalLoaders = (ctx: RequestContext) => ctx.loadersOf(approvalLoaderSet);
