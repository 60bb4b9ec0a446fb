/**
 * Per-request batch loaders: every nested list or reference resolves in one `= ANY($1)` statement
 * per level, whatever the page size.
 */
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { AssessmentEntity } from '../modules/assessments/assessment.entity';
import { PolicyVersionEntity } from '../modules/assessments/policy-version.entity';
import { ApprovalRequestEntity } from '../modules/approvals/approval.entity';
import { ApprovalKind } from '../modules/approvals/approval.states';
import { CaseEntity } from '../modules/cases/case.entity';
import { ConvictionEntity } from '../modules/cases/conviction.entity';
import {
  EnforcementActionEntity,
  EnforcementActionVoidEntity,
} from '../modules/enforcement-actions/enforcement-action.entity';
import { OfficeEntity } from '../modules/users/office.entity';
import { UserEntity } from '../modules/users/user.entity';

export interface Loaders {
  office: DataLoader<string, OfficeEntity | undefined>;
  user: DataLoader<string, UserEntity | undefined>;
  convictionsByCase: DataLoader<string, ConvictionEntity[]>;
  assessment: DataLoader<string, AssessmentEntity | undefined>;
  case: DataLoader<string, CaseEntity | undefined>;
  approvalRequest: DataLoader<string, ApprovalRequestEntity | undefined>;
  /** Oldest first. */
  approvalRequestsByCase: DataLoader<string, ApprovalRequestEntity[]>;
  /** Newest first. */
  enforcementActionsByCase: DataLoader<string, EnforcementActionEntity[]>;
  enforcementAction: DataLoader<string, EnforcementActionEntity | undefined>;
  postActionRequestByAction: DataLoader<string, ApprovalRequestEntity | undefined>;
  voidByAction: DataLoader<string, EnforcementActionVoidEntity | undefined>;
  /** The policy schedule, read once per request (key: 'all'). */
  policySchedule: DataLoader<'all', PolicyVersionEntity[]>;
  /** Newest first. */
  assessmentsByCase: DataLoader<string, AssessmentEntity[]>;
}

export function createLoaders(manager: EntityManager): Loaders {
  const byId = <T extends { id: string }>(entity: new () => T) =>
    new DataLoader<string, T | undefined>(async (ids) => {
      const rows = await manager
        .createQueryBuilder(entity, 'e')
        .where('e.id = ANY(:ids::uuid[])', { ids: [...ids] })
        .getMany();
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id));
    });
  return {
    office: byId(OfficeEntity),
    user: byId(UserEntity),
    assessment: byId(AssessmentEntity),
    case: byId(CaseEntity),
    approvalRequest: byId(ApprovalRequestEntity),
    enforcementAction: byId(EnforcementActionEntity),
    approvalRequestsByCase: groupedBy(manager, ApprovalRequestEntity, 'caseId', [
      ['requestedAt', 'ASC'],
      ['id', 'ASC'],
    ]),
    enforcementActionsByCase: groupedBy(manager, EnforcementActionEntity, 'caseId', [
      ['occurredAt', 'DESC'],
      ['id', 'DESC'],
    ]),
    postActionRequestByAction: new DataLoader(async (actionIds) => {
      const rows = await manager
        .createQueryBuilder(ApprovalRequestEntity, 'r')
        .where('r.enforcementActionId = ANY(:ids::uuid[]) AND r.kind = :kind', {
          ids: [...actionIds],
          kind: ApprovalKind.POST_ACTION,
        })
        .getMany();
      const map = new Map(rows.map((r) => [r.enforcementActionId, r]));
      return actionIds.map((id) => map.get(id));
    }),
    voidByAction: new DataLoader(async (actionIds) => {
      const rows = await manager
        .createQueryBuilder(EnforcementActionVoidEntity, 'v')
        .where('v.enforcementActionId = ANY(:ids::uuid[])', { ids: [...actionIds] })
        .getMany();
      const map = new Map(rows.map((r) => [r.enforcementActionId, r]));
      return actionIds.map((id) => map.get(id));
    }),
    policySchedule: new DataLoader(async (keys) => {
      const rows = await manager
        .getRepository(PolicyVersionEntity)
        .find({ order: { code: 'ASC' } });
      return keys.map(() => rows);
    }),
    assessmentsByCase: new DataLoader(async (caseIds) => {
      const rows = await manager
        .createQueryBuilder(AssessmentEntity, 'a')
        .where('a.caseId = ANY(:ids::uuid[])', { ids: [...caseIds] })
        .orderBy('a.assessedAt', 'DESC')
        .addOrderBy('a.id', 'DESC')
        .getMany();
      const grouped = new Map<string, AssessmentEntity[]>(caseIds.map((id) => [id, []]));
      for (const row of rows) grouped.get(row.caseId)?.push(row);
      return caseIds.map((id) => grouped.get(id) ?? []);
    }),
    convictionsByCase: new DataLoader(async (caseIds) => {
      const rows = await manager
        .createQueryBuilder(ConvictionEntity, 'c')
        .where('c.caseId = ANY(:ids::uuid[])', { ids: [...caseIds] })
        .orderBy('c.convictedOn', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .getMany();
      const grouped = new Map<string, ConvictionEntity[]>(caseIds.map((id) => [id, []]));
      for (const row of rows) grouped.get(row.caseId)?.push(row);
      return caseIds.map((id) => grouped.get(id) ?? []);
    }),
  };
}

/** Rows grouped by a foreign key, in one `= ANY($1)` statement per batch. */
function groupedBy<T extends object, K extends keyof T & string>(
  manager: EntityManager,
  entity: new () => T,
  key: K,
  order: [keyof T & string, 'ASC' | 'DESC'][],
): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (ids) => {
    const qb = manager
      .createQueryBuilder(entity, 'e')
      .where(`e.${key} = ANY(:ids::uuid[])`, { ids: [...ids] });
    for (const [column, direction] of order) qb.addOrderBy(`e.${column}`, direction);
    const rows = await qb.getMany();
    const grouped = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const row of rows) grouped.get(row[key] as unknown as string)?.push(row);
    return ids.map((id) => grouped.get(id) ?? []);
  });
}
