/**
 * ICE Policy 11090.1, Interim Guidance: Civil Immigration Enforcement and Removal Priorities
 * (18 February 2021). Three presumed-priority categories; any other enforcement action needs the
 * approval of the Field Office Director or Special Agent in Charge beforehand (or, in exigent
 * circumstances, promptly afterwards).
 */
import {
  bsEntryOnOrAfterCutoff,
  bsPresence,
  nsNecessity,
  nsTerrorismOrEspionage,
  psAggravatedFelony,
  psGangConviction,
  psGangParticipation,
  psThreat,
} from './criteria';
import { PolicyVersionDefinition, PriorityCategory } from './types';

const CODE = 'ICE-2021-02-18';
const SOURCE = 'ICE Policy 11090.1 (18 February 2021)';

export const ICE_2021_02_18: PolicyVersionDefinition = {
  code: CODE,
  title: 'Interim Guidance: Civil Immigration Enforcement and Removal Priorities',
  source: SOURCE,
  defaultEffectiveFrom: '2021-02-18',
  defaultEffectiveTo: '2021-11-28',
  presumptions: true,
  requiresPreapproval: true,
  vulnerableRemovalNeedsApproval: true,
  determinationForms: ['publicSafety', 'nationalSecurity'],
  categoryForms: { [PriorityCategory.PUBLIC_SAFETY]: 'publicSafety' },
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
    bsEntryOnOrAfterCutoff(CODE, `${SOURCE}: border security`),
    bsPresence(CODE, `${SOURCE}: border security`),
    psThreat(CODE, `${SOURCE}: public safety`),
    psAggravatedFelony(CODE, `${SOURCE}: public safety`),
    psGangConviction(CODE, `${SOURCE}: public safety`),
    psGangParticipation(CODE, `${SOURCE}: public safety`),
  ],
  categoryRules: [
    {
      category: PriorityCategory.NATIONAL_SECURITY,
      description: 'Either national-security criterion.',
      matches: (met) => met(`${CODE}/NS-TERRORISM-ESPIONAGE`) || met(`${CODE}/NS-NECESSITY`),
    },
    {
      category: PriorityCategory.BORDER_SECURITY,
      description: 'Either border-security criterion.',
      matches: (met) => met(`${CODE}/BS-ENTRY`) || met(`${CODE}/BS-PRESENCE`),
    },
    {
      category: PriorityCategory.PUBLIC_SAFETY,
      description:
        'The threat determination, and at least one of: an aggravated felony conviction, a gang-element conviction, gang or TCO participation at 16 or older.',
      matches: (met) =>
        met(`${CODE}/PS-THREAT`) &&
        (met(`${CODE}/PS-AGG-FELONY`) ||
          met(`${CODE}/PS-GANG-CONVICTION`) ||
          met(`${CODE}/PS-GANG-PARTICIPATION`)),
    },
  ],
};
