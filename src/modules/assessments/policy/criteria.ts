/**
 * Criterion builders shared by the versions that use the same rule. Each returns a criterion
 * object under the version's own code prefix, so a recorded reason always names its version.
 */
import {
  Criterion,
  CriterionOutcome,
  CriterionStatus,
  EvaluationInput,
  PolicyParameters,
  PriorityCategory,
} from './types';

const met = (detail: string): CriterionOutcome => ({ status: CriterionStatus.MET, detail });
const notMet = (detail: string): CriterionOutcome => ({ status: CriterionStatus.NOT_MET, detail });

/** '2020-11-01' → '1 November 2020'. */
export function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const month = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ][m - 1];
  return `${d} ${month} ${y}`;
}

function rationaleShort(rationale: string, params: PolicyParameters): boolean {
  return rationale.trim().length < params.minRationaleLength;
}

export function nsTerrorismOrEspionage(version: string, source: string): Criterion {
  return {
    code: `${version}/NS-TERRORISM-ESPIONAGE`,
    category: PriorityCategory.NATIONAL_SECURITY,
    description:
      'Engaged in or suspected of terrorism or espionage, or terrorism-related or espionage-related activities.',
    source,
    check: ({ facts }) =>
      facts.terrorismOrEspionage
        ? met(
            'recorded as engaged in or suspected of terrorism or espionage, or related activities',
          )
        : notMet('no terrorism or espionage, or related activity, is recorded'),
  };
}

export function nsNecessity(version: string, source: string): Criterion {
  return {
    code: `${version}/NS-NECESSITY`,
    category: PriorityCategory.NATIONAL_SECURITY,
    description:
      "Apprehension is otherwise necessary to protect national security, on an officer's written determination.",
    source,
    check: ({ determinations }, params) => {
      const d = determinations.nationalSecurity;
      if (!d) return notMet('no national-security necessity determination made');
      if (rationaleShort(d.rationale, params)) {
        return notMet(
          `the national-security determination's rationale is shorter than ${params.minRationaleLength} characters`,
        );
      }
      return d.necessary
        ? met(
            'the officer determined in writing that apprehension is necessary to protect national security',
          )
        : notMet(
            'the officer determined that apprehension is not necessary to protect national security',
          );
    },
  };
}

/** Apprehended at the border or a port of entry while attempting unlawful entry on or after the cut-off. */
export function bsEntryOnOrAfterCutoff(version: string, source: string): Criterion {
  return {
    code: `${version}/BS-ENTRY`,
    category: PriorityCategory.BORDER_SECURITY,
    description:
      'Apprehended at the border or a port of entry while attempting to unlawfully enter the United States on or after 1 November 2020.',
    source,
    check: ({ facts }, params) => {
      const b = facts.borderApprehension;
      if (!b) return notMet('no apprehension at the border or a port of entry is recorded');
      const where = b.location ? `at ${b.location}` : 'at the border or a port of entry';
      return b.date >= params.borderCutoff
        ? met(
            `apprehended ${where} on ${b.date} while attempting unlawful entry, on or after ${longDate(params.borderCutoff)}`,
          )
        : notMet(`apprehended ${where} on ${b.date}, before ${longDate(params.borderCutoff)}`);
    },
  };
}

/** Not physically present in the United States before the cut-off. Unknown presence does not satisfy it. */
export function bsPresence(version: string, source: string): Criterion {
  return {
    code: `${version}/BS-PRESENCE`,
    category: PriorityCategory.BORDER_SECURITY,
    description: 'Not physically present in the United States before 1 November 2020.',
    source,
    check: ({ facts }, params) => {
      if (facts.firstPresentOn === null)
        return notMet('the date of first physical presence in the United States is unknown');
      return facts.firstPresentOn >= params.borderCutoff
        ? met(
            `first physically present in the United States on ${facts.firstPresentOn}, not before ${longDate(params.borderCutoff)}`,
          )
        : notMet(
            `physically present in the United States since ${facts.firstPresentOn}, before ${longDate(params.borderCutoff)}`,
          );
    },
  };
}

/** The officer's determination that the person currently poses a threat to public safety. */
export function psThreat(version: string, source: string): Criterion {
  return {
    code: `${version}/PS-THREAT`,
    category: PriorityCategory.PUBLIC_SAFETY,
    description:
      "The officer's determination that the person currently poses a threat to public safety, weighing the extensiveness, seriousness and recency of the criminal activity and mitigating factors, with a written rationale.",
    source,
    check: ({ determinations }, params) => {
      const d = determinations.publicSafety;
      if (!d) return notMet('no public-safety threat determination made');
      if (rationaleShort(d.rationale, params)) {
        return notMet(
          `the threat determination's rationale is shorter than ${params.minRationaleLength} characters`,
        );
      }
      const mitigating = Object.entries(d.mitigating)
        .filter(([, present]) => present)
        .map(([name]) => MITIGATING_LABELS[name as keyof typeof MITIGATING_LABELS]);
      const weighed = `extensiveness ${d.extensiveness.toLowerCase()}, seriousness ${d.seriousness.toLowerCase()}, recency ${d.recency.toLowerCase()}; mitigating factors: ${mitigating.length ? mitigating.join(', ') : 'none present'}`;
      return d.posesThreat
        ? met(
            `the officer determined the person currently poses a threat to public safety (${weighed})`,
          )
        : notMet(
            `the officer determined the person does not currently pose a threat to public safety (${weighed})`,
          );
    },
  };
}

const MITIGATING_LABELS = {
  personalAndFamilyCircumstances: 'personal and family circumstances',
  healthAndMedicalFactors: 'health and medical factors',
  communityTies: 'ties to the community',
  evidenceOfRehabilitation: 'evidence of rehabilitation',
  potentialReliefFromRemoval: 'potential relief from removal',
};

const describeConviction = (c: { offense: string; jurisdiction: string; convictedOn: string }) =>
  `${c.offense} (${c.jurisdiction}, ${c.convictedOn})`;

export function psAggravatedFelony(version: string, source: string): Criterion {
  return {
    code: `${version}/PS-AGG-FELONY`,
    category: PriorityCategory.PUBLIC_SAFETY,
    description:
      'Convicted of an aggravated felony as defined in INA 101(a)(43), the conviction not vacated.',
    source,
    check: ({ facts }) => {
      const standing = facts.convictions.filter((c) => c.aggravatedFelony && !c.vacated);
      if (standing.length) {
        return met(
          `convicted of an aggravated felony: ${standing
            .map(
              (c) =>
                `${describeConviction(c)}, INA 101(a)(43)(${c.aggravatedFelonySubparagraph ?? '?'})`,
            )
            .join('; ')}`,
        );
      }
      const vacated = facts.convictions.filter((c) => c.aggravatedFelony && c.vacated);
      return notMet(
        vacated.length
          ? `the only aggravated felony conviction was vacated: ${vacated.map(describeConviction).join('; ')}`
          : 'no aggravated felony conviction is recorded',
      );
    },
  };
}

export function psGangConviction(version: string, source: string): Criterion {
  return {
    code: `${version}/PS-GANG-CONVICTION`,
    category: PriorityCategory.PUBLIC_SAFETY,
    description:
      'Convicted of an offense for which an element was active participation in a criminal street gang (18 U.S.C. 521(a)), the conviction not vacated.',
    source,
    check: ({ facts }) => {
      const standing = facts.convictions.filter((c) => c.gangParticipationElement && !c.vacated);
      return standing.length
        ? met(
            `convicted of an offense with a gang-participation element: ${standing.map(describeConviction).join('; ')}`,
          )
        : notMet('no standing conviction with a gang-participation element is recorded');
    },
  };
}

export function psGangParticipation(version: string, source: string): Criterion {
  return {
    code: `${version}/PS-GANG-PARTICIPATION`,
    category: PriorityCategory.PUBLIC_SAFETY,
    description:
      'Not younger than 16 and intentionally participated in an organized criminal gang or transnational criminal organization to further its illegal activity.',
    source,
    check: ({ facts }, params) => {
      const g = facts.gangParticipation;
      if (!g)
        return notMet(
          'no participation in a criminal gang or transnational criminal organization is recorded',
        );
      const org =
        g.organization ??
        (g.kind === 'CRIMINAL_STREET_GANG'
          ? 'a criminal gang'
          : 'a transnational criminal organization');
      if (!g.intentional) return notMet(`participation in ${org} is not recorded as intentional`);
      if (!g.furtheredIllegalActivity)
        return notMet(`participation in ${org} is not recorded as furthering its illegal activity`);
      return g.ageAtParticipation >= params.gangParticipationMinAge
        ? met(
            `intentionally participated in ${org} to further its illegal activity at age ${g.ageAtParticipation}`,
          )
        : notMet(
            `participated in ${org} at age ${g.ageAtParticipation}, younger than ${params.gangParticipationMinAge}`,
          );
    },
  };
}

export type CriterionCheck = (input: EvaluationInput, params: PolicyParameters) => CriterionOutcome;
export { met, notMet };
