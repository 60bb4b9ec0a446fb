/**
 * The policy engine: pure. Same facts, determinations, date and version → same outcome. It never
 * throws on well-typed input; a missing determination makes its criterion "not met".
 */
import { nextDay } from '../../../common/calendar';
import { DHS_2021_01_20 } from './dhs-2021-01-20';
import { DHS_2021_09_30 } from './dhs-2021-09-30';
import { ICE_2021_02_18 } from './ice-2021-02-18';
import {
  CriterionResult,
  CriterionStatus,
  EvaluationInput,
  PolicyOutcome,
  PolicyVersionDefinition,
  PriorityCategory,
} from './types';

/** Every version the engine holds, oldest first. */
export const POLICY_VERSIONS: readonly PolicyVersionDefinition[] = [
  DHS_2021_01_20,
  ICE_2021_02_18,
  DHS_2021_09_30,
];

export function policyVersion(code: string): PolicyVersionDefinition | undefined {
  return POLICY_VERSIONS.find((v) => v.code === code);
}

const CATEGORY_LABEL: Record<PriorityCategory, string> = {
  [PriorityCategory.NATIONAL_SECURITY]: 'national security',
  [PriorityCategory.BORDER_SECURITY]: 'border security',
  [PriorityCategory.PUBLIC_SAFETY]: 'public safety',
  [PriorityCategory.OTHER]: 'other',
};

export function evaluate(version: PolicyVersionDefinition, input: EvaluationInput): PolicyOutcome {
  const reasons: CriterionResult[] = version.criteria.map((criterion) => {
    let outcome;
    try {
      outcome = criterion.check(input, version.parameters);
    } catch {
      // A criterion that cannot read the facts has not been met; the engine itself never throws.
      outcome = { status: CriterionStatus.NOT_MET, detail: 'the facts needed could not be read' };
    }
    return {
      code: criterion.code,
      category: criterion.category,
      description: criterion.description,
      status: outcome.status,
      detail: outcome.detail,
    };
  });
  const isMet = (code: string) =>
    reasons.some((r) => r.code === code && r.status === CriterionStatus.MET);
  const categories = version.categoryRules
    .filter((rule) => rule.matches(isMet))
    .map((rule) => rule.category);
  const primaryCategory = categories[0] ?? PriorityCategory.OTHER;
  const presumedPriority = version.presumptions && categories.length > 0;
  const requiresPreapproval = version.requiresPreapproval && categories.length === 0;
  return {
    policyVersion: version.code,
    asOf: input.asOf,
    categories,
    primaryCategory,
    presumedPriority,
    requiresPreapproval,
    reasons,
    summary: summarize(version, categories, reasons, requiresPreapproval),
  };
}

/** One paragraph in plain English: what matched, on which facts, under which criteria. */
export function summarize(
  version: PolicyVersionDefinition,
  categories: PriorityCategory[],
  reasons: CriterionResult[],
  requiresPreapproval: boolean,
): string {
  const metIn = (category: PriorityCategory) =>
    reasons.filter((r) => r.category === category && r.status === CriterionStatus.MET);
  const sentence = (category: PriorityCategory) => {
    const met = metIn(category);
    return `${met.map((r) => r.detail).join('; ')} (${met.map((r) => r.code).join(', ')})`;
  };
  if (categories.length === 0) {
    const tail = requiresPreapproval
      ? ' An enforcement action needs a supervisor’s pre-approval.'
      : version.presumptions
        ? ''
        : ' This version has no presumptions and no pre-approval requirement.';
    return `Not a ${version.presumptions ? 'presumed ' : ''}priority under ${version.code}: no category matched.${tail}`;
  }
  const [primary, ...others] = categories;
  const lead = version.presumptions ? 'Presumed' : 'Enforcement';
  const label = CATEGORY_LABEL[primary];
  let text = `${lead} ${label} priority: ${sentence(primary)}.`;
  if (others.length) {
    text += ` Also ${others.map((c) => `${CATEGORY_LABEL[c]}: ${sentence(c)}`).join('. Also ')}.`;
  }
  if (!version.presumptions)
    text += ` Under ${version.code} there are no presumptions: the officer weighs the totality of the circumstances.`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface ScheduleEntry {
  code: string;
  effectiveFrom: string;
  /** Inclusive; null: open-ended. */
  effectiveTo: string | null;
}

/** The version in force on `date` (inclusive dates), or undefined when none covers it. */
export function versionInForce(
  schedule: readonly ScheduleEntry[],
  date: string,
): ScheduleEntry | undefined {
  return schedule.find(
    (s) => s.effectiveFrom <= date && (s.effectiveTo === null || date <= s.effectiveTo),
  );
}

/**
 * A schedule is valid when each entry's range is ordered, entries do not overlap, there is no gap
 * between the first start and the last end, and only the last may be open-ended. Returns the
 * problem in words, or null.
 */
export function scheduleProblem(schedule: readonly ScheduleEntry[]): string | null {
  const sorted = [...schedule].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  for (const s of sorted) {
    if (s.effectiveTo !== null && s.effectiveTo < s.effectiveFrom)
      return `${s.code} would end before it starts`;
  }
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev.effectiveTo === null || prev.effectiveTo >= cur.effectiveFrom) {
      return `${prev.code} and ${cur.code} would overlap`;
    }
    if (nextDay(prev.effectiveTo) !== cur.effectiveFrom) {
      return `there would be a gap between ${prev.code} (to ${prev.effectiveTo}) and ${cur.code} (from ${cur.effectiveFrom})`;
    }
  }
  return null;
}
