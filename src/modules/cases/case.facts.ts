/**
 * A case's facts as columns: applying an input to them, checking their dates against the office's
 * calendar and the date of birth, and the shapes the audit record keeps. Pure.
 */
import { badInput } from '../../common/errors';
import { CaseEntity } from './case.entity';
import type { CaseFactsInput, ConvictionInput } from './case.inputs';
import { notBeforeBirth, notInFuture } from './case.rules';
import { ConvictionEntity } from './conviction.entity';

/** The fact columns of a case, as `updateCaseFacts` and the audit record see them. */
export type FactColumns = Pick<
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

export const FACT_KEYS: (keyof FactColumns)[] = [
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

export const NO_FACTS: FactColumns = {
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
export function applyFacts(
  current: FactColumns,
  input: CaseFactsInput | null | undefined,
): FactColumns {
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

export function checkFactDates(facts: FactColumns, today: string, dateOfBirth: string): void {
  for (const [field, date] of [
    ['input.facts.borderApprehension.date', facts.borderApprehensionDate],
    ['input.facts.firstPresentOn', facts.firstPresentOn],
    ['input.facts.lastReleasedFromCustodyOn', facts.lastReleasedFromCustodyOn],
  ] as const) {
    notInFuture(field, date, today);
    notBeforeBirth(field, date, dateOfBirth);
  }
}

export function convictionRow(
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

export const convictionSummary = (c: Partial<ConvictionEntity>) => ({
  id: c.id,
  offense: c.offense,
  jurisdiction: c.jurisdiction,
  convictedOn: c.convictedOn,
  aggravatedFelony: c.aggravatedFelony,
  aggravatedFelonySubparagraph: c.aggravatedFelonySubparagraph,
  gangParticipationElement: c.gangParticipationElement,
  vacated: c.vacated,
});

export function pickFacts(row: FactColumns): FactColumns {
  return Object.fromEntries(FACT_KEYS.map((k) => [k, row[k]])) as unknown as FactColumns;
}

/** The gang participation the columns record, or null where none is (no kind, no participation). */
export function gangParticipationOf(c: FactColumns) {
  return c.gangKind !== null
    ? {
        organization: c.gangOrganization,
        kind: c.gangKind,
        intentional: c.gangIntentional ?? false,
        furtheredIllegalActivity: c.gangFurtheredIllegalActivity ?? false,
        ageAtParticipation: c.gangAgeAtParticipation ?? 0,
      }
    : null;
}

/** The vulnerability factors the columns record. */
export function vulnerabilityOf(c: FactColumns) {
  return {
    elderly: c.elderly,
    seriousIllness: c.seriousIllness,
    pendingReliefApplication: c.pendingReliefApplication,
  };
}
