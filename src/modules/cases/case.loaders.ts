/** Cases by id and their convictions, batched per request (see `common/loaders.ts`). */
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { byId, groupedBy } from '../../common/loaders';
import { CaseEntity } from './case.entity';
import { ConvictionEntity } from './conviction.entity';

const caseLoaderSet = (manager: EntityManager) => ({
  case: byId(manager, CaseEntity),
  /** Oldest first. */
  convictionsByCase: groupedBy(manager, ConvictionEntity, 'caseId', [
    ['convictedOn', 'ASC'],
    ['id', 'ASC'],
  ]),
});

export const caseLoaders = (ctx: RequestContext) => ctx.loadersOf(caseLoaderSet);
