/** Assessments and the policy schedule, batched per request (see `common/loaders.ts`). */
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { byId, groupedBy, type LoaderRequest } from '../../common/loaders';
import { unreadColumns } from '../../common/lean';
import { unselected, type ColumnNeeds } from '../../common/selection';
import { AssessmentEntity } from './assessment.entity';
import { PolicyVersionEntity } from './policy-version.entity';

/**
 * The jsonb columns (about 1.3 KB of reasons a row, and the determinations and facts snapshot),
 * read only when the operation selects the field that shows them.
 */
const HEAVY = {
  reasons: 'reasons',
  determinations: 'determinations',
  factsSnapshot: 'factsSnapshot',
};

/** What `Assessment`'s fields read of an assessment row (see `ColumnNeeds`). */
const ASSESSMENT_COLUMNS: ColumnNeeds = {
  type: 'Assessment',
  // Keys and office; an approval request's `latestAssessmentSummary` reads the summary through
  // this loader.
  always: ['id', 'caseId', 'officeId', 'summary'],
  fields: {
    policyVersion: ['policyVersionCode'],
    policy: ['policyVersionCode'],
    assessedBy: ['assessedById'],
  },
};

const assessmentLoaderSet = (manager: EntityManager, { selection }: LoaderRequest) => {
  const omit = [
    ...new Set([
      ...unselected(selection, 'Assessment', HEAVY),
      ...unreadColumns(
        manager.connection.getMetadata(AssessmentEntity),
        selection,
        ASSESSMENT_COLUMNS,
      ),
    ]),
  ];
  return {
    assessment: byId(manager, AssessmentEntity, { omit }),
    /** Newest first. */
    assessmentsByCase: groupedBy(
      manager,
      AssessmentEntity,
      'caseId',
      [
        ['assessedAt', 'DESC'],
        ['id', 'DESC'],
      ],
      { omit },
    ),
    /** The policy schedule, read once per request (key: 'all'). */
    policySchedule: new DataLoader<'all', PolicyVersionEntity[]>(async (keys) => {
      const rows = await manager
        .getRepository(PolicyVersionEntity)
        .find({ order: { code: 'ASC' } });
      return keys.map(() => rows);
    }),
  };
};

export const assessmentLoaders = (ctx: RequestContext) => ctx.loadersOf(assessmentLoaderSet);
