import { readScope } from '../../auth/permissions';
import { findVisible } from '../../server/access';
import { RequestContext, inTransaction } from '../../server/context';
import { badInput, conflict } from '../../server/errors';
import { isUuid } from '../../server/ids';
import { keysetCursor, keysetPage, type Keyset } from '../../server/keyset';
import { writeAudit } from '../audit/audit.service';
import { callerOffice, officeById, readableOffice } from '../users/office.service';
import { Role } from '../users/role';
import { userById } from '../users/user.service';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { PriorityCategory } from '../assessments/policy/types';
import { CaseEntity, CaseStatus } from './case.entity';
import type {
  CaseFactsInput,
  CaseFilter,
  CloseCaseInput,
  ConvictionInput,
  OpenCaseInput,
  UpdateCaseFactsInput,
} from './case.inputs';
import {
  checkConviction,
  localDate,
  normalizeANumber,
  notBeforeBirth,
  notInFuture,
} from './case.rules';
import { ConvictionEntity } from './conviction.entity';

/** The fact columns of a case, as `updateCaseFacts` and the audit record see them. */
type FactColumns = Pick<
  CaseEntity,
  | 'terrorismOrEspionage'
  | 'borderApprehensionDate'
  | 'borderApprehensionLocation'
  | 'firstPresentOn'
  | 'lastReleasedFromCustodyOn'
  | 'gangOrganization'
  | 'gangKind'
  | 'gangIntentional'
  | 'gangFurtheredIllegalActivity'
  | 'gangAgeAtParticipation'
  | 'elderly'
  | 'seriousIllness'
  | 'pendingReliefApplication'
>;

const FACT_KEYS: (keyof FactColumns)[] = [
  'terrorismOrEspionage',
  'borderApprehensionDate',
  'borderApprehensionLocation',
  'firstPresentOn',
  'lastReleasedFromCustodyOn',
  'gangOrganization',
  'gangKind',
  'gangIntentional',
  'gangFurtheredIllegalActivity',
  'gangAgeAtParticipation',
  'elderly',
  'seriousIllness',
  'pendingReliefApplication',
];

const NO_FACTS: FactColumns = {
  terrorismOrEspionage: false,
  borderApprehensionDate: null,
  borderApprehensionLocation: null,
  firstPresentOn: null,
  lastReleasedFromCustodyOn: null,
  gangOrganization: null,
  gangKind: null,
  gangIntentional: null,
  gangFurtheredIllegalActivity: null,
  gangAgeAtParticipation: null,
  elderly: false,
  seriousIllness: false,
  pendingReliefApplication: false,
};

/** Applies a facts input to the current columns: omitted keeps, null clears. */
function applyFacts(current: FactColumns, input: CaseFactsInput | null | undefined): FactColumns {
  const next = { ...current };
  if (!input) return next;
  if (input.terrorismOrEspionage === null)
    throw badInput('input.facts.terrorismOrEspionage', 'cannot be null');
  if (input.terrorismOrEspionage !== undefined)
    next.terrorismOrEspionage = input.terrorismOrEspionage;
  if (input.borderApprehension !== undefined) {
    next.borderApprehensionDate = input.borderApprehension?.date ?? null;
    next.borderApprehensionLocation = input.borderApprehension?.location?.trim() ?? null;
  }
  if (input.firstPresentOn !== undefined) next.firstPresentOn = input.firstPresentOn;
  if (input.lastReleasedFromCustodyOn !== undefined)
    next.lastReleasedFromCustodyOn = input.lastReleasedFromCustodyOn;
  if (input.gangParticipation !== undefined) {
    const g = input.gangParticipation;
    next.gangOrganization = g?.organization?.trim() ?? null;
    next.gangKind = g?.kind ?? null;
    next.gangIntentional = g?.intentional ?? null;
    next.gangFurtheredIllegalActivity = g?.furtheredIllegalActivity ?? null;
    next.gangAgeAtParticipation = g?.ageAtParticipation ?? null;
  }
  if (input.vulnerability === null) throw badInput('input.facts.vulnerability', 'cannot be null');
  if (input.vulnerability) {
    for (const key of ['elderly', 'seriousIllness', 'pendingReliefApplication'] as const) {
      const value = input.vulnerability[key];
      if (value === null) throw badInput(`input.facts.vulnerability.${key}`, 'cannot be null');
      if (value !== undefined) next[key] = value;
    }
  }
  return next;
}

function checkFactDates(facts: FactColumns, today: string, dateOfBirth: string): void {
  for (const [field, date] of [
    ['input.facts.borderApprehension.date', facts.borderApprehensionDate],
    ['input.facts.firstPresentOn', facts.firstPresentOn],
    ['input.facts.lastReleasedFromCustodyOn', facts.lastReleasedFromCustodyOn],
  ] as const) {
    notInFuture(field, date, today);
    notBeforeBirth(field, date, dateOfBirth);
  }
}

function convictionRow(
  c: ConvictionInput,
  caseRow: CaseEntity,
  now: Date,
): Partial<ConvictionEntity> {
  return {
    caseId: caseRow.id,
    officeId: caseRow.officeId,
    offense: c.offense.trim(),
    jurisdiction: c.jurisdiction.trim(),
    convictedOn: c.convictedOn,
    aggravatedFelony: c.aggravatedFelony,
    aggravatedFelonySubparagraph: c.aggravatedFelonySubparagraph ?? null,
    gangParticipationElement: c.gangParticipationElement,
    vacated: c.vacated ?? false,
    createdAt: now,
  };
}

const convictionSummary = (c: Partial<ConvictionEntity>) => ({
  id: c.id,
  offense: c.offense,
  jurisdiction: c.jurisdiction,
  convictedOn: c.convictedOn,
  aggravatedFelony: c.aggravatedFelony,
  aggravatedFelonySubparagraph: c.aggravatedFelonySubparagraph,
  gangParticipationElement: c.gangParticipationElement,
  vacated: c.vacated,
});

function pickFacts(row: FactColumns): FactColumns {
  return Object.fromEntries(FACT_KEYS.map((k) => [k, row[k]])) as unknown as FactColumns;
}

/** A case the caller may see, or NOT_FOUND (the same answer for missing and for another office's). */
export async function findVisibleCase(
  ctx: RequestContext,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<CaseEntity> {
  return findVisible(ctx, CaseEntity, 'Case', id, opts);
}

export async function openCase(ctx: RequestContext, input: OpenCaseInput): Promise<CaseEntity> {
  return inTransaction(ctx, async (tx) => {
    const office = await callerOffice(tx);
    const now = tx.clock.now();
    const today = localDate(now, office.timeZone);
    const subject = input.subject;
    notInFuture('input.subject.dateOfBirth', subject.dateOfBirth, today);
    const facts = applyFacts(NO_FACTS, input.facts);
    checkFactDates(facts, today, subject.dateOfBirth);
    (input.convictions ?? []).forEach((c, i) =>
      checkConviction(`input.convictions.${i}`, c, today, subject.dateOfBirth),
    );

    let assignedOfficerId = tx.user.id;
    if (input.assignedOfficerId) {
      const officer = isUuid(input.assignedOfficerId)
        ? await userById(tx, input.assignedOfficerId)
        : null;
      if (
        !officer ||
        officer.officeId !== office.id ||
        !officer.active ||
        officer.role === Role.HEADQUARTERS
      ) {
        throw badInput(
          'input.assignedOfficerId',
          'must be an active officer or supervisor of your office',
        );
      }
      assignedOfficerId = officer.id;
    }

    const repo = tx.manager.getRepository(CaseEntity);
    const created = await repo.save(
      repo.create({
        officeId: office.id,
        status: CaseStatus.OPEN,
        assignedOfficerId,
        openedById: tx.user.id,
        version: 1,
        subjectName: subject.name.trim(),
        subjectDateOfBirth: subject.dateOfBirth,
        subjectANumber: normalizeANumber(subject.aNumber),
        subjectCitizenship: subject.countryOfCitizenship.toUpperCase(),
        ...facts,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        closeReason: null,
      }),
    );
    const convictions = (input.convictions ?? []).map((c) => convictionRow(c, created, now));
    const saved = convictions.length
      ? await tx.manager
          .getRepository(ConvictionEntity)
          .save(convictions.map((c) => tx.manager.create(ConvictionEntity, c)))
      : [];
    await writeAudit(tx, {
      operation: 'openCase',
      recordType: 'Case',
      recordIds: [created.id],
      officeIds: [office.id],
      change: {
        // The identity itself stays out of the audit trail; that it was recorded is enough here.
        subjectFieldsRecorded: ['name', 'dateOfBirth', 'aNumber', 'countryOfCitizenship'],
        after: {
          status: created.status,
          assignedOfficerId,
          facts: pickFacts(facts),
          convictions: saved.map(convictionSummary),
        },
      },
    });
    return created;
  });
}

export async function updateCaseFacts(
  ctx: RequestContext,
  input: UpdateCaseFactsInput,
): Promise<CaseEntity> {
  return inTransaction(ctx, async (tx) => {
    const current = await findVisibleCase(tx, input.caseId);
    if (current.status !== CaseStatus.OPEN)
      throw conflict('The case is closed; its facts can no longer change.');
    if (current.version !== input.expectedVersion) {
      throw conflict(
        `The case has changed since you read it (version ${current.version}, you sent ${input.expectedVersion}).`,
      );
    }
    const office = await officeById(tx, current.officeId);
    const now = tx.clock.now();
    const today = localDate(now, office.timeZone);
    const before = pickFacts(current);
    const after = applyFacts(before, input.facts);
    checkFactDates(after, today, current.subjectDateOfBirth);
    const adds = input.addConvictions ?? [];
    adds.forEach((c, i) =>
      checkConviction(`input.addConvictions.${i}`, c, today, current.subjectDateOfBirth),
    );

    const existing = await tx.manager
      .getRepository(ConvictionEntity)
      .find({ where: { caseId: current.id } });
    const existingIds = new Set(existing.map((c) => c.id));
    const vacate = [...new Set(input.vacateConvictionIds ?? [])];
    const remove = [...new Set(input.removeConvictionIds ?? [])];
    vacate.forEach((id, i) => {
      if (!existingIds.has(id))
        throw badInput(`input.vacateConvictionIds.${i}`, 'is not a conviction of this case');
    });
    remove.forEach((id, i) => {
      if (!existingIds.has(id))
        throw badInput(`input.removeConvictionIds.${i}`, 'is not a conviction of this case');
      if (vacate.includes(id))
        throw badInput(`input.removeConvictionIds.${i}`, 'is also listed to vacate');
    });
    const changedFacts = FACT_KEYS.filter((k) => before[k] !== after[k]);
    if (
      changedFacts.length === 0 &&
      adds.length === 0 &&
      vacate.length === 0 &&
      remove.length === 0
    ) {
      throw badInput(
        'input',
        'changes nothing: give facts that differ, or convictions to add, vacate or remove',
      );
    }

    // Compare-and-set on the version: a concurrent change that slipped in since the read wins, this one is a CONFLICT.
    const result = await tx.manager
      .createQueryBuilder()
      .update(CaseEntity)
      .set({ ...after, version: () => 'version + 1', updatedAt: now })
      .where('id = :id AND version = :version AND status = :status', {
        id: current.id,
        version: input.expectedVersion,
        status: CaseStatus.OPEN,
      })
      .execute();
    if (result.affected !== 1) throw conflict('The case has changed since you read it.');

    const convictions = tx.manager.getRepository(ConvictionEntity);
    const added = adds.length
      ? await convictions.save(adds.map((c) => convictions.create(convictionRow(c, current, now))))
      : [];
    if (vacate.length) {
      await convictions
        .createQueryBuilder()
        .update()
        .set({ vacated: true })
        .where('id = ANY(:ids::uuid[]) AND case_id = :caseId', { ids: vacate, caseId: current.id })
        .execute();
    }
    if (remove.length) {
      await convictions
        .createQueryBuilder()
        .delete()
        .where('id = ANY(:ids::uuid[]) AND case_id = :caseId', { ids: remove, caseId: current.id })
        .execute();
    }
    await writeAudit(tx, {
      operation: 'updateCaseFacts',
      recordType: 'Case',
      recordIds: [current.id],
      officeIds: [current.officeId],
      reason: input.reason ?? null,
      change: {
        version: { before: current.version, after: current.version + 1 },
        facts: Object.fromEntries(
          changedFacts.map((k) => [k, { before: before[k], after: after[k] }]),
        ),
        addedConvictions: added.map(convictionSummary),
        vacatedConvictionIds: vacate,
        removedConvictions: existing.filter((c) => remove.includes(c.id)).map(convictionSummary),
      },
    });
    return tx.manager.getRepository(CaseEntity).findOneOrFail({ where: { id: current.id } });
  });
}

export async function closeCase(ctx: RequestContext, input: CloseCaseInput): Promise<CaseEntity> {
  return inTransaction(ctx, async (tx) => {
    const current = await findVisibleCase(tx, input.caseId);
    if (current.status === CaseStatus.CLOSED) throw conflict('The case is already closed.');
    if (input.expectedVersion != null && current.version !== input.expectedVersion) {
      throw conflict(
        `The case has changed since you read it (version ${current.version}, you sent ${input.expectedVersion}).`,
      );
    }
    const now = tx.clock.now();
    const result = await tx.manager
      .createQueryBuilder()
      .update(CaseEntity)
      .set({
        status: CaseStatus.CLOSED,
        closedAt: now,
        closeReason: input.reason.trim(),
        updatedAt: now,
        version: () => 'version + 1',
      })
      .where('id = :id AND version = :version AND status = :status', {
        id: current.id,
        version: current.version,
        status: CaseStatus.OPEN,
      })
      .execute();
    if (result.affected !== 1) throw conflict('The case has changed since you read it.');
    await writeAudit(tx, {
      operation: 'closeCase',
      recordType: 'Case',
      recordIds: [current.id],
      officeIds: [current.officeId],
      reason: input.reason.trim(),
      change: {
        status: { before: CaseStatus.OPEN, after: CaseStatus.CLOSED },
        version: { before: current.version, after: current.version + 1 },
      },
    });
    return tx.manager.getRepository(CaseEntity).findOneOrFail({ where: { id: current.id } });
  });
}

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
    if (filter.category || (filter.needsApproval !== null && filter.needsApproval !== undefined)) {
      qb.leftJoin(AssessmentEntity, 'la', 'la.id = c.latestAssessmentId');
      if (filter.category === PriorityCategory.OTHER) {
        qb.andWhere('la.primaryCategory = :other', { other: PriorityCategory.OTHER });
      } else if (filter.category) {
        qb.andWhere('la.categories @> ARRAY[:category]::priority_category[]', {
          category: filter.category,
        });
      }
      // A case never assessed needs approval too: an action on it is refused until it is assessed.
      if (filter.needsApproval === true) qb.andWhere('(la.id IS NULL OR la.requiresPreapproval)');
      if (filter.needsApproval === false)
        qb.andWhere('(la.id IS NOT NULL AND NOT la.requiresPreapproval)');
    }
    return qb;
  };
  return keysetPage(base, CASE_ORDER, args);
}
