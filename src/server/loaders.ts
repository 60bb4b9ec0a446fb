/**
 * Per-request batch loaders: every nested list or reference resolves in one `= ANY($1)` statement
 * per level, whatever the page size.
 */
import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { AssessmentEntity } from '../modules/assessments/assessment.entity';
import { PolicyVersionEntity } from '../modules/assessments/policy-version.entity';
import { ConvictionEntity } from '../modules/cases/conviction.entity';
import { OfficeEntity } from '../modules/users/office.entity';
import { UserEntity } from '../modules/users/user.entity';

export interface Loaders {
  office: DataLoader<string, OfficeEntity | undefined>;
  user: DataLoader<string, UserEntity | undefined>;
  convictionsByCase: DataLoader<string, ConvictionEntity[]>;
  assessment: DataLoader<string, AssessmentEntity | undefined>;
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
