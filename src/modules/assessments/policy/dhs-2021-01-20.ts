/**
 * DHS memorandum, Review of and Interim Revision to Civil Immigration Enforcement and Removal
 * Policies and Priorities (20 January 2021). The same national-security and border prongs as the
 * interim guidance; public safety only for people released from prison or jail on or after
 * 20 January 2021 after an aggravated felony conviction, determined to pose a threat. No
 * pre-approval machinery.
 */
import {
  bsEntryOnOrAfterCutoff,
  bsPresence,
  met,
  notMet,
  nsNecessity,
  nsTerrorismOrEspionage,
  psAggravatedFelony,
  psThreat,
  longDate,
} from './criteria';
import { PolicyVersionDefinition, PriorityCategory } from './types';

const CODE = 'DHS-2021-01-20';
const SOURCE = 'DHS memorandum of 20 January 2021';

export const DHS_2021_01_20: PolicyVersionDefinition = {
  code: CODE,
  title:
    'Review of and Interim Revision to Civil Immigration Enforcement and Removal Policies and Priorities',
  source: SOURCE,
  defaultEffectiveFrom: '2021-01-20',
  defaultEffectiveTo: '2021-02-17',
  presumptions: true,
  requiresPreapproval: false,
  vulnerableRemovalNeedsApproval: false,
  determinationForms: ['publicSafety', 'nationalSecurity'],
  categoryForms: { [PriorityCategory.PUBLIC_SAFETY]: 'publicSafety' },
  parameters: {
    borderCutoff: '2020-11-01',
    gangParticipationMinAge: 16,
    custodyReleaseFrom: '2021-01-20',
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
    {
      code: `${CODE}/PS-CUSTODY-RELEASE`,
      category: PriorityCategory.PUBLIC_SAFETY,
      description: 'Released from a prison or jail on or after 20 January 2021.',
      source: `${SOURCE}: public safety`,
      check: ({ facts }, params) => {
        const from = params.custodyReleaseFrom ?? '2021-01-20';
        const released = facts.lastReleasedFromCustodyOn;
        if (released === null) return notMet('no release from a prison or jail is recorded');
        return released >= from
          ? met(`released from a prison or jail on ${released}, on or after ${longDate(from)}`)
          : notMet(`last released from a prison or jail on ${released}, before ${longDate(from)}`);
      },
    },
    psAggravatedFelony(CODE, `${SOURCE}: public safety`),
    psThreat(CODE, `${SOURCE}: public safety`),
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
      matches: (m) => m(`${CODE}/BS-ENTRY`) || m(`${CODE}/BS-PRESENCE`),
    },
    {
      category: PriorityCategory.PUBLIC_SAFETY,
      description:
        'Released on or after 20 January 2021, an aggravated felony conviction, and the threat determination: all three.',
      matches: (m) =>
        m(`${CODE}/PS-CUSTODY-RELEASE`) && m(`${CODE}/PS-AGG-FELONY`) && m(`${CODE}/PS-THREAT`),
    },
  ],
};
