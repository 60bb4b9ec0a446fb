/**
 * The vocabulary of the policy engine. Everything here is plain data: no database, no clock.
 */

export enum PriorityCategory {
  NATIONAL_SECURITY = 'NATIONAL_SECURITY',
  BORDER_SECURITY = 'BORDER_SECURITY',
  PUBLIC_SAFETY = 'PUBLIC_SAFETY',
  /** Outside every priority category. */
  OTHER = 'OTHER',
}

export enum CriterionStatus {
  MET = 'MET',
  NOT_MET = 'NOT_MET',
  /** The criterion does not bear on this case (e.g. a determination form another version uses). */
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

export enum Weight {
  LOW = 'LOW',
  MODERATE = 'MODERATE',
  HIGH = 'HIGH',
}

export interface ConvictionFacts {
  id: string;
  offense: string;
  jurisdiction: string;
  convictedOn: string;
  aggravatedFelony: boolean;
  aggravatedFelonySubparagraph: string | null;
  gangParticipationElement: boolean;
  vacated: boolean;
}

/** The facts of a case the rules read: a snapshot, stored with each assessment. No subject identity. */
export interface PolicyFacts {
  terrorismOrEspionage: boolean;
  borderApprehension: { date: string; location: string | null } | null;
  /** Null: unknown. Unknown never satisfies a criterion that needs the date. */
  firstPresentOn: string | null;
  lastReleasedFromCustodyOn: string | null;
  gangParticipation: {
    organization: string | null;
    kind: 'CRIMINAL_STREET_GANG' | 'TRANSNATIONAL_CRIMINAL_ORGANIZATION';
    intentional: boolean;
    furtheredIllegalActivity: boolean;
    ageAtParticipation: number;
  } | null;
  convictions: ConvictionFacts[];
  vulnerability: { elderly: boolean; seriousIllness: boolean; pendingReliefApplication: boolean };
}

/** ICE-2021-02-18 and DHS-2021-01-20: the officer's public-safety threat determination. */
export interface PublicSafetyDetermination {
  posesThreat: boolean;
  extensiveness: Weight;
  seriousness: Weight;
  recency: Weight;
  mitigating: {
    personalAndFamilyCircumstances: boolean;
    healthAndMedicalFactors: boolean;
    communityTies: boolean;
    evidenceOfRehabilitation: boolean;
    potentialReliefFromRemoval: boolean;
  };
  rationale: string;
}

export interface NationalSecurityDetermination {
  necessary: boolean;
  rationale: string;
}

/** DHS-2021-09-30: the totality of the circumstances. */
export interface TotalityDetermination {
  aggravating: {
    gravityOfOffenseAndSentence: boolean;
    harmCaused: boolean;
    sophistication: boolean;
    firearmOrDangerousWeapon: boolean;
    seriousPriorRecord: boolean;
  };
  mitigating: {
    advancedOrTenderAge: boolean;
    lengthyPresence: boolean;
    mentalConditionOrCareNeeds: boolean;
    victimOrWitness: boolean;
    impactOnFamily: boolean;
    eligibleForRelief: boolean;
    militaryOrPublicService: boolean;
    timeSinceOffenseAndRehabilitation: boolean;
    convictionVacatedOrExpunged: boolean;
  };
  posesThreatToPublicSafety: boolean;
  rationale: string;
}

export interface Determinations {
  publicSafety?: PublicSafetyDetermination | null;
  nationalSecurity?: NationalSecurityDetermination | null;
  totality?: TotalityDetermination | null;
}

export interface PolicyParameters {
  /** Border security cut-off, a fixed calendar date. */
  borderCutoff: string;
  /** Minimum age at gang participation (ICE-2021-02-18). */
  gangParticipationMinAge: number;
  /** DHS-2021-01-20: release from custody on or after this date. */
  custodyReleaseFrom: string | null;
  /** Minimum length of a written rationale in a determination. */
  minRationaleLength: number;
  /** Minimum length of a pre-approval justification. */
  minJustificationLength: number;
  /** Hours after an exigent action within which the post-action request is due. */
  exigentDeadlineHours: number;
  /** Days an approval stays valid. */
  approvalValidityDays: number;
  /** Hours after the week ends (Monday 00:00 local) that the weekly report is due. */
  weeklyReportDueHours: number;
}

export interface EvaluationInput {
  facts: PolicyFacts;
  determinations: Determinations;
  /** The assessment date (the office's calendar date). */
  asOf: string;
}

export interface CriterionOutcome {
  status: CriterionStatus;
  /** One sentence naming the facts it used. */
  detail: string;
}

export interface Criterion {
  /** Stable, e.g. 'ICE-2021-02-18/PS-AGG-FELONY'. */
  code: string;
  category: Exclude<PriorityCategory, PriorityCategory.OTHER>;
  description: string;
  /** Where the rule comes from. */
  source: string;
  check(input: EvaluationInput, params: PolicyParameters): CriterionOutcome;
}

export interface CriterionResult extends CriterionOutcome {
  code: string;
  category: PriorityCategory;
  description: string;
}

export interface CategoryRule {
  category: Exclude<PriorityCategory, PriorityCategory.OTHER>;
  /** How the criteria combine, in words. */
  description: string;
  matches(met: (code: string) => boolean): boolean;
}

export type DeterminationForm = 'publicSafety' | 'nationalSecurity' | 'totality';

/** How messages name each determination form. */
export const DETERMINATION_FORM_LABEL: Record<DeterminationForm, string> = {
  publicSafety: 'a public-safety threat determination',
  nationalSecurity: 'a national-security determination',
  totality: 'a totality-of-circumstances determination',
};

export interface PolicyVersionDefinition {
  code: string;
  title: string;
  source: string;
  /** The dates it was issued to take effect; the database holds the schedule in force. */
  defaultEffectiveFrom: string;
  defaultEffectiveTo: string | null;
  /** Whether matched categories are presumed priorities (no pre-approval needed). */
  presumptions: boolean;
  /** Whether actions outside the presumptions need supervisor pre-approval. */
  requiresPreapproval: boolean;
  /** Whether removing a person flagged vulnerable needs a supervisor's approval, even for a presumed priority. */
  vulnerableRemovalNeedsApproval: boolean;
  /** Which determination forms this version reads. */
  determinationForms: DeterminationForm[];
  /** The form a category needs before anyone may assert it under this version (its criteria read it). */
  categoryForms: Partial<Record<PriorityCategory, DeterminationForm>>;
  parameters: PolicyParameters;
  criteria: Criterion[];
  /** In DOMAIN.md's order: the first that matches is the primary category. */
  categoryRules: CategoryRule[];
}

export interface PolicyOutcome {
  policyVersion: string;
  asOf: string;
  categories: PriorityCategory[];
  primaryCategory: PriorityCategory;
  presumedPriority: boolean;
  requiresPreapproval: boolean;
  reasons: CriterionResult[];
  summary: string;
}
