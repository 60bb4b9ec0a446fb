/** Cases by id and their convictions, batched per request (see `common/loaders.ts`). */
import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { byId, groupedBy, type LoaderRequest } from '../../common/loaders';
import { unreadColumns } from '../../common/lean';
import type { ColumnNeeds } from '../../common/selection';
import { CaseEntity } from './case.entity';
import { FACT_KEYS } from './case.facts';
import { ConvictionEntity } from './conviction.entity';

/** What `Case`'s fields read of a case row (see `ColumnNeeds`). */
export const CASE_COLUMNS: ColumnNeeds = {
  type: 'Case',
  // Keys and office; the list's cursor; an approval request's `latestAssessmentSummary` reads the
  // case's latest assessment through this loader.
  always: ['id', 'officeId', 'createdAt', 'latestAssessmentId'],
  fields: {
    openedAt: ['createdAt'],
    office: ['officeId'],
    assignedOfficer: ['assignedOfficerId'],
    openedBy: ['openedById'],
    subject: ['subjectName', 'subjectDateOfBirth', 'subjectANumber', 'subjectCitizenship'],
    // The columns `CaseFacts` is built from (case.resolver.ts, case.facts.ts).
    facts: FACT_KEYS,
    latestAssessment: ['latestAssessmentId'],
    assessments: [],
    approvalRequests: [],
    enforcementActions: [],
  },
};

/** What `Conviction`'s fields read (each its own column). */
const CONVICTION_COLUMNS: ColumnNeeds = {
  type: 'Conviction',
  always: ['id', 'caseId'],
  fields: {},
};

const caseLoaderSet = (manager: EntityManager, { selection }: LoaderRequest) => ({
  case: byId(manager, CaseEntity, {
    omit: unreadColumns(manager.connection.getMetadata(CaseEntity), selection, CASE_COLUMNS),
  }),
  /** Oldest first. */
  convictionsByCase: groupedBy(
    manager,
    ConvictionEntity,
    'caseId',
    [
      ['convictedOn', 'ASC'],
      ['id', 'ASC'],
    ],
    {
      omit: unreadColumns(
        manager.connection.getMetadata(ConvictionEntity),
        selection,
        CONVICTION_COLUMNS,
      ),
    },
  ),
});

export const caseLoaders = (ctx: RequestContext) => ctx.loadersOf(caseLoaderSet);
