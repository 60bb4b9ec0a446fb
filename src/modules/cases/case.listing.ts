/** The case list: newest first, keyset-paginated, scoped to the caller's office. */
import { readScope } from '../../auth/permissions';
import { RequestContext } from '../../common/context';
import { badInput } from '../../common/errors';
import { isUuid } from '../../common/ids';
import { keysetCursor, keysetPage, type Keyset } from '../../common/keyset';
import { readableOffice } from '../users/office.service';
import { whereLatestAssessment } from '../assessments/assessment.queries';
import { unreadColumns } from '../../common/lean';
import { CaseEntity } from './case.entity';
import { CASE_COLUMNS } from './case.loaders';
import type { CaseFilter } from './case.inputs';
export interface CasePage {
  items: CaseEntity[];
  hasNextPage: boolean;
  /** Counted only if the client asks for `totalCount`. */
  totalCount: () => Promise<number>;
}

/** Newest first. */
const CASE_ORDER: Keyset<CaseEntity> = {
  keys: [
    { column: 'c.createdAt', part: 'instant', of: (c) => c.createdAt.toISOString() },
    { column: 'c.id', part: 'uuid', of: (c) => c.id },
  ],
  direction: 'DESC',
};

export function caseCursor(c: CaseEntity): string {
  return keysetCursor(CASE_ORDER, c);
}

/** Newest first, keyset-paginated on (created_at, id), scoped to the caller's office. */
export async function listCases(
  ctx: RequestContext,
  args: { filter?: CaseFilter | null; first?: number | null; after?: string | null },
): Promise<CasePage> {
  const filter = args.filter ?? {};
  let office = readScope(ctx.user);
  if (filter.officeCode) {
    // Naming another office is answered like naming none that exists.
    office = (await readableOffice(ctx, filter.officeCode)).id;
  }
  const base = () => {
    const qb = ctx.manager.getRepository(CaseEntity).createQueryBuilder('c');
    if (office !== undefined) qb.andWhere('c.officeId = :office', { office });
    if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.assignedOfficerId) {
      if (!isUuid(filter.assignedOfficerId))
        throw badInput('filter.assignedOfficerId', 'is not a user id');
      qb.andWhere('c.assignedOfficerId = :officer', { officer: filter.assignedOfficerId });
    }
    whereLatestAssessment(qb, 'c.latestAssessmentId', filter);
    return qb;
  };
  const metadata = ctx.manager.connection.getMetadata(CaseEntity);
  return keysetPage(base, CASE_ORDER, args, unreadColumns(metadata, ctx.selection, CASE_COLUMNS));
}
