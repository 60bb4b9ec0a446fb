/**
 * Assessment templates for synthetic data: case facts and officer determinations drawn from the
 * word lists, evaluated by the real policy engine, so that every generated assessment records
 * exactly what the engine says for its case's facts. A template is used for cases assessed on or
 * after its `asOfMin` (every fact date is before it), under one version, for one category.
 */
import { addDays } from '../../common/calendar';
import { evaluate } from '../../modules/assessments/policy/engine';
import {
  ConvictionFacts,
  Determinations,
  PolicyFacts,
  PolicyOutcome,
  PolicyVersionDefinition,
  PriorityCategory,
  Weight,
} from '../../modules/assessments/policy/types';
import {
  AGGRAVATED_FELONIES,
  GANG_CONVICTIONS,
  JURISDICTIONS,
  NATIONAL_SECURITY_RATIONALES,
  NO_THREAT_RATIONALES,
  ORGANIZATIONS,
  OTHER_OFFENSES,
  PORTS,
  THREAT_RATIONALES,
} from './vocabulary';

/** The generated categories in DOMAIN.md's order; index + 1 is the category number used in SQL. */
export const CATEGORIES = [
  PriorityCategory.NATIONAL_SECURITY,
  PriorityCategory.BORDER_SECURITY,
  PriorityCategory.PUBLIC_SAFETY,
  PriorityCategory.OTHER,
];

export interface Template {
  versionCode: string;
  category: PriorityCategory;
  facts: PolicyFacts;
  determinations: Determinations;
  outcome: PolicyOutcome;
}

/** A small deterministic PRNG (mulberry32), so the same run gives the same templates. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const toDate = (d: string) => new Date(`${d}T00:00:00Z`).getTime();
const fromTime = (t: number) => new Date(t).toISOString().slice(0, 10);

function between(rng: () => number, from: string, to: string): string {
  const a = toDate(from);
  const b = toDate(to);
  if (b <= a) return from;
  return fromTime(a + Math.floor(rng() * ((b - a) / DAY + 1)) * DAY);
}

const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
const weight = (rng: () => number): Weight =>
  pick(rng, [Weight.LOW, Weight.MODERATE, Weight.HIGH, Weight.HIGH]);
const sometimes = (rng: () => number, p: number) => rng() < p;

function conviction(
  rng: () => number,
  kind: 'aggravated' | 'gang' | 'other',
  from: string,
  to: string,
): ConvictionFacts {
  const [offense, subparagraph] =
    kind === 'aggravated'
      ? pick(rng, AGGRAVATED_FELONIES)
      : [pick(rng, kind === 'gang' ? GANG_CONVICTIONS : OTHER_OFFENSES), null];
  return {
    id: '',
    offense,
    jurisdiction: pick(rng, JURISDICTIONS),
    convictedOn: between(rng, from, to),
    aggravatedFelony: kind === 'aggravated',
    aggravatedFelonySubparagraph: subparagraph,
    gangParticipationElement: kind === 'gang',
    vacated: false,
  };
}

function baseFacts(rng: () => number, cutoff: string): PolicyFacts {
  return {
    terrorismOrEspionage: false,
    borderApprehension: null,
    // Long-settled or unknown: neither satisfies a border criterion.
    firstPresentOn: sometimes(rng, 0.6) ? between(rng, '1998-01-01', addDays(cutoff, -400)) : null,
    lastReleasedFromCustodyOn: null,
    gangParticipation: null,
    convictions: [],
    vulnerability: { elderly: false, seriousIllness: false, pendingReliefApplication: false },
  };
}

function threatDetermination(
  rng: () => number,
  version: PolicyVersionDefinition,
  threat: boolean,
): Determinations {
  const rationale = pick(rng, threat ? THREAT_RATIONALES : NO_THREAT_RATIONALES);
  if (version.determinationForms.includes('totality')) {
    return {
      totality: {
        aggravating: {
          gravityOfOffenseAndSentence: threat,
          harmCaused: threat && sometimes(rng, 0.6),
          sophistication: threat && sometimes(rng, 0.3),
          firearmOrDangerousWeapon: threat && sometimes(rng, 0.3),
          seriousPriorRecord: threat && sometimes(rng, 0.5),
        },
        mitigating: {
          advancedOrTenderAge: false,
          lengthyPresence: !threat || sometimes(rng, 0.2),
          mentalConditionOrCareNeeds: false,
          victimOrWitness: false,
          impactOnFamily: !threat || sometimes(rng, 0.3),
          eligibleForRelief: !threat && sometimes(rng, 0.5),
          militaryOrPublicService: false,
          timeSinceOffenseAndRehabilitation: !threat && sometimes(rng, 0.5),
          convictionVacatedOrExpunged: false,
        },
        posesThreatToPublicSafety: threat,
        rationale,
      },
    };
  }
  if (version.determinationForms.includes('publicSafety')) {
    return {
      publicSafety: {
        posesThreat: threat,
        extensiveness: threat ? weight(rng) : Weight.LOW,
        seriousness: threat ? pick(rng, [Weight.MODERATE, Weight.HIGH]) : Weight.LOW,
        recency: threat ? weight(rng) : Weight.LOW,
        mitigating: {
          personalAndFamilyCircumstances: sometimes(rng, threat ? 0.3 : 0.9),
          healthAndMedicalFactors: sometimes(rng, 0.1),
          communityTies: sometimes(rng, threat ? 0.2 : 0.9),
          evidenceOfRehabilitation: !threat && sometimes(rng, 0.6),
          potentialReliefFromRemoval: !threat && sometimes(rng, 0.4),
        },
        rationale,
      },
    };
  }
  return {};
}

/** Facts and determinations meant to give `category` under `version`, for an assessment on or after `asOfMin`. */
function draw(
  rng: () => number,
  version: PolicyVersionDefinition,
  category: PriorityCategory,
  asOfMin: string,
): { facts: PolicyFacts; determinations: Determinations } {
  const p = version.parameters;
  const facts = baseFacts(rng, p.borderCutoff);
  const lastFactDay = addDays(asOfMin, -1);
  // Never before the cut-off (plus a day, for criteria that need "after"), at most two years back.
  const recentFrom = [addDays(p.borderCutoff, 1), addDays(asOfMin, -730)].sort()[1];
  let determinations: Determinations = {};
  switch (category) {
    case PriorityCategory.NATIONAL_SECURITY:
      if (sometimes(rng, 0.7)) facts.terrorismOrEspionage = true;
      else
        determinations = {
          nationalSecurity: { necessary: true, rationale: pick(rng, NATIONAL_SECURITY_RATIONALES) },
        };
      break;
    case PriorityCategory.BORDER_SECURITY:
      if (sometimes(rng, 0.6)) {
        facts.borderApprehension = {
          date: between(rng, recentFrom, lastFactDay),
          location: pick(rng, PORTS),
        };
        facts.firstPresentOn = facts.borderApprehension.date;
      } else {
        facts.firstPresentOn = between(rng, recentFrom, lastFactDay);
      }
      break;
    case PriorityCategory.PUBLIC_SAFETY: {
      const convictedFrom = addDays(asOfMin, -8 * 365);
      const convictedTo = addDays(asOfMin, -400);
      facts.convictions.push(conviction(rng, 'aggravated', convictedFrom, convictedTo));
      if (sometimes(rng, 0.25))
        facts.convictions.push(conviction(rng, 'gang', convictedFrom, convictedTo));
      facts.convictions.sort((a, b) => (a.convictedOn < b.convictedOn ? -1 : 1));
      const last = facts.convictions[facts.convictions.length - 1].convictedOn;
      facts.lastReleasedFromCustodyOn = p.custodyReleaseFrom
        ? between(rng, [p.custodyReleaseFrom, last].sort()[1], asOfMin)
        : between(rng, addDays(last, 180), lastFactDay);
      if (sometimes(rng, 0.3)) {
        const [organization, kind] = pick(rng, ORGANIZATIONS);
        facts.gangParticipation = {
          organization,
          kind,
          intentional: true,
          furtheredIllegalActivity: true,
          ageAtParticipation: 16 + Math.floor(rng() * 12),
        };
      }
      determinations = threatDetermination(rng, version, true);
      break;
    }
    case PriorityCategory.OTHER:
      if (sometimes(rng, 0.4))
        facts.convictions.push(
          conviction(rng, 'other', addDays(asOfMin, -10 * 365), addDays(asOfMin, -200)),
        );
      if (sometimes(rng, 0.4)) determinations = threatDetermination(rng, version, false);
      // Only where removing a vulnerable person needs no separate approval (none is generated).
      if (!version.vulnerableRemovalNeedsApproval && sometimes(rng, 0.1))
        facts.vulnerability.pendingReliefApplication = true;
      break;
  }
  return { facts, determinations };
}

/** A copy with object keys in jsonb's order (shorter first, then bytewise). */
export function jsonbOrder<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => jsonbOrder(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) =>
    a.length !== b.length ? a.length - b.length : Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
  return Object.fromEntries(
    keys.map((k) => [k, jsonbOrder((value as Record<string, unknown>)[k])]),
  ) as T;
}

/**
 * `variants` templates for each version, category and year bucket. Throws if the engine does not
 * give the intended category: the generator and the engine must agree.
 */
export function buildTemplates(args: {
  versions: { definition: PolicyVersionDefinition; from: string; to: string }[];
  /** First day of each year bucket; a bucket's templates apply to cases opened in that year. */
  bucketStarts: string[];
  variants: number;
  seed: number;
}): { templates: Template[]; index: Map<string, number> } {
  const rng = prng(args.seed);
  const templates: Template[] = [];
  const index = new Map<string, number>();
  for (const [vi, v] of args.versions.entries()) {
    for (const [ci, category] of CATEGORIES.entries()) {
      for (const [bi, bucketStart] of args.bucketStarts.entries()) {
        const bucketEnd =
          bi + 1 < args.bucketStarts.length ? addDays(args.bucketStarts[bi + 1], -1) : '9999-12-31';
        if (bucketEnd < v.from || bucketStart > v.to) continue;
        const asOfMin = [v.from, bucketStart].sort()[1];
        index.set(`${vi}:${ci}:${bi}`, templates.length);
        for (let n = 0; n < args.variants; n++) {
          const drawn = draw(rng, v.definition, category, asOfMin);
          // Evaluated in the key order jsonb gives back, so re-evaluating a stored record agrees.
          const facts = jsonbOrder(drawn.facts);
          const determinations = jsonbOrder(drawn.determinations);
          const outcome = evaluate(v.definition, { facts, determinations, asOf: asOfMin });
          const wanted = category === PriorityCategory.OTHER ? [] : [category];
          if (outcome.primaryCategory !== category || outcome.categories.join() !== wanted.join()) {
            throw new Error(
              `template for ${category} under ${v.definition.code} evaluates to ${outcome.categories.join(', ') || 'OTHER'}: ${outcome.summary}`,
            );
          }
          templates.push({
            versionCode: v.definition.code,
            category,
            facts,
            determinations,
            outcome,
          });
        }
      }
    }
  }
  return { templates, index };
}
