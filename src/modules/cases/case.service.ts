/**
 * A case's lifecycle: open, update its facts, close, each in one transaction ending with its audit
 * record; and the one way to fetch a case the caller may see. Facts: case.facts.ts; the list:
 * case.listing.ts.
 */
import { findVisible } from '../../common/access';
import { RequestContext, inTransaction } from '../../common/context';
import { badInput, conflict } from '../../common/errors';
import { isUuid } from '../../common/ids';
import { writeAudit } from '../audit/audit.service';
import { callerOffice, officeById } from '../users/office.service';
import { Role } from '../../auth/role';
import { userById } from '../users/user.service';
import { CaseEntity, CaseStatus } from './case.entity';
import type { CloseCaseInput, OpenCaseInput, UpdateCaseFactsInput } from './case.inputs';
import { checkConviction, normalizeANumber, notInFuture } from './case.rules';
import { ConvictionEntity } from './conviction.entity';
import { localDate } from '../../common/calendar';
import {
  FACT_KEYS,
  NO_FACTS,
  applyFacts,
  checkFactDates,
  convictionRow,
  convictionSummary,
  pickFacts,
} from './case.facts';

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
