/** Approval requests by id, case and action, batched per request (see `common/loaders.ts`). */
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { byId, groupedBy, oneBy } from '../../common/loaders';
import { ApprovalRequestEntity } from './approval.entity';
import { ApprovalKind } from './approval.states';

const approvalLoaderSet = (manager: EntityManager) => ({
  approvalRequest: byId(manager, ApprovalRequestEntity),
  /** Oldest first. */
  approvalRequestsByCase: groupedBy(manager, ApprovalRequestEntity, 'caseId', [
    ['requestedAt', 'ASC'],
    ['id', 'ASC'],
  ]),
  /** The post-action request that ratifies an exigent action. */
  postActionRequestByAction: oneBy(manager, ApprovalRequestEntity, 'enforcementActionId', {
    property: 'kind',
    equals: ApprovalKind.POST_ACTION,
  }),
});

export const approvalLoaders = (ctx: RequestContext) => ctx.loadersOf(approvalLoaderSet);
