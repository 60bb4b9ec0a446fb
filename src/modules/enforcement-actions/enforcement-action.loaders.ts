/** Enforcement actions and their voids, batched per request (see `common/loaders.ts`). */
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { byId, groupedBy, oneBy } from '../../common/loaders';
import { EnforcementActionEntity, EnforcementActionVoidEntity } from './enforcement-action.entity';

const enforcementActionLoaderSet = (manager: EntityManager) => ({
  enforcementAction: byId(manager, EnforcementActionEntity),
  /** Newest first. */
  enforcementActionsByCase: groupedBy(manager, EnforcementActionEntity, 'caseId', [
    ['occurredAt', 'DESC'],
    ['id', 'DESC'],
  ]),
  voidByAction: oneBy(manager, EnforcementActionVoidEntity, 'enforcementActionId'),
});

export const enforcementActionLoaders = (ctx: RequestContext) =>
  ctx.loadersOf(enforcementActionLoaderSet);
