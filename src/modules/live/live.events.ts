/**
 * What happened to an approval request, as the live subscriptions tell it. Events travel between
 * service processes as small JSON notifications (`LIVE_CHANNEL`): the kind and ids only, never a
 * name, a justification or any other content; each process reads the request itself before it
 * delivers one.
 */
import { registerEnumType } from 'type-graphql';

export enum LiveEventKind {
  REQUESTED = 'REQUESTED',
  WITHDRAWN = 'WITHDRAWN',
  DECIDED = 'DECIDED',
  JUSTIFICATION_SUBMITTED = 'JUSTIFICATION_SUBMITTED',
  JUSTIFICATION_DUE_SOON = 'JUSTIFICATION_DUE_SOON',
  JUSTIFICATION_OVERDUE = 'JUSTIFICATION_OVERDUE',
  ESCALATED = 'ESCALATED',
}

registerEnumType(LiveEventKind, {
  name: 'LiveEventKind',
  description: 'What happened to an approval request.',
  valuesConfig: {
    REQUESTED: {
      description:
        'A request was made: a pre-approval request, or the post-action request of an exigent action.',
    },
    WITHDRAWN: { description: 'The requester withdrew a pending request.' },
    DECIDED: { description: 'A supervisor approved or denied (ratified or not) the request.' },
    JUSTIFICATION_SUBMITTED: {
      description: 'The post-action justification of an exigent action was submitted.',
    },
    JUSTIFICATION_DUE_SOON: {
      description:
        'The post-action justification is due soon (JUSTIFICATION_REMINDER_HOURS before its deadline) and not yet submitted.',
    },
    JUSTIFICATION_OVERDUE: {
      description: 'The post-action justification deadline passed without a justification.',
    },
    ESCALATED: {
      description:
        'A pre-approval request stayed pending longer than APPROVAL_ESCALATION_HOURS: it is escalated to the office’s supervisors and to headquarters (both on approvalQueueChanged).',
    },
  },
});

/** The PostgreSQL notification channel (per database) that carries events between processes. */
export const LIVE_CHANNEL = 'ep_live';

/** One event on the wire. */
export type LiveEvent =
  | {
      kind: LiveEventKind;
      requestId: string;
      officeId: string;
      /** When it happened, by the service's clock (ISO 8601). */
      at: string;
    }
  | {
      /** Internal: the user's subscriptions end at once, in every process. */
      kind: 'USER_DEACTIVATED';
      userId: string;
      at: string;
    };

const KINDS = new Set<string>([...Object.values(LiveEventKind), 'USER_DEACTIVATED']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A notification's payload as an event, or null for anything malformed (never trusted blindly). */
export function parseLiveEvent(payload: string | undefined): LiveEvent | null {
  if (!payload) return null;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const { kind, at } = raw;
  if (typeof kind !== 'string' || !KINDS.has(kind) || typeof at !== 'string') return null;
  if (kind === 'USER_DEACTIVATED')
    return typeof raw.userId === 'string' && UUID.test(raw.userId)
      ? { kind, userId: raw.userId, at }
      : null;
  const { requestId, officeId } = raw;
  if (typeof requestId !== 'string' || !UUID.test(requestId)) return null;
  if (typeof officeId !== 'string' || !UUID.test(officeId)) return null;
  return { kind: kind as LiveEventKind, requestId, officeId, at };
}
