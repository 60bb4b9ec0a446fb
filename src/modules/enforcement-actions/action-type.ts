import { registerEnumType } from 'type-graphql';

/** DOMAIN.md "Enforcement actions". */
export enum ActionType {
  ARREST = 'ARREST',
  DETAINER_ISSUED = 'DETAINER_ISSUED',
  CUSTODY_UNDER_DETAINER = 'CUSTODY_UNDER_DETAINER',
  NOTICE_TO_APPEAR = 'NOTICE_TO_APPEAR',
  DETENTION = 'DETENTION',
  RELEASE_ON_CONDITIONS = 'RELEASE_ON_CONDITIONS',
  REMOVAL = 'REMOVAL',
}

/** What an action rests on; derived by the server from the record, never asserted by a client. */
export enum EnforcementBasis {
  /** The case's current assessment makes it a presumed priority under the version in force. */
  PRESUMED_PRIORITY = 'PRESUMED_PRIORITY',
  /** An approved, unexpired request for this case and action type. */
  PREAPPROVED = 'PREAPPROVED',
  /** Taken under exigent circumstances; a post-action request ratifies it or not. */
  EXIGENT = 'EXIGENT',
  /** Under a version with no pre-approval requirement: the assessment itself (its category, or OTHER). */
  ASSESSED = 'ASSESSED',
}

registerEnumType(ActionType, {
  name: 'ActionType',
  description: 'Kinds of enforcement action.',
  valuesConfig: {
    ARREST: { description: 'An arrest.' },
    DETAINER_ISSUED: { description: 'A detainer issued to a prison or jail.' },
    CUSTODY_UNDER_DETAINER: { description: 'Custody taken under a detainer.' },
    NOTICE_TO_APPEAR: { description: 'A notice to appear issued, served, filed or cancelled.' },
    DETENTION: { description: 'Detention.' },
    RELEASE_ON_CONDITIONS: { description: 'Release on conditions.' },
    REMOVAL: { description: 'Execution of a removal order.' },
  },
});

registerEnumType(EnforcementBasis, {
  name: 'EnforcementBasis',
  description:
    'What an enforcement action rests on, derived by the server; a client never asserts it.',
  valuesConfig: {
    PRESUMED_PRIORITY: {
      description:
        "The case's current assessment, made under the version in force on the action's date, makes it a presumed priority (category: its primary category).",
    },
    PREAPPROVED: {
      description:
        'An approved request for this case and action type, unexpired when the action occurred (category OTHER).',
    },
    EXIGENT: {
      description:
        'Taken under exigent circumstances without approval; a post-action request ratifies it or not (category OTHER).',
    },
    ASSESSED: {
      description:
        "Under a version without pre-approval (DHS-2021-01-20, DHS-2021-09-30): the case's assessment under that version, its category or OTHER.",
    },
  },
});
