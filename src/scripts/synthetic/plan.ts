/**
 * What `seed:synthetic` will write: the 2021 mix of actions and requests, the offices, how many
 * cases, the policy versions in force over the span, and the assessment templates.
 */
import type { DataSource } from 'typeorm';
import { policyVersion } from '../../modules/assessments/policy/engine';
import type { PolicyVersionDefinition } from '../../modules/assessments/policy/types';
import { CATEGORIES, buildTemplates, type Template } from './templates';
import { addDays } from '../../common/calendar';
import { EXTRA_ZONES, OFFICES, type SyntheticOffice } from './offices';

/** DOMAIN.md, 18 Feb to 16 Sep 2021: actions by category, and approved actions outside the presumptions. */
export const MIX = { nationalSecurity: 57, border: 3696, publicSafety: 9918, preapproved: 7157 };
/** Exigent actions, as a share of all actions under a version that requires pre-approval. */
export const EXIGENT_SHARE = 0.015;
/** Per approved pre-action request: a denied one (≈90% approved), a withdrawn one, a pending one. */
export const DENIED_PER_APPROVED = 0.111;
export const WITHDRAWN_PER_APPROVED = 0.02;
export const PENDING_PER_APPROVED = 0.008;
/** Share of actions voided (recorded in error): they stay on record and leave the counts. */
export const VOID_SHARE = 0.001;
/** Actions per case cycle through these (mean 3), so the total is exact without a second pass. */
export const ACTIONS_PER_CASE = [3, 1, 5, 2, 4];
export const TEMPLATE_VARIANTS = 8;
export const OFFICE_SLOTS = 1000;

export interface Plan {
  url: string;
  offices: SyntheticOffice[];
  actions: number;
  cases: number;
  batchCases: number;
  workers: number;
  firstDay: string;
  lastDay: string;
  versions: { definition: PolicyVersionDefinition; from: string; to: string }[];
  bucketStarts: string[];
  templates: Template[];
  templateBase: number[];
}

export interface Totals {
  actions: number;
  rows: number;
  cases: number;
  approvals: number;
}

export function officesFor(count: number): SyntheticOffice[] {
  if (count <= OFFICES.length) return OFFICES.slice(0, count);
  const extra = Array.from({ length: count - OFFICES.length }, (_, i) => {
    const n = OFFICES.length + i + 1;
    const code = `O${String(n).padStart(2, '0')}`;
    return {
      code,
      name: `Field Office ${code}`,
      timeZone: EXTRA_ZONES[i % EXTRA_ZONES.length],
      city: `District ${code}`,
      weight: 0.5 + ((n * 37) % 10) / 10,
    };
  });
  return [...OFFICES, ...extra];
}

/** Cases needed for `actions` actions when case n has ACTIONS_PER_CASE[n % 5] of them. */
export function casesFor(actions: number): number {
  const cycle = ACTIONS_PER_CASE.reduce((a, b) => a + b, 0);
  let n = Math.floor(actions / cycle) * ACTIONS_PER_CASE.length;
  let start = (n / ACTIONS_PER_CASE.length) * cycle;
  while (start < actions) {
    start += ACTIONS_PER_CASE[n % ACTIONS_PER_CASE.length];
    n++;
  }
  return n;
}

export async function makePlan(
  ds: DataSource,
  url: string,
  args: { offices: number; years: number; actions: number; workers: number; batch: number },
): Promise<Plan> {
  const schedule = (await ds.query(
    `SELECT code, effective_from::text AS "from", effective_to::text AS "to"
       FROM policy_versions WHERE effective_from IS NOT NULL ORDER BY effective_from`,
  )) as { code: string; from: string; to: string | null }[];
  if (!schedule.length) throw new Error('no policy version is scheduled');
  const firstDay = schedule[0].from;
  const yesterday = addDays(new Date().toISOString().slice(0, 10), -1);
  const endYear = `${Number(firstDay.slice(0, 4)) + args.years}${firstDay.slice(4)}`;
  const lastDay = [addDays(endYear, -1), yesterday].sort()[0];
  if (lastDay <= addDays(firstDay, 2)) throw new Error('the date range is too short');
  const versions = schedule
    .filter((s) => s.from <= lastDay)
    .map((s) => {
      const definition = policyVersion(s.code);
      if (!definition) throw new Error(`scheduled policy version ${s.code} is not in the engine`);
      return { definition, from: s.from, to: s.to && s.to < lastDay ? s.to : lastDay };
    });
  const bucketStarts = [firstDay];
  for (let y = Number(firstDay.slice(0, 4)) + 1; y <= Number(lastDay.slice(0, 4)); y++)
    bucketStarts.push(`${y}-01-01`);
  const { templates, index } = buildTemplates({
    versions,
    bucketStarts,
    variants: TEMPLATE_VARIANTS,
    seed: 20210218,
  });
  if (templates.some((t) => t.facts.convictions.length > 2))
    throw new Error('a template has more than two convictions');
  const templateBase: number[] = [];
  for (let vi = 0; vi < versions.length; vi++)
    for (let ci = 0; ci < CATEGORIES.length; ci++)
      for (let bi = 0; bi < bucketStarts.length; bi++)
        templateBase.push(index.get(`${vi}:${ci}:${bi}`) ?? -1);
  const cases = casesFor(args.actions);
  const meanActions = ACTIONS_PER_CASE.reduce((a, b) => a + b, 0) / ACTIONS_PER_CASE.length;
  return {
    url,
    offices: officesFor(args.offices),
    actions: args.actions,
    cases,
    batchCases: Math.max(5, Math.round(args.batch / meanActions / 5) * 5),
    workers: args.workers,
    firstDay,
    lastDay,
    versions,
    bucketStarts,
    templates,
    templateBase,
  };
}
