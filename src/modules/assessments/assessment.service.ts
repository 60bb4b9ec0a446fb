import { RequestContext, inTransaction } from '../../common/context';
import { badInput, conflict } from '../../common/errors';
import { writeAudit } from '../audit/audit.service';
import { CaseEntity, CaseStatus } from '../cases/case.entity';
import { localDate } from '../../common/calendar';
import { findVisibleCase } from '../cases/case.service';
import type { ConvictionEntity } from '../cases/conviction.entity';
import { convictionsOf, setLatestAssessment } from '../cases/case.access';
import { gangParticipationOf, vulnerabilityOf } from '../cases/case.facts';
import { officeById } from '../users/office.service';
import { AssessmentEntity } from './assessment.entity';
import type {
  AssessCaseInput,
  PolicyScheduleInput,
  SchedulePolicyVersionInput,
} from './assessment.inputs';
import {
  evaluate,
  POLICY_VERSIONS,
  policyVersion,
  scheduleProblem,
  ScheduleEntry,
  versionInForce,
} from './policy/engine';
import {
  CriterionStatus,
  DETERMINATION_FORM_LABEL,
  Determinations,
  PolicyFacts,
  PolicyVersionDefinition,
  PriorityCategory,
} from './policy/types';
import { PolicyVersionEntity } from './policy-version.entity';

export interface PolicyVersionView extends PolicyVersionDefinition {
  effectiveFrom: string | null;
  effectiveTo: string | null;
}

function view(
  definition: PolicyVersionDefinition,
  row: PolicyVersionEntity | undefined,
): PolicyVersionView {
  return {
    ...definition,
    effectiveFrom: row?.effectiveFrom ?? null,
    effectiveTo: row?.effectiveTo ?? null,
  };
}

async function schedule(ctx: RequestContext, lock = false): Promise<PolicyVersionEntity[]> {
  const qb = ctx.manager
    .getRepository(PolicyVersionEntity)
    .createQueryBuilder('p')
    .orderBy('p.code');
  if (lock) qb.setLock('pessimistic_write');
  return qb.getMany();
}

const scheduled = (rows: PolicyVersionEntity[]): ScheduleEntry[] =>
  rows
    .filter((r) => r.effectiveFrom !== null)
    .map((r) => ({
      code: r.code,
      effectiveFrom: r.effectiveFrom as string,
      effectiveTo: r.effectiveTo,
    }));

/** The schedule in force: every scheduled version's effective dates. */
export async function scheduleEntries(ctx: RequestContext): Promise<ScheduleEntry[]> {
  return scheduled(await schedule(ctx));
}

/** The versions the engine holds, oldest first, with the schedule in force. */
export async function listPolicyVersions(ctx: RequestContext): Promise<PolicyVersionView[]> {
  return policyVersionViews(await schedule(ctx));
}

export function policyVersionViews(rows: PolicyVersionEntity[]): PolicyVersionView[] {
  return POLICY_VERSIONS.map((v) =>
    view(
      v,
      rows.find((r) => r.code === v.code),
    ),
  );
}

export async function schedulePolicyVersion(
  ctx: RequestContext,
  input: SchedulePolicyVersionInput,
): Promise<PolicyVersionView[]> {
  return inTransaction(ctx, async (tx) => {
    // Locked, so two schedule changes cannot each pass validation against the old schedule.
    const rows = await schedule(tx, true);
    const changes: { field: string; entry: PolicyScheduleInput }[] = [
      { field: 'input', entry: input },
      ...(input.alsoReschedule ?? []).map((entry, i) => ({
        field: `input.alsoReschedule.${i}`,
        entry,
      })),
    ];
    const seen = new Set<string>();
    for (const { field, entry } of changes) {
      if (!policyVersion(entry.code) || !rows.some((r) => r.code === entry.code)) {
        throw badInput(`${field}.code`, `no policy version ${entry.code}`);
      }
      if (seen.has(entry.code)) throw badInput(`${field}.code`, `${entry.code} is listed twice`);
      seen.add(entry.code);
    }
    const next = rows.map((r) => {
      const change = changes.find((c) => c.entry.code === r.code)?.entry;
      return change
        ? { ...r, effectiveFrom: change.effectiveFrom, effectiveTo: change.effectiveTo ?? null }
        : r;
    });
    const problem = scheduleProblem(scheduled(next));
    if (problem)
      throw badInput(
        'input.effectiveFrom',
        `${problem}; reschedule the neighbouring version in the same call`,
      );
    const before = scheduled(rows);
    const now = tx.clock.now();
    for (const { entry } of changes) {
      await tx.manager.getRepository(PolicyVersionEntity).update(
        { code: entry.code },
        {
          effectiveFrom: entry.effectiveFrom,
          effectiveTo: entry.effectiveTo ?? null,
          updatedAt: now,
        },
      );
    }
    await writeAudit(tx, {
      operation: 'schedulePolicyVersion',
      recordType: 'PolicyVersion',
      recordIds: [],
      officeIds: [],
      reason: input.reason,
      change: { before, after: scheduled(next), codes: [...seen] },
    });
    return policyVersionViews(next);
  });
}

/**
 * The policy version in force on `date` (an office's calendar date), or BAD_USER_INPUT on `field`
 * when none covers it.
 */
export async function versionOn(
  ctx: RequestContext,
  date: string,
  field: string,
): Promise<PolicyVersionDefinition> {
  const rows = scheduled(await schedule(ctx));
  const entry = versionInForce(rows, date);
  if (!entry) {
    const first = [...rows].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))[0];
    throw badInput(
      field,
      `no policy version is in force on ${date}${first ? ` (the first takes effect on ${first.effectiveFrom})` : ''}`,
    );
  }
  const version = policyVersion(entry.code);
  if (!version) throw new Error(`scheduled policy version ${entry.code} is not in the engine`);
  return version;
}

/** The assessment with `id` (a case's latest, named by the case), or null. */
export async function assessmentById(
  ctx: RequestContext,
  id: string,
): Promise<AssessmentEntity | null> {
  return ctx.manager.getRepository(AssessmentEntity).findOne({ where: { id } });
}

/** The facts as the rules read them, leaving out anything dated after the assessment date. */
export function factsAsOf(
  c: CaseEntity,
  convictions: ConvictionEntity[],
  asOfDate: string,
): PolicyFacts {
  const upTo = (date: string | null) => (date !== null && date <= asOfDate ? date : null);
  return {
    terrorismOrEspionage: c.terrorismOrEspionage,
    borderApprehension:
      c.borderApprehensionDate !== null && c.borderApprehensionDate <= asOfDate
        ? { date: c.borderApprehensionDate, location: c.borderApprehensionLocation }
        : null,
    firstPresentOn: upTo(c.firstPresentOn),
    lastReleasedFromCustodyOn: upTo(c.lastReleasedFromCustodyOn),
    gangParticipation: gangParticipationOf(c),
    convictions: convictions
      .filter((v) => v.convictedOn <= asOfDate)
      .map((v) => ({
        id: v.id,
        offense: v.offense,
        jurisdiction: v.jurisdiction,
        convictedOn: v.convictedOn,
        aggravatedFelony: v.aggravatedFelony,
        aggravatedFelonySubparagraph: v.aggravatedFelonySubparagraph,
        gangParticipationElement: v.gangParticipationElement,
        vacated: v.vacated,
      })),
    vulnerability: vulnerabilityOf(c),
  };
}

export async function assessCase(
  ctx: RequestContext,
  input: AssessCaseInput,
): Promise<AssessmentEntity> {
  return inTransaction(ctx, async (tx) => {
    // Locked: two assessments of one case at once are recorded one after the other, so the later
    // is the latest and history order agrees with `latestAssessment`.
    const c = await findVisibleCase(tx, input.caseId, { lock: true });
    if (c.status !== CaseStatus.OPEN)
      throw conflict('The case is closed; it can no longer be assessed.');
    const office = await officeById(tx, c.officeId);
    const now = tx.clock.now();
    const asOf = input.asOf ?? now;
    if (asOf.getTime() > now.getTime())
      throw badInput('input.asOf', `is in the future (the service's time is ${now.toISOString()})`);
    const asOfDate = localDate(asOf, office.timeZone);

    const version = await versionOn(tx, asOfDate, 'input.asOf');

    // Determinations must be of the forms this version reads, and complete.
    const determinations: Determinations = {};
    for (const form of ['publicSafety', 'nationalSecurity', 'totality'] as const) {
      const given = input[form];
      if (!given) continue;
      if (!version.determinationForms.includes(form)) {
        const expected = version.determinationForms.map((f) => `\`${f}\``).join(' or ');
        throw badInput(
          `input.${form}`,
          `${version.code} does not use ${DETERMINATION_FORM_LABEL[form]}; give ${expected} instead`,
        );
      }
      if (given.rationale.trim().length < version.parameters.minRationaleLength) {
        throw badInput(
          `input.${form}.rationale`,
          `must be at least ${version.parameters.minRationaleLength} characters under ${version.code}`,
        );
      }
      // Copy plain data: the record is JSON, not class instances.
      (determinations as Record<string, unknown>)[form] = JSON.parse(JSON.stringify(given));
    }

    const convictions = await convictionsOf(tx, c.id);
    const facts = factsAsOf(c, convictions, asOfDate);
    const outcome = evaluate(version, { facts, determinations, asOf: asOfDate });

    for (const [i, category] of (input.assertCategories ?? []).entries()) {
      const field = `input.assertCategories.${i}`;
      if (category === PriorityCategory.OTHER)
        throw badInput(field, 'OTHER is not a category one can assert');
      const form = version.categoryForms[category];
      if (form && !determinations[form])
        throw badInput(
          field,
          `${category} needs ${DETERMINATION_FORM_LABEL[form]}, and none was given`,
        );
      if (!outcome.categories.includes(category)) {
        const unmet = outcome.reasons.filter(
          (r) => r.category === category && r.status !== CriterionStatus.MET,
        );
        throw badInput(
          field,
          `${category} is not met under ${version.code}: ${unmet.map((r) => `${r.detail} (${r.code})`).join('; ')}`,
        );
      }
    }

    const repo = tx.manager.getRepository(AssessmentEntity);
    const previous = c.latestAssessmentId ? await assessmentById(tx, c.latestAssessmentId) : null;
    // Strictly after the one it supersedes, even within one millisecond.
    const assessedAt =
      previous && previous.assessedAt.getTime() >= now.getTime()
        ? new Date(previous.assessedAt.getTime() + 1)
        : now;
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        officeId: c.officeId,
        policyVersionCode: version.code,
        asOf,
        asOfDate,
        categories: outcome.categories,
        primaryCategory: outcome.primaryCategory,
        presumedPriority: outcome.presumedPriority,
        requiresPreapproval: outcome.requiresPreapproval,
        reasons: outcome.reasons,
        determinations,
        factsSnapshot: facts,
        summary: outcome.summary,
        assessedById: tx.user.id,
        assessedAt,
      }),
    );
    await setLatestAssessment(tx, c.id, saved.id);
    await writeAudit(tx, {
      operation: 'assessCase',
      recordType: 'Assessment',
      recordIds: [saved.id, c.id],
      officeIds: [c.officeId],
      change: {
        caseId: c.id,
        supersedes: c.latestAssessmentId,
        policyVersion: version.code,
        asOfDate,
        categories: outcome.categories,
        presumedPriority: outcome.presumedPriority,
        requiresPreapproval: outcome.requiresPreapproval,
      },
    });
    return saved;
  });
}
