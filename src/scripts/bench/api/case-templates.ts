/**
 * What the API benchmark's cases look like: each case follows one of a few dozen templates, whose
 * facts (drawn as `seed:synthetic` draws them, for each category) were assessed three times, once
 * under each policy version on a date in its period, by the real policy engine. So the stored
 * `reasons`, categories and summaries are what the engine says for those facts on those dates.
 */
import { addDays } from '../../../common/calendar';
import { evaluate, policyVersion } from '../../../modules/assessments/policy/engine';
import type { PolicyFacts, PolicyOutcome } from '../../../modules/assessments/policy/types';
import { CATEGORIES, buildTemplates, jsonbOrder } from '../../synthetic/templates';

export interface ScheduledVersion {
  code: string;
  from: string;
  /** Inclusive; null: open-ended. */
  to: string | null;
}

export interface CaseTemplate {
  tid: number;
  facts: PolicyFacts;
  /** One per scheduled version, oldest first. */
  assessments: {
    versionCode: string;
    asOfDate: string;
    determinations: unknown;
    outcome: PolicyOutcome;
  }[];
}

export const TEMPLATE_VARIANTS = 8;

/**
 * `CATEGORIES.length * TEMPLATE_VARIANTS` templates. The facts are drawn for the first version's
 * first day (every fact date before it, so before any case is opened); each later version's
 * determinations are those its own template of the same category and variant gives (of the form
 * that version reads). The assessment dates step through each version's period by template.
 */
export function caseTemplates(schedule: ScheduledVersion[], seed = 20210120): CaseTemplate[] {
  const versions = schedule.map((s) => {
    const definition = policyVersion(s.code);
    if (!definition) throw new Error(`scheduled policy version ${s.code} is not in the engine`);
    return { definition, from: s.from, to: s.to ?? addDays(s.from, 365) };
  });
  const { templates, index } = buildTemplates({
    versions,
    bucketStarts: [versions[0].from],
    variants: TEMPLATE_VARIANTS,
    seed,
  });
  const at = (vi: number, ci: number, n: number) => {
    const base = index.get(`${vi}:${ci}:0`);
    if (base === undefined) throw new Error(`no template for version ${vi}, category ${ci}`);
    return templates[base + n];
  };
  const out: CaseTemplate[] = [];
  for (let n = 0; n < TEMPLATE_VARIANTS; n++) {
    for (let ci = 0; ci < CATEGORIES.length; ci++) {
      const tid = out.length;
      const facts = jsonbOrder(at(0, ci, n).facts);
      out.push({
        tid,
        facts,
        assessments: versions.map((v, vi) => {
          // A date in the version's period, at least 12 days in (cases are opened in the first 12
          // days of the first version), spread by template.
          const span = Math.max(1, Math.min(60, daysIn(v.from, v.to) - 13));
          const asOfDate = addDays(v.from, 12 + ((tid * 7) % span));
          const determinations = at(vi, ci, n).determinations;
          return {
            versionCode: v.definition.code,
            asOfDate,
            determinations,
            outcome: evaluate(v.definition, { facts, determinations, asOf: asOfDate }),
          };
        }),
      });
    }
  }
  return out;
}

const daysIn = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
