/**
 * Properties of the policy engine over arbitrary well-typed input (fast-check): deterministic,
 * never throws, pre-approval under ICE-2021-02-18 is exactly "no category matched", categories
 * come in DOMAIN.md's fixed order with the first as primary, DHS versions never require
 * pre-approval, and every reason names its version.
 */
import fc from 'fast-check';
import { POLICY_VERSIONS, evaluate } from '../../src/modules/assessments/policy/engine';
import { ICE_2021_02_18 } from '../../src/modules/assessments/policy/ice-2021-02-18';
import {
  ConvictionFacts,
  Determinations,
  EvaluationInput,
  NationalSecurityDetermination,
  PolicyFacts,
  PriorityCategory,
  PublicSafetyDetermination,
  TotalityDetermination,
  Weight,
} from '../../src/modules/assessments/policy/types';

const NUM_RUNS = 500;

/** The fixed order of DOMAIN.md: the first that matches is the primary. */
const ORDER = [
  PriorityCategory.NATIONAL_SECURITY,
  PriorityCategory.BORDER_SECURITY,
  PriorityCategory.PUBLIC_SAFETY,
];

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const MIN_DATE = new Date('1950-01-01T00:00:00Z');
const MAX_DATE = new Date('2035-12-31T00:00:00Z');

/** 'YYYY-MM-DD', biased towards the dates the rules turn on. */
const dateArb: fc.Arbitrary<string> = fc
  .oneof(
    { arbitrary: fc.date({ min: MIN_DATE, max: MAX_DATE, noInvalidDate: true }), weight: 3 },
    {
      arbitrary: fc
        .constantFrom(
          '2020-10-31',
          '2020-11-01',
          '2020-11-02',
          '2021-01-19',
          '2021-01-20',
          '2021-02-17',
          '2021-02-18',
          '2021-11-28',
          '2021-11-29',
        )
        .map((s) => new Date(`${s}T00:00:00Z`)),
      weight: 2,
    },
  )
  .map((d) => d.toISOString().slice(0, 10));

const nullableDateArb = fc.option(dateArb, { nil: null });

/** Rationales around the minimum length, blank ones, and free text. */
const rationaleArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.integer({ min: 0, max: 80 }).map((n) => 'r'.repeat(n)),
  fc.integer({ min: 0, max: 80 }).map((n) => ' '.repeat(n)),
);

const weightArb = fc.constantFrom(Weight.LOW, Weight.MODERATE, Weight.HIGH);

const convictionArb: fc.Arbitrary<ConvictionFacts> = fc.record({
  id: fc.uuid(),
  offense: fc.string({ maxLength: 40 }),
  jurisdiction: fc.string({ maxLength: 40 }),
  convictedOn: dateArb,
  aggravatedFelony: fc.boolean(),
  aggravatedFelonySubparagraph: fc.option(fc.constantFrom('A', 'B', 'F', 'G', 'U'), { nil: null }),
  gangParticipationElement: fc.boolean(),
  vacated: fc.boolean(),
});

const factsArb: fc.Arbitrary<PolicyFacts> = fc.record({
  terrorismOrEspionage: fc.boolean(),
  borderApprehension: fc.option(
    fc.record({ date: dateArb, location: fc.option(fc.string({ maxLength: 40 }), { nil: null }) }),
    { nil: null },
  ),
  firstPresentOn: nullableDateArb,
  lastReleasedFromCustodyOn: nullableDateArb,
  gangParticipation: fc.option(
    fc.record({
      organization: fc.option(fc.string({ maxLength: 30 }), { nil: null }),
      kind: fc.constantFrom(
        'CRIMINAL_STREET_GANG' as const,
        'TRANSNATIONAL_CRIMINAL_ORGANIZATION' as const,
      ),
      intentional: fc.boolean(),
      furtheredIllegalActivity: fc.boolean(),
      ageAtParticipation: fc.integer({ min: 0, max: 90 }),
    }),
    { nil: null },
  ),
  convictions: fc.array(convictionArb, { maxLength: 4 }),
  vulnerability: fc.record({
    elderly: fc.boolean(),
    seriousIllness: fc.boolean(),
    pendingReliefApplication: fc.boolean(),
  }),
});

const publicSafetyArb: fc.Arbitrary<PublicSafetyDetermination> = fc.record({
  posesThreat: fc.boolean(),
  extensiveness: weightArb,
  seriousness: weightArb,
  recency: weightArb,
  mitigating: fc.record({
    personalAndFamilyCircumstances: fc.boolean(),
    healthAndMedicalFactors: fc.boolean(),
    communityTies: fc.boolean(),
    evidenceOfRehabilitation: fc.boolean(),
    potentialReliefFromRemoval: fc.boolean(),
  }),
  rationale: rationaleArb,
});

const nationalSecurityArb: fc.Arbitrary<NationalSecurityDetermination> = fc.record({
  necessary: fc.boolean(),
  rationale: rationaleArb,
});

const totalityArb: fc.Arbitrary<TotalityDetermination> = fc.record({
  aggravating: fc.record({
    gravityOfOffenseAndSentence: fc.boolean(),
    harmCaused: fc.boolean(),
    sophistication: fc.boolean(),
    firearmOrDangerousWeapon: fc.boolean(),
    seriousPriorRecord: fc.boolean(),
  }),
  mitigating: fc.record({
    advancedOrTenderAge: fc.boolean(),
    lengthyPresence: fc.boolean(),
    mentalConditionOrCareNeeds: fc.boolean(),
    victimOrWitness: fc.boolean(),
    impactOnFamily: fc.boolean(),
    eligibleForRelief: fc.boolean(),
    militaryOrPublicService: fc.boolean(),
    timeSinceOffenseAndRehabilitation: fc.boolean(),
    convictionVacatedOrExpunged: fc.boolean(),
  }),
  posesThreatToPublicSafety: fc.boolean(),
  rationale: rationaleArb,
});

/** Each form absent (key missing), null, or present. */
const determinationsArb: fc.Arbitrary<Determinations> = fc.record(
  {
    publicSafety: fc.option(publicSafetyArb, { nil: null }),
    nationalSecurity: fc.option(nationalSecurityArb, { nil: null }),
    totality: fc.option(totalityArb, { nil: null }),
  },
  { requiredKeys: [] },
);

const inputArb: fc.Arbitrary<EvaluationInput> = fc.record({
  facts: factsArb,
  determinations: determinationsArb,
  asOf: dateArb,
});

const versionArb = fc.constantFrom(...POLICY_VERSIONS);
const dhsVersionArb = fc.constantFrom(...POLICY_VERSIONS.filter((v) => v.code.startsWith('DHS-')));

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('policy engine: properties', () => {
  test('the arbitraries reach every version', () => {
    expect(POLICY_VERSIONS.map((v) => v.code).sort()).toEqual([
      'DHS-2021-01-20',
      'DHS-2021-09-30',
      'ICE-2021-02-18',
    ]);
  });

  test('(a) deterministic: evaluating twice gives deep-equal outcomes', () => {
    fc.assert(
      fc.property(versionArb, inputArb, (version, input) => {
        const copy = structuredClone(input);
        const first = evaluate(version, input);
        const second = evaluate(version, copy);
        expect(second).toEqual(first);
        // Evaluating does not change its input either.
        expect(input).toEqual(copy);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('(b) never throws on well-typed input, under any version, and reads every fact it needs', () => {
    fc.assert(
      fc.property(versionArb, inputArb, (version, input) => {
        const out = evaluate(version, input);
        expect(out.reasons).toHaveLength(version.criteria.length);
        for (const r of out.reasons) {
          // The engine turns a throwing criterion into "not met"; on well-typed input none may throw.
          expect(r.detail).not.toBe('the facts needed could not be read');
          expect(typeof r.detail).toBe('string');
        }
        expect(typeof out.summary).toBe('string');
        expect(out.summary.length).toBeGreaterThan(0);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('(c) under ICE-2021-02-18, requiresPreapproval is exactly "no category matched"', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const out = evaluate(ICE_2021_02_18, input);
        expect(out.requiresPreapproval).toBe(out.categories.length === 0);
        expect(out.presumedPriority).toBe(out.categories.length > 0);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('(d) primaryCategory is the first category (OTHER if none), categories in the fixed order', () => {
    fc.assert(
      fc.property(versionArb, inputArb, (version, input) => {
        const out = evaluate(version, input);
        expect(out.primaryCategory).toBe(out.categories[0] ?? PriorityCategory.OTHER);
        const positions = out.categories.map((c) => ORDER.indexOf(c));
        expect(positions.every((p) => p >= 0)).toBe(true);
        for (let i = 1; i < positions.length; i++) {
          expect(positions[i]).toBeGreaterThan(positions[i - 1]);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('(e) under the DHS versions requiresPreapproval is always false', () => {
    fc.assert(
      fc.property(dhsVersionArb, inputArb, (version, input) => {
        const out = evaluate(version, input);
        expect(out.requiresPreapproval).toBe(false);
        if (version.code === 'DHS-2021-09-30') expect(out.presumedPriority).toBe(false);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('(f) every reason code starts with the version code', () => {
    fc.assert(
      fc.property(versionArb, inputArb, (version, input) => {
        const out = evaluate(version, input);
        expect(out.policyVersion).toBe(version.code);
        expect(out.asOf).toBe(input.asOf);
        for (const r of out.reasons) expect(r.code.startsWith(`${version.code}/`)).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
