/**
 * DHS Guidelines for the Enforcement of Civil Immigration Law (30 September 2021, effective
 * 29 November 2021). No presumptions and no pre-approval: the officer weighs the totality of the
 * circumstances; the record keeps the aggravating and mitigating factors.
 */
import { met, notMet, nsNecessity, nsTerrorismOrEspionage, longDate } from './criteria';
import { PolicyVersionDefinition, PriorityCategory } from './types';

const CODE = 'DHS-2021-09-30';
const SOURCE = 'DHS Guidelines for the Enforcement of Civil Immigration Law (30 September 2021)';

const AGGRAVATING = {
  gravityOfOffenseAndSentence: 'the gravity of the offense and the sentence imposed',
  harmCaused: 'the harm caused',
  sophistication: 'sophistication of the criminal conduct',
  firearmOrDangerousWeapon: 'use or threatened use of a firearm or dangerous weapon',
  seriousPriorRecord: 'a serious prior criminal record',
};
const MITIGATING = {
  advancedOrTenderAge: 'advanced or tender age',
  lengthyPresence: 'lengthy presence in the United States',
  mentalConditionOrCareNeeds: 'a mental condition or care needs',
  victimOrWitness: 'status as a victim or witness',
  impactOnFamily: 'impact of removal on family',
  eligibleForRelief: 'eligibility for relief from removal',
  militaryOrPublicService: 'military or other public service',
  timeSinceOffenseAndRehabilitation: 'time since the offense and evidence of rehabilitation',
  convictionVacatedOrExpunged: 'a conviction vacated or expunged',
};

const present = (flags: Record<string, boolean>, labels: Record<string, string>) =>
  Object.entries(flags)
    .filter(([, v]) => v)
    .map(([k]) => labels[k] ?? k);

export const DHS_2021_09_30: PolicyVersionDefinition = {
  code: CODE,
  title: 'Guidelines for the Enforcement of Civil Immigration Law',
  source: SOURCE,
  defaultEffectiveFrom: '2021-11-29',
  defaultEffectiveTo: null,
  presumptions: false,
  requiresPreapproval: false,
  vulnerableRemovalNeedsApproval: false,
  determinationForms: ['totality', 'nationalSecurity'],
  categoryForms: { [PriorityCategory.PUBLIC_SAFETY]: 'totality' },
  parameters: {
    borderCutoff: '2020-11-01',
    gangParticipationMinAge: 16,
    custodyReleaseFrom: null,
    minRationaleLength: 40,
    minJustificationLength: 80,
    exigentDeadlineHours: 24,
    approvalValidityDays: 30,
    weeklyReportDueHours: 12,
  },
  criteria: [
    nsTerrorismOrEspionage(CODE, `${SOURCE}: national security`),
    nsNecessity(CODE, `${SOURCE}: national security`),
    {
      code: `${CODE}/BS-BORDER-ENTRY`,
      category: PriorityCategory.BORDER_SECURITY,
      description:
        'Apprehended at the border or a port of entry while attempting to unlawfully enter the United States.',
      source: `${SOURCE}: border security`,
      check: ({ facts }) => {
        const b = facts.borderApprehension;
        if (!b) return notMet('no apprehension at the border or a port of entry is recorded');
        return met(
          `apprehended ${b.location ? `at ${b.location}` : 'at the border or a port of entry'} on ${b.date} while attempting unlawful entry`,
        );
      },
    },
    {
      code: `${CODE}/BS-INTERIOR-ENTRY-AFTER-CUTOFF`,
      category: PriorityCategory.BORDER_SECURITY,
      description:
        'Apprehended in the United States after unlawfully entering after 1 November 2020 (first physical presence after that date).',
      source: `${SOURCE}: border security`,
      check: ({ facts }, params) => {
        if (facts.firstPresentOn === null)
          return notMet('the date of first physical presence in the United States is unknown');
        return facts.firstPresentOn > params.borderCutoff
          ? met(
              `entered the United States on ${facts.firstPresentOn}, after ${longDate(params.borderCutoff)}`,
            )
          : notMet(
              `present in the United States since ${facts.firstPresentOn}, not after ${longDate(params.borderCutoff)}`,
            );
      },
    },
    {
      code: `${CODE}/PS-TOTALITY`,
      category: PriorityCategory.PUBLIC_SAFETY,
      description:
        "The officer's assessment of the totality of the facts and circumstances that the person poses a current threat to public safety, with the aggravating and mitigating factors weighed and a written rationale.",
      source: `${SOURCE}: public safety`,
      check: ({ determinations }, params) => {
        const d = determinations.totality;
        if (!d) return notMet('no totality-of-circumstances determination made');
        if (d.rationale.trim().length < params.minRationaleLength) {
          return notMet(
            `the totality determination's rationale is shorter than ${params.minRationaleLength} characters`,
          );
        }
        const agg = present(d.aggravating, AGGRAVATING);
        const mit = present(d.mitigating, MITIGATING);
        const weighed = `aggravating: ${agg.length ? agg.join(', ') : 'none'}; mitigating: ${mit.length ? mit.join(', ') : 'none'}`;
        return d.posesThreatToPublicSafety
          ? met(
              `on the totality of the circumstances the officer determined the person poses a current threat to public safety (${weighed})`,
            )
          : notMet(
              `on the totality of the circumstances the officer determined the person does not pose a current threat to public safety (${weighed})`,
            );
      },
    },
  ],
  categoryRules: [
    {
      category: PriorityCategory.NATIONAL_SECURITY,
      description: 'Either national-security criterion.',
      matches: (m) => m(`${CODE}/NS-TERRORISM-ESPIONAGE`) || m(`${CODE}/NS-NECESSITY`),
    },
    {
      category: PriorityCategory.BORDER_SECURITY,
      description: 'Either border-security criterion.',
      matches: (m) => m(`${CODE}/BS-BORDER-ENTRY`) || m(`${CODE}/BS-INTERIOR-ENTRY-AFTER-CUTOFF`),
    },
    {
      category: PriorityCategory.PUBLIC_SAFETY,
      description: 'The totality-of-circumstances determination of a current threat.',
      matches: (m) => m(`${CODE}/PS-TOTALITY`),
    },
  ],
};
