/** Assessments and the policy schedule, batched per request (see `common/loaders.ts`). */
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { byId, groupedBy } from '../../common/loaders';
import { AssessmentEntity } from './assessment.entity';
import { PolicyVersionEntity } from './policy-version.entity';

const assessmentLoaderSet = (manager: EntityManager) => ({
  assessment: byId(manager, AssessmentEntity),
  /** Newest first. */
  assessmentsByCase: groupedBy(manager, AssessmentEntity, 'caseId', [
    ['assessedAt', 'DESC'],
    ['id', 'DESC'],
  ]),
  /** The policy schedule, read once per request (key: 'all'). */
  policySchedule: new DataLoader<'all', PolicyVersionEntity[]>(async (keys) => {
    const rows = await manager.getRepository(PolicyVersionEntity).find({ order: { code: 'ASC' } });
    return keys.map(() => rows);
  }),
});

export const assessmentLoaders = (ctx: RequestContext) => ctx.loadersOf(assessmentLoaderSet);
