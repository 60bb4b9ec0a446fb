/**
 * The policy engine alone, as a table: one line per scenario (version, date, facts,
 * determinations → categories in order, requires pre-approval, and where it matters presumed
 * priority and the status of named criteria). Every expectation is derived from DOMAIN.md
 * ("Assessment (the policy engine)") and issue 3, not from the engine's output.
 */
import { DHS_2021_01_20 } from '../../src/modules/assessments/policy/dhs-2021-01-20';
import { DHS_2021_09_30 } from '../../src/modules/assessments/policy/dhs-2021-09-30';
import {
  POLICY_VERSIONS,
  ScheduleEntry,
  evaluate,
  policyVersion,
  scheduleProblem,
  versionInForce,
} from '../../src/modules/assessments/policy/engine';
import { ICE_2021_02_18 } from '../../src/modules/assessments/policy/ice-2021-02-18';
import {
  ConvictionFacts,
  CriterionStatus,
  Determinations,
  PolicyFacts,
  PolicyOutcome,
  PriorityCategory,
  Weight,
} from '../../src/modules/assessments/policy/types';
import { nextDay } from '../../src/common/calendar';

// ---------------------------------------------------------------------------------------------
// Builders: short enough that a scenario fits on one line.
// ---------------------------------------------------------------------------------------------

const ICE = 'ICE-2021-02-18';
const J20 = 'DHS-2021-01-20';
const S30 = 'DHS-2021-09-30';
const NS = PriorityCategory.NATIONAL_SECURITY;
const BS = PriorityCategory.BORDER_SECURITY;
const PS = PriorityCategory.PUBLIC_SAFETY;

/** The default schedule: each version's own defaultEffectiveFrom / defaultEffectiveTo. */
const DEFAULT_SCHEDULE: ScheduleEntry[] = POLICY_VERSIONS.map((v) => ({
  code: v.code,
  effectiveFrom: v.defaultEffectiveFrom,
  effectiveTo: v.defaultEffectiveTo,
}));

/** The rationale minimum is a version parameter; the table assumes the versions agree on it. */
const MIN = ICE_2021_02_18.parameters.minRationaleLength;
const LONG_RATIONALE =
  'Three armed robberies in the last two years, the latest in 2020; no mitigating factor outweighs them.';
const MIN_RATIONALE = 'R'.repeat(MIN);
const SHORT_RATIONALE = 'R'.repeat(MIN - 1);
const BLANK_RATIONALE = ' '.repeat(MIN + 10);

function conviction(
  c: Partial<ConvictionFacts> & { id: string; offense: string },
): ConvictionFacts {
  return {
    jurisdiction: 'Texas, Harris County',
    convictedOn: '2019-06-14',
    aggravatedFelony: false,
    aggravatedFelonySubparagraph: null,
    gangParticipationElement: false,
    vacated: false,
    ...c,
  };
}
/** An aggravated felony conviction that stands. */
const AF = conviction({
  id: 'c-af',
  offense: 'Robbery',
  aggravatedFelony: true,
  aggravatedFelonySubparagraph: 'G',
});
/** An aggravated felony conviction that was vacated. */
const AFV = conviction({
  id: 'c-afv',
  offense: 'Burglary',
  aggravatedFelony: true,
  aggravatedFelonySubparagraph: 'G',
  vacated: true,
});
/** A conviction with a gang-participation element (18 U.S.C. 521(a)). */
const GC = conviction({ id: 'c-gc', offense: 'Gang assault', gangParticipationElement: true });
/** A conviction that is neither. */
const PLAIN = conviction({ id: 'c-plain', offense: 'Petty theft' });

type Gang = NonNullable<PolicyFacts['gangParticipation']>;
function gang(
  age: number,
  o: { intentional?: boolean; furthering?: boolean; tco?: boolean } = {},
): Gang {
  return {
    organization: o.tco ? null : 'MS-13',
    kind: o.tco ? 'TRANSNATIONAL_CRIMINAL_ORGANIZATION' : 'CRIMINAL_STREET_GANG',
    intentional: o.intentional ?? true,
    furtheredIllegalActivity: o.furthering ?? true,
    ageAtParticipation: age,
  };
}

interface FactOptions {
  terror?: boolean;
  /** Date of apprehension at the border or a port of entry while attempting unlawful entry. */
  border?: string;
  /** Where; null: not recorded. */
  at?: string | null;
  /** First physical presence; null or absent: unknown. */
  present?: string | null;
  released?: string | null;
  gang?: Gang;
  conv?: ConvictionFacts[];
  vulnerable?: boolean;
}
function f(o: FactOptions = {}): PolicyFacts {
  return {
    terrorismOrEspionage: o.terror ?? false,
    borderApprehension: o.border
      ? { date: o.border, location: o.at === undefined ? 'El Paso port of entry' : o.at }
      : null,
    firstPresentOn: o.present ?? null,
    lastReleasedFromCustodyOn: o.released ?? null,
    gangParticipation: o.gang ?? null,
    convictions: o.conv ?? [],
    vulnerability: {
      elderly: !!o.vulnerable,
      seriousIllness: !!o.vulnerable,
      pendingReliefApplication: !!o.vulnerable,
    },
  };
}

/**
 * A determination: true / false is the officer's conclusion with a full rationale; 'min' is "yes"
 * with a rationale of exactly the minimum length, 'short' one character less, 'blank' only spaces;
 * null is an explicit null, an absent key is no determination.
 */
type D = boolean | 'min' | 'short' | 'blank' | null;
const rationaleOf = (v: D) =>
  v === 'min'
    ? MIN_RATIONALE
    : v === 'short'
      ? SHORT_RATIONALE
      : v === 'blank'
        ? BLANK_RATIONALE
        : LONG_RATIONALE;
const yes = (v: D) => v !== false;

function d(o: { ps?: D; ns?: D; tot?: D } = {}): Determinations {
  const out: Determinations = {};
  if (o.ps !== undefined) {
    out.publicSafety =
      o.ps === null
        ? null
        : {
            posesThreat: yes(o.ps),
            extensiveness: Weight.HIGH,
            seriousness: Weight.HIGH,
            recency: Weight.MODERATE,
            mitigating: {
              personalAndFamilyCircumstances: true,
              healthAndMedicalFactors: false,
              communityTies: false,
              evidenceOfRehabilitation: false,
              potentialReliefFromRemoval: false,
            },
            rationale: rationaleOf(o.ps),
          };
  }
  if (o.ns !== undefined) {
    out.nationalSecurity =
      o.ns === null ? null : { necessary: yes(o.ns), rationale: rationaleOf(o.ns) };
  }
  if (o.tot !== undefined) {
    out.totality =
      o.tot === null
        ? null
        : {
            aggravating: {
              gravityOfOffenseAndSentence: true,
              harmCaused: true,
              sophistication: false,
              firearmOrDangerousWeapon: true,
              seriousPriorRecord: false,
            },
            mitigating: {
              advancedOrTenderAge: false,
              lengthyPresence: false,
              mentalConditionOrCareNeeds: false,
              victimOrWitness: false,
              impactOnFamily: true,
              eligibleForRelief: false,
              militaryOrPublicService: false,
              timeSinceOffenseAndRehabilitation: false,
              convictionVacatedOrExpunged: false,
            },
            posesThreatToPublicSafety: yes(o.tot),
            rationale: rationaleOf(o.tot),
          };
  }
  return out;
}

interface ReasonExpectation {
  status: CriterionStatus;
  /** A fragment the detail sentence must contain. */
  detail?: string;
}
const met = (detail?: string): ReasonExpectation => ({ status: CriterionStatus.MET, detail });
const notMet = (detail?: string): ReasonExpectation => ({
  status: CriterionStatus.NOT_MET,
  detail,
});

interface Row {
  label: string;
  code: string;
  asOf: string;
  facts: PolicyFacts;
  dets: Determinations;
  categories: PriorityCategory[];
  preapproval: boolean;
  reasons: Record<string, ReasonExpectation>;
  /** Undefined: derived from DOMAIN.md per version (see expectedPresumed). */
  presumed?: boolean;
}
function row(
  label: string,
  code: string,
  asOf: string,
  facts: PolicyFacts,
  dets: Determinations,
  categories: PriorityCategory[],
  preapproval: boolean,
  reasons: Record<string, ReasonExpectation> = {},
  presumed?: boolean,
): Row {
  return { label, code, asOf, facts, dets, categories, preapproval, reasons, presumed };
}

/**
 * DOMAIN.md: under ICE-2021-02-18 a case is a presumed priority exactly when a category matched;
 * DHS-2021-09-30 has no presumptions. DOMAIN.md does not say it for DHS-2021-01-20: not asserted
 * there unless a row states it.
 */
function expectedPresumed(r: Row): boolean | undefined {
  if (r.presumed !== undefined) return r.presumed;
  if (r.code === ICE) return r.categories.length > 0;
  if (r.code === S30) return false;
  return undefined;
}

// Dates inside each version's default span.
const I = '2021-03-01'; // ICE-2021-02-18
const J = '2021-02-01'; // DHS-2021-01-20
const S = '2022-01-10'; // DHS-2021-09-30

// ---------------------------------------------------------------------------------------------
// The table.
// ---------------------------------------------------------------------------------------------

// prettier-ignore
const ROWS: Row[] = [
  // ICE-2021-02-18: nothing at all
  row('no facts, no determinations: NOT_PRESUMED',                   ICE, I, f(), d(), [], true, {}, false),
  row('vulnerability flags alone do not make a priority',            ICE, I, f({ vulnerable: true }), d(), [], true),
  row('explicit null determinations: not met, never an error',       ICE, I, f({ conv: [AF] }), d({ ps: null, ns: null, tot: null }), [], true),
  // ICE: national security
  row('NS: terrorism or espionage recorded',                         ICE, I, f({ terror: true }), d(), [NS], false, { 'ICE-2021-02-18/NS-TERRORISM-ESPIONAGE': met() }, true),
  row('NS: no terrorism recorded',                                   ICE, I, f(), d(), [], true, { 'ICE-2021-02-18/NS-TERRORISM-ESPIONAGE': notMet() }),
  row('NS: necessity determination, yes',                            ICE, I, f(), d({ ns: true }), [NS], false, { 'ICE-2021-02-18/NS-NECESSITY': met() }),
  row('NS: necessity determination, no',                             ICE, I, f(), d({ ns: false }), [], true, { 'ICE-2021-02-18/NS-NECESSITY': notMet() }),
  row('NS: necessity rationale one short of the minimum',            ICE, I, f(), d({ ns: 'short' }), [], true, { 'ICE-2021-02-18/NS-NECESSITY': notMet(String(MIN)) }),
  row('NS: necessity rationale exactly the minimum',                 ICE, I, f(), d({ ns: 'min' }), [NS], false),
  row('NS: necessity rationale only blanks',                         ICE, I, f(), d({ ns: 'blank' }), [], true),
  row('NS: no necessity determination made',                         ICE, I, f(), d({ ps: true }), [], true, { 'ICE-2021-02-18/NS-NECESSITY': notMet('determination') }),
  row('NS: terrorism and necessity both',                            ICE, I, f({ terror: true }), d({ ns: true }), [NS], false),
  // ICE: border security, entry prong
  row('BS: border apprehension 2020-10-31 (day before)',             ICE, I, f({ border: '2020-10-31' }), d(), [], true, { 'ICE-2021-02-18/BS-ENTRY': notMet('2020-10-31') }),
  row('BS: border apprehension 2020-11-01 (the day)',                ICE, I, f({ border: '2020-11-01' }), d(), [BS], false, { 'ICE-2021-02-18/BS-ENTRY': met('2020-11-01') }),
  row('BS: border apprehension 2020-11-02',                          ICE, I, f({ border: '2020-11-02' }), d(), [BS], false),
  row('BS: border apprehension 2021-01-15',                          ICE, I, f({ border: '2021-01-15' }), d(), [BS], false),
  row('BS: border apprehension 2019-06-01',                          ICE, I, f({ border: '2019-06-01' }), d(), [], true),
  row('BS: border apprehension, location not recorded',              ICE, I, f({ border: '2020-12-05', at: null }), d(), [BS], false),
  row('BS: no border apprehension recorded',                         ICE, I, f(), d(), [], true, { 'ICE-2021-02-18/BS-ENTRY': notMet() }),
  // ICE: border security, presence prong
  row('BS: first present 2020-10-31',                                ICE, I, f({ present: '2020-10-31' }), d(), [], true, { 'ICE-2021-02-18/BS-PRESENCE': notMet('2020-10-31') }),
  row('BS: first present 2020-11-01',                                ICE, I, f({ present: '2020-11-01' }), d(), [BS], false, { 'ICE-2021-02-18/BS-PRESENCE': met('2020-11-01') }),
  row('BS: first present 2021-01-05',                                ICE, I, f({ present: '2021-01-05' }), d(), [BS], false),
  row('BS: first present 2015-01-01',                                ICE, I, f({ present: '2015-01-01' }), d(), [], true),
  row('BS: first presence unknown',                                  ICE, I, f({ present: null }), d(), [], true, { 'ICE-2021-02-18/BS-PRESENCE': notMet('unknown') }),
  row('BS: border before cut-off, presence unknown',                 ICE, I, f({ border: '2020-10-31', present: null }), d(), [], true),
  row('BS: border before cut-off, present before cut-off',           ICE, I, f({ border: '2020-10-31', present: '2020-10-31' }), d(), [], true),
  row('BS: both prongs met',                                         ICE, I, f({ border: '2020-11-01', present: '2020-11-01' }), d(), [BS], false),
  // ICE: public safety, aggravated felony
  row('PS: aggravated felony + threat',                              ICE, I, f({ conv: [AF] }), d({ ps: true }), [PS], false, { 'ICE-2021-02-18/PS-AGG-FELONY': met('Robbery'), 'ICE-2021-02-18/PS-THREAT': met() }),
  row('PS: aggravated felony, officer finds no threat',              ICE, I, f({ conv: [AF] }), d({ ps: false }), [], true, { 'ICE-2021-02-18/PS-THREAT': notMet() }),
  row('PS: aggravated felony, no threat determination',              ICE, I, f({ conv: [AF] }), d(), [], true, { 'ICE-2021-02-18/PS-AGG-FELONY': met(), 'ICE-2021-02-18/PS-THREAT': notMet('determination') }),
  row('PS: aggravated felony, threat rationale one short',           ICE, I, f({ conv: [AF] }), d({ ps: 'short' }), [], true, { 'ICE-2021-02-18/PS-THREAT': notMet(String(MIN)) }),
  row('PS: aggravated felony, threat rationale exactly minimum',     ICE, I, f({ conv: [AF] }), d({ ps: 'min' }), [PS], false),
  row('PS: aggravated felony, threat rationale only blanks',         ICE, I, f({ conv: [AF] }), d({ ps: 'blank' }), [], true),
  row('PS: vacated aggravated felony alone + threat',                ICE, I, f({ conv: [AFV] }), d({ ps: true }), [], true, { 'ICE-2021-02-18/PS-AGG-FELONY': notMet('vacated') }),
  row('PS: vacated and standing aggravated felony + threat',         ICE, I, f({ conv: [AFV, AF] }), d({ ps: true }), [PS], false, { 'ICE-2021-02-18/PS-AGG-FELONY': met('Robbery') }),
  row('PS: threat but no conviction or gang',                        ICE, I, f(), d({ ps: true }), [], true, { 'ICE-2021-02-18/PS-THREAT': met(), 'ICE-2021-02-18/PS-AGG-FELONY': notMet() }),
  row('PS: threat, only an ordinary conviction',                     ICE, I, f({ conv: [PLAIN] }), d({ ps: true }), [], true),
  row('PS: no custody-release condition under ICE (released 2019)',  ICE, I, f({ conv: [AF], released: '2019-01-01' }), d({ ps: true }), [PS], false),
  row('PS: totality form is not read by ICE',                        ICE, I, f({ conv: [AF] }), d({ tot: true }), [], true),
  // ICE: public safety, gang-element conviction
  row('PS: gang-element conviction, no threat determination',        ICE, I, f({ conv: [GC] }), d(), [], true, { 'ICE-2021-02-18/PS-GANG-CONVICTION': met('Gang assault'), 'ICE-2021-02-18/PS-THREAT': notMet() }),
  row('PS: gang-element conviction + threat',                        ICE, I, f({ conv: [GC] }), d({ ps: true }), [PS], false, { 'ICE-2021-02-18/PS-GANG-CONVICTION': met() }),
  row('PS: gang-element conviction, posesThreat false',              ICE, I, f({ conv: [GC] }), d({ ps: false }), [], true),
  row('PS: gang-element conviction, threat rationale one short',     ICE, I, f({ conv: [GC] }), d({ ps: 'short' }), [], true),
  row('PS: no gang-element conviction',                              ICE, I, f({ conv: [AF] }), d({ ps: true }), [PS], false, { 'ICE-2021-02-18/PS-GANG-CONVICTION': notMet() }),
  // ICE: public safety, gang or TCO participation
  row('PS: gang participation at 16 + threat',                       ICE, I, f({ gang: gang(16) }), d({ ps: true }), [PS], false, { 'ICE-2021-02-18/PS-GANG-PARTICIPATION': met('16') }),
  row('PS: gang participation at 15 + threat',                       ICE, I, f({ gang: gang(15) }), d({ ps: true }), [], true, { 'ICE-2021-02-18/PS-GANG-PARTICIPATION': notMet('15') }),
  row('PS: gang participation at 17 + threat',                       ICE, I, f({ gang: gang(17) }), d({ ps: true }), [PS], false),
  row('PS: gang participation at 16, not intentional',               ICE, I, f({ gang: gang(16, { intentional: false }) }), d({ ps: true }), [], true, { 'ICE-2021-02-18/PS-GANG-PARTICIPATION': notMet('intentional') }),
  row('PS: gang participation at 16, not furthering illegal activity', ICE, I, f({ gang: gang(16, { furthering: false }) }), d({ ps: true }), [], true, { 'ICE-2021-02-18/PS-GANG-PARTICIPATION': notMet() }),
  row('PS: TCO participation at 30 + threat',                        ICE, I, f({ gang: gang(30, { tco: true }) }), d({ ps: true }), [PS], false),
  row('PS: gang participation at 16, no threat determination',       ICE, I, f({ gang: gang(16) }), d(), [], true),
  row('PS: gang participation at 16, posesThreat false',             ICE, I, f({ gang: gang(16) }), d({ ps: false }), [], true),
  row('PS: no gang participation recorded',                          ICE, I, f(), d({ ps: true }), [], true, { 'ICE-2021-02-18/PS-GANG-PARTICIPATION': notMet() }),
  row('PS: all three PS prongs + threat',                            ICE, I, f({ conv: [AF, GC], gang: gang(19) }), d({ ps: true }), [PS], false),
  // ICE: several categories (primary = first of NS, BS, PS)
  row('NS + BS',                                                     ICE, I, f({ terror: true, border: '2020-11-01' }), d(), [NS, BS], false),
  row('NS + PS',                                                     ICE, I, f({ terror: true, conv: [AF] }), d({ ps: true }), [NS, PS], false),
  row('BS + PS',                                                     ICE, I, f({ present: '2020-12-01', conv: [GC] }), d({ ps: true }), [BS, PS], false),
  row('NS + BS + PS',                                                ICE, I, f({ terror: true, border: '2021-01-02', conv: [AF] }), d({ ps: true }), [NS, BS, PS], false),
  row('NS (necessity) + BS (presence) + PS (gang)',                  ICE, I, f({ present: '2020-11-01', gang: gang(16) }), d({ ps: true, ns: true }), [NS, BS, PS], false),
  row('BS fails on the day before, PS alone is primary',             ICE, I, f({ border: '2020-10-31', conv: [AF] }), d({ ps: true }), [PS], false),
  row('NS with a border apprehension before the cut-off',            ICE, I, f({ terror: true, border: '2020-10-31' }), d(), [NS], false),
  row('BS with gang participation at 15',                            ICE, I, f({ present: '2020-11-01', gang: gang(15) }), d({ ps: true }), [BS], false),
  row('vulnerable border case stays a presumed priority',            ICE, I, f({ border: '2020-11-03', vulnerable: true }), d(), [BS], false),
  // ICE: first and last day of its default span
  row('ICE first day 2021-02-18: nothing → pre-approval',            ICE, '2021-02-18', f(), d(), [], true),
  row('ICE first day 2021-02-18: gang conviction + threat',          ICE, '2021-02-18', f({ conv: [GC] }), d({ ps: true }), [PS], false),
  row('ICE last day 2021-11-28: nothing → pre-approval',             ICE, '2021-11-28', f(), d(), [], true),
  row('ICE last day 2021-11-28: border 2020-11-01',                  ICE, '2021-11-28', f({ border: '2020-11-01' }), d(), [BS], false),

  // DHS-2021-01-20: same NS and BS prongs; PS = release on/after 2021-01-20 + standing agg felony + threat
  row('DHS-01-20: nothing, no pre-approval machinery',               J20, J, f(), d(), [], false),
  row('DHS-01-20: NS terrorism',                                     J20, J, f({ terror: true }), d(), [NS], false),
  row('DHS-01-20: NS necessity yes',                                 J20, J, f(), d({ ns: true }), [NS], false),
  row('DHS-01-20: NS necessity no',                                  J20, J, f(), d({ ns: false }), [], false),
  row('DHS-01-20: NS necessity rationale one short',                 J20, J, f(), d({ ns: 'short' }), [], false),
  row('DHS-01-20: border 2020-10-31',                                J20, J, f({ border: '2020-10-31' }), d(), [], false),
  row('DHS-01-20: border 2020-11-01',                                J20, J, f({ border: '2020-11-01' }), d(), [BS], false, { 'DHS-2021-01-20/BS-ENTRY': met() }),
  row('DHS-01-20: first present 2020-10-31',                         J20, J, f({ present: '2020-10-31' }), d(), [], false),
  row('DHS-01-20: first present 2020-11-01',                         J20, J, f({ present: '2020-11-01' }), d(), [BS], false, { 'DHS-2021-01-20/BS-PRESENCE': met() }),
  row('DHS-01-20: first presence unknown',                           J20, J, f({ present: null }), d(), [], false, { 'DHS-2021-01-20/BS-PRESENCE': notMet('unknown') }),
  row('DHS-01-20: released 2021-01-20 + agg felony + threat',        J20, J, f({ released: '2021-01-20', conv: [AF] }), d({ ps: true }), [PS], false, { 'DHS-2021-01-20/PS-CUSTODY-RELEASE': met('2021-01-20') }),
  row('DHS-01-20: released 2021-01-25 + agg felony + threat',        J20, J, f({ released: '2021-01-25', conv: [AF] }), d({ ps: true }), [PS], false),
  row('DHS-01-20: released 2021-01-19 + agg felony + threat',        J20, J, f({ released: '2021-01-19', conv: [AF] }), d({ ps: true }), [], false, { 'DHS-2021-01-20/PS-CUSTODY-RELEASE': notMet('2021-01-19') }),
  row('DHS-01-20: no release recorded + agg felony + threat',        J20, J, f({ released: null, conv: [AF] }), d({ ps: true }), [], false, { 'DHS-2021-01-20/PS-CUSTODY-RELEASE': notMet() }),
  row('DHS-01-20: released 2021-01-25 + vacated agg felony + threat', J20, J, f({ released: '2021-01-25', conv: [AFV] }), d({ ps: true }), [], false, { 'DHS-2021-01-20/PS-AGG-FELONY': notMet('vacated') }),
  row('DHS-01-20: released + agg felony, no threat determination',   J20, J, f({ released: '2021-01-25', conv: [AF] }), d(), [], false, { 'DHS-2021-01-20/PS-THREAT': notMet() }),
  row('DHS-01-20: released + agg felony, posesThreat false',         J20, J, f({ released: '2021-01-25', conv: [AF] }), d({ ps: false }), [], false),
  row('DHS-01-20: released + agg felony, threat rationale one short', J20, J, f({ released: '2021-01-25', conv: [AF] }), d({ ps: 'short' }), [], false),
  row('DHS-01-20: released + gang-element conviction + threat',      J20, J, f({ released: '2021-01-25', conv: [GC] }), d({ ps: true }), [], false),
  row('DHS-01-20: released + gang participation at 20 + threat',     J20, J, f({ released: '2021-01-25', gang: gang(20) }), d({ ps: true }), [], false),
  row('DHS-01-20: released + threat, no conviction',                 J20, J, f({ released: '2021-01-25' }), d({ ps: true }), [], false, { 'DHS-2021-01-20/PS-AGG-FELONY': notMet() }),
  row('DHS-01-20: NS + BS + PS',                                     J20, J, f({ terror: true, border: '2020-11-01', released: '2021-01-20', conv: [AF] }), d({ ps: true }), [NS, BS, PS], false),
  row('DHS-01-20: BS + PS',                                          J20, J, f({ present: '2020-12-01', released: '2021-02-01', conv: [AF] }), d({ ps: true }), [BS, PS], false),
  row('DHS-01-20 first day 2021-01-20: border 2020-11-01',           J20, '2021-01-20', f({ border: '2020-11-01' }), d(), [BS], false),
  row('DHS-01-20 last day 2021-02-17: gang conviction + threat',     J20, '2021-02-17', f({ conv: [GC] }), d({ ps: true }), [], false),
  row('DHS-01-20 last day 2021-02-17: nothing',                      J20, '2021-02-17', f(), d(), [], false),

  // DHS-2021-09-30: no presumptions, no pre-approval; BS any-date border or entry after 2020-11-01; PS by totality only
  row('DHS-09-30 first day 2021-11-29: nothing',                     S30, '2021-11-29', f(), d(), [], false, {}, false),
  row('DHS-09-30: nothing',                                          S30, S, f(), d(), [], false),
  row('DHS-09-30: NS terrorism, not presumed',                       S30, S, f({ terror: true }), d(), [NS], false, {}, false),
  row('DHS-09-30: NS necessity yes',                                 S30, S, f(), d({ ns: true }), [NS], false),
  row('DHS-09-30: NS necessity no',                                  S30, S, f(), d({ ns: false }), [], false),
  row('DHS-09-30: border 2020-10-31 (any date)',                     S30, S, f({ border: '2020-10-31' }), d(), [BS], false, { 'DHS-2021-09-30/BS-BORDER-ENTRY': met('2020-10-31') }, false),
  row('DHS-09-30: border 2015-03-03 (any date)',                     S30, S, f({ border: '2015-03-03' }), d(), [BS], false),
  row('DHS-09-30: border 2020-11-01',                                S30, S, f({ border: '2020-11-01' }), d(), [BS], false),
  row('DHS-09-30: no border apprehension',                           S30, S, f(), d(), [], false, { 'DHS-2021-09-30/BS-BORDER-ENTRY': notMet() }),
  row('DHS-09-30: first present 2020-10-31',                         S30, S, f({ present: '2020-10-31' }), d(), [], false),
  row('DHS-09-30: first present 2020-11-01 (not after)',             S30, S, f({ present: '2020-11-01' }), d(), [], false, { 'DHS-2021-09-30/BS-INTERIOR-ENTRY-AFTER-CUTOFF': notMet('2020-11-01') }),
  row('DHS-09-30: first present 2020-11-02 (after)',                 S30, S, f({ present: '2020-11-02' }), d(), [BS], false, { 'DHS-2021-09-30/BS-INTERIOR-ENTRY-AFTER-CUTOFF': met('2020-11-02') }),
  row('DHS-09-30: first presence unknown',                           S30, S, f({ present: null }), d(), [], false, { 'DHS-2021-09-30/BS-INTERIOR-ENTRY-AFTER-CUTOFF': notMet('unknown') }),
  row('DHS-09-30: totality, poses a threat',                         S30, S, f(), d({ tot: true }), [PS], false, { 'DHS-2021-09-30/PS-TOTALITY': met() }, false),
  row('DHS-09-30: totality, no threat',                              S30, S, f({ conv: [AF] }), d({ tot: false }), [], false, { 'DHS-2021-09-30/PS-TOTALITY': notMet() }),
  row('DHS-09-30: totality rationale one short',                     S30, S, f(), d({ tot: 'short' }), [], false),
  row('DHS-09-30: totality rationale exactly minimum',               S30, S, f(), d({ tot: 'min' }), [PS], false),
  row('DHS-09-30: no totality determination',                        S30, S, f({ conv: [AF] }), d(), [], false, { 'DHS-2021-09-30/PS-TOTALITY': notMet('determination') }),
  row('DHS-09-30: ICE-form threat + agg felony does not count',      S30, S, f({ conv: [AF] }), d({ ps: true }), [], false),
  row('DHS-09-30: ICE-form threat + gang conviction + gang at 20',   S30, S, f({ conv: [GC], gang: gang(20) }), d({ ps: true }), [], false),
  row('DHS-09-30: totality with a vacated conviction only',          S30, S, f({ conv: [AFV] }), d({ tot: true }), [PS], false),
  row('DHS-09-30: NS + BS + PS',                                     S30, S, f({ terror: true, border: '2019-01-01' }), d({ tot: true }), [NS, BS, PS], false, {}, false),
  row('DHS-09-30: BS (interior) + PS',                               S30, S, f({ present: '2021-03-01' }), d({ tot: true }), [BS, PS], false),
  row('DHS-09-30 on 2030-01-01: totality',                           S30, '2030-01-01', f(), d({ tot: true }), [PS], false),
];

function run(r: Row): PolicyOutcome {
  const version = policyVersion(r.code);
  if (!version) throw new Error(`no version ${r.code}`);
  return evaluate(version, { facts: r.facts, determinations: r.dets, asOf: r.asOf });
}

describe('policy engine: scenario table', () => {
  test('the table has at least 90 scenarios and every version agrees on the rationale minimum', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(90);
    for (const v of POLICY_VERSIONS) expect(v.parameters.minRationaleLength).toBe(MIN);
  });

  test.each(ROWS)('$code on $asOf: $label', (r) => {
    // The row's date falls in its version's default span: the table never contradicts the schedule.
    expect(versionInForce(DEFAULT_SCHEDULE, r.asOf)?.code).toBe(r.code);
    const out = run(r);
    expect(out.policyVersion).toBe(r.code);
    expect(out.asOf).toBe(r.asOf);
    expect(out.categories).toEqual(r.categories);
    expect(out.primaryCategory).toBe(r.categories[0] ?? PriorityCategory.OTHER);
    expect(out.requiresPreapproval).toBe(r.preapproval);
    const presumed = expectedPresumed(r);
    if (presumed !== undefined) expect(out.presumedPriority).toBe(presumed);
    for (const [code, want] of Object.entries(r.reasons)) {
      const got = out.reasons.find((x) => x.code === code);
      expect({ code, status: got?.status }).toEqual({ code, status: want.status });
      if (want.detail !== undefined) expect(got?.detail).toContain(want.detail);
    }
    for (const reason of out.reasons) {
      expect(reason.code.startsWith(`${r.code}/`)).toBe(true);
      expect(reason.detail.length).toBeGreaterThan(0);
    }
  });

  test('across the table, every criterion of every version is both met and not met', () => {
    const seen = new Map<string, Set<CriterionStatus>>();
    for (const r of ROWS) {
      for (const reason of run(r).reasons) {
        const set = seen.get(reason.code) ?? new Set<CriterionStatus>();
        set.add(reason.status);
        seen.set(reason.code, set);
      }
    }
    const missing: string[] = [];
    for (const v of POLICY_VERSIONS) {
      for (const c of v.criteria) {
        const s = seen.get(c.code);
        if (!s?.has(CriterionStatus.MET)) missing.push(`${c.code} never MET`);
        if (!s?.has(CriterionStatus.NOT_MET)) missing.push(`${c.code} never NOT_MET`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('policy engine: summaries', () => {
  test('a border case reads as one plain-English sentence naming the facts and the criterion', () => {
    const out = evaluate(ICE_2021_02_18, {
      facts: f({ border: '2020-11-03', at: 'Laredo port of entry' }),
      determinations: d(),
      asOf: '2021-03-01',
    });
    expect(out.summary.startsWith('Presumed border security priority')).toBe(true);
    for (const fragment of [
      'Laredo port of entry',
      '2020-11-03',
      'unlawful entry',
      '1 November 2020',
      'ICE-2021-02-18/BS-ENTRY',
    ]) {
      expect(out.summary).toContain(fragment);
    }
  });

  test('a NOT_PRESUMED case under ICE-2021-02-18 says pre-approval is needed', () => {
    const out = evaluate(ICE_2021_02_18, { facts: f(), determinations: d(), asOf: '2021-03-01' });
    expect(out.categories).toEqual([]);
    expect(out.summary).toMatch(/pre-?approval/i);
  });

  test('several categories: the summary names every matched criterion, primary first', () => {
    const out = evaluate(ICE_2021_02_18, {
      facts: f({ terror: true, border: '2020-11-01', conv: [AF] }),
      determinations: d({ ps: true }),
      asOf: '2021-03-01',
    });
    expect(out.summary).toMatch(/^Presumed national security priority/);
    for (const code of ['NS-TERRORISM-ESPIONAGE', 'BS-ENTRY', 'PS-THREAT', 'PS-AGG-FELONY']) {
      expect(out.summary).toContain(`ICE-2021-02-18/${code}`);
    }
  });

  test('DHS-2021-09-30 never calls a case presumed, and asks no pre-approval', () => {
    const matched = evaluate(DHS_2021_09_30, {
      facts: f(),
      determinations: d({ tot: true }),
      asOf: '2022-01-10',
    });
    expect(matched.summary).not.toMatch(/\bpresumed\b/i);
    expect(matched.summary).toContain('DHS-2021-09-30/PS-TOTALITY');
    const unmatched = evaluate(DHS_2021_09_30, {
      facts: f(),
      determinations: d(),
      asOf: '2022-01-10',
    });
    expect(unmatched.summary).not.toMatch(/\bpresumed\b/i);
    expect(unmatched.summary).not.toMatch(/needs a supervisor/i);
  });

  test('DHS-2021-01-20 with nothing matched does not ask for pre-approval', () => {
    const out = evaluate(DHS_2021_01_20, { facts: f(), determinations: d(), asOf: '2021-02-01' });
    expect(out.summary).not.toMatch(/needs a supervisor/i);
  });
});

describe('policy engine: schedule', () => {
  test('the default schedule is the real dates', () => {
    expect(DEFAULT_SCHEDULE).toEqual([
      { code: J20, effectiveFrom: '2021-01-20', effectiveTo: '2021-02-17' },
      { code: ICE, effectiveFrom: '2021-02-18', effectiveTo: '2021-11-28' },
      { code: S30, effectiveFrom: '2021-11-29', effectiveTo: null },
    ]);
  });

  test.each([
    ['2021-01-19', undefined],
    ['2020-06-01', undefined],
    ['2021-01-20', J20],
    ['2021-02-17', J20],
    ['2021-02-18', ICE],
    ['2021-06-30', ICE],
    ['2021-11-28', ICE],
    ['2021-11-29', S30],
    ['2030-01-01', S30],
  ])('versionInForce(default, %s) is %s', (date, code) => {
    expect(versionInForce(DEFAULT_SCHEDULE, date)?.code).toBe(code);
  });

  test('scheduleProblem accepts the default schedule, in any order', () => {
    expect(scheduleProblem(DEFAULT_SCHEDULE)).toBeNull();
    expect(scheduleProblem([...DEFAULT_SCHEDULE].reverse())).toBeNull();
    expect(scheduleProblem([DEFAULT_SCHEDULE[2]])).toBeNull();
  });

  const [j20, ice, s30] = DEFAULT_SCHEDULE;
  test.each<[string, ScheduleEntry[], RegExp]>([
    ['overlap by one day', [j20, { ...ice, effectiveFrom: '2021-02-17' }, s30], /overlap/i],
    [
      'overlap: an open-ended version before another',
      [{ ...j20, effectiveTo: null }, ice, s30],
      /overlap/i,
    ],
    ['overlap: same start', [j20, ice, { ...s30, effectiveFrom: '2021-02-18' }], /overlap/i],
    ['gap of one day', [j20, { ...ice, effectiveFrom: '2021-02-19' }, s30], /gap/i],
    ['gap before the last version', [j20, { ...ice, effectiveTo: '2021-11-27' }, s30], /gap/i],
    ['end before start', [j20, { ...ice, effectiveTo: '2021-02-10' }], /before/i],
  ])('scheduleProblem detects %s', (_label, schedule, problem) => {
    const found = scheduleProblem(schedule);
    expect(found).not.toBeNull();
    expect(found).toMatch(problem);
  });

  test.each([
    ['2021-01-31', '2021-02-01'],
    ['2021-04-30', '2021-05-01'],
    ['2020-12-31', '2021-01-01'],
    ['2020-02-28', '2020-02-29'],
    ['2020-02-29', '2020-03-01'],
    ['2021-02-28', '2021-03-01'],
    ['2000-02-28', '2000-02-29'],
    ['2100-02-28', '2100-03-01'],
    ['2021-02-17', '2021-02-18'],
    ['2021-11-28', '2021-11-29'],
  ])('nextDay(%s) is %s', (date, next) => {
    expect(nextDay(date)).toBe(next);
  });
});
