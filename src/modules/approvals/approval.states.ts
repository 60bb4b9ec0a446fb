/**
 * The approval-request lifecycle, declared as data. A transition outside this table is a
 * CONFLICT; the service performs each one as a compare-and-set on the `from` state. EXPIRED is not
 * stored: an APPROVED request reads as EXPIRED once its validity has ended.
 */
import { registerEnumType } from 'type-graphql';

export enum ApprovalStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  DENIED = 'DENIED',
  WITHDRAWN = 'WITHDRAWN',
  /** Computed: approved, but its validity has ended. Never stored. */
  EXPIRED = 'EXPIRED',
}

export enum ApprovalEvent {
  APPROVE = 'APPROVE',
  DENY = 'DENY',
  WITHDRAW = 'WITHDRAW',
}

/** Stored states only. */
export type StoredStatus = Exclude<ApprovalStatus, ApprovalStatus.EXPIRED>;

export const APPROVAL_TRANSITIONS: Readonly<
  Record<StoredStatus, Partial<Record<ApprovalEvent, StoredStatus>>>
> = {
  [ApprovalStatus.PENDING]: {
    [ApprovalEvent.APPROVE]: ApprovalStatus.APPROVED,
    [ApprovalEvent.DENY]: ApprovalStatus.DENIED,
    [ApprovalEvent.WITHDRAW]: ApprovalStatus.WITHDRAWN,
  },
  [ApprovalStatus.APPROVED]: {},
  [ApprovalStatus.DENIED]: {},
  [ApprovalStatus.WITHDRAWN]: {},
};

/** The state `event` leads to from `from`, or undefined when the table does not allow it. */
export function transition(from: StoredStatus, event: ApprovalEvent): StoredStatus | undefined {
  return APPROVAL_TRANSITIONS[from][event];
}

/** What a client sees: APPROVED past its validity reads EXPIRED. */
export function effectiveStatus(
  stored: StoredStatus,
  expiresAt: Date | null,
  now: Date,
): ApprovalStatus {
  if (
    stored === ApprovalStatus.APPROVED &&
    expiresAt !== null &&
    now.getTime() >= expiresAt.getTime()
  ) {
    return ApprovalStatus.EXPIRED;
  }
  return stored;
}

/**
 * Checked at startup: every target is a stored state, and every stored state is reachable from
 * PENDING (so the table has no dead entries).
 */
export function validateTransitionTable(): void {
  const states = Object.keys(APPROVAL_TRANSITIONS) as StoredStatus[];
  for (const from of states) {
    for (const to of Object.values(APPROVAL_TRANSITIONS[from])) {
      if (!states.includes(to))
        throw new Error(`approval transition ${from} → ${to}: unknown state`);
    }
  }
  // Walk the table from PENDING: a state only targeted from unreachable states is unreachable too.
  const reachable = new Set<StoredStatus>([ApprovalStatus.PENDING]);
  const queue: StoredStatus[] = [ApprovalStatus.PENDING];
  for (let from = queue.shift(); from !== undefined; from = queue.shift()) {
    for (const to of Object.values(APPROVAL_TRANSITIONS[from])) {
      if (!reachable.has(to)) {
        reachable.add(to);
        queue.push(to);
      }
    }
  }
  for (const s of states)
    if (!reachable.has(s)) throw new Error(`approval state ${s} is unreachable`);
}

/** What a supervisor may decide (a subset of the events). */
export enum ApprovalDecision {
  APPROVE = 'APPROVE',
  DENY = 'DENY',
}

export enum ApprovalKind {
  /** Asked before acting on a case outside the presumed priorities. */
  PRE_ACTION = 'PRE_ACTION',
  /** Ratification of an action taken under exigent circumstances. */
  POST_ACTION = 'POST_ACTION',
  /** Removal of a person flagged vulnerable: needs approval with a compelling reason, even for a presumed priority. */
  VULNERABLE_REMOVAL = 'VULNERABLE_REMOVAL',
}

registerEnumType(ApprovalStatus, {
  name: 'ApprovalStatus',
  description:
    'Where a request stands: PENDING, then exactly one of APPROVED, DENIED or WITHDRAWN, for good.',
  valuesConfig: {
    PENDING: {
      description: 'Awaiting a decision (a post-action request may still await its justification).',
    },
    APPROVED: {
      description:
        'Approved by a supervisor; a pre-action or removal approval covers actions until `expiresAt`.',
    },
    DENIED: { description: 'Denied by a supervisor, with a reason.' },
    WITHDRAWN: { description: 'Withdrawn by the requester before a decision.' },
    EXPIRED: {
      description:
        'Approved, but its validity (`approvalValidityDays`) has ended: it covers no new action. Computed, never set.',
    },
  },
});
registerEnumType(ApprovalDecision, {
  name: 'ApprovalDecision',
  description: 'A supervisor’s decision.',
  valuesConfig: {
    APPROVE: {
      description:
        'Approve: a pre-action or removal request then covers the action for `approvalValidityDays`; a post-action request ratifies the exigent action.',
    },
    DENY: {
      description:
        'Deny: no action may rest on it; a post-action request leaves the exigent action not ratified.',
    },
  },
});
registerEnumType(ApprovalKind, {
  name: 'ApprovalKind',
  description: 'What a request asks for.',
  valuesConfig: {
    PRE_ACTION: {
      description:
        'Before acting on a case outside the presumed priorities, under a version that requires pre-approval.',
    },
    POST_ACTION: {
      description:
        'Ratification of an action taken under exigent circumstances; opened by the server when the action is recorded, its justification due within `exigentDeadlineHours`.',
    },
    VULNERABLE_REMOVAL: {
      description:
        'Removal of a person flagged vulnerable: needs approval with a compelling reason, even for a presumed priority (ICE-2021-02-18).',
    },
  },
});
