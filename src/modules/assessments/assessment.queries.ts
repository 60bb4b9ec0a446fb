/**
 * What queries of other modules ask of the assessments in their own statement: only this module
 * names its tables (test/architecture/table-ownership.test.ts).
 */
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AssessmentEntity } from './assessment.entity';
import { PriorityCategory } from './policy/types';

export interface LatestAssessmentFilter {
  /** A category the latest assessment found (OTHER: its primary one). */
  category?: PriorityCategory | null;
  /** Whether an action on the case needs pre-approval under its latest assessment. */
  needsApproval?: boolean | null;
}

/**
 * Narrows a query of cases to those whose latest assessment (`latestId`, the column pointing at
 * it) matches the filter; adds nothing when the filter names neither.
 */
export function whereLatestAssessment<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  latestId: string,
  filter: LatestAssessmentFilter,
): void {
  const { category, needsApproval } = filter;
  if (!category && (needsApproval === null || needsApproval === undefined)) return;
  qb.leftJoin(AssessmentEntity, 'la', `la.id = ${latestId}`);
  if (category === PriorityCategory.OTHER) {
    qb.andWhere('la.primaryCategory = :other', { other: PriorityCategory.OTHER });
  } else if (category) {
    qb.andWhere('la.categories @> ARRAY[:category]::priority_category[]', { category });
  }
  // A case never assessed needs approval too: an action on it is refused until it is assessed.
  if (needsApproval === true) qb.andWhere('(la.id IS NULL OR la.requiresPreapproval)');
  if (needsApproval === false) qb.andWhere('(la.id IS NOT NULL AND NOT la.requiresPreapproval)');
}
