/**
 * Who sees which event: the subscriptions' filters, on the same rules as the queries (a request is
 * read within the caller's office, headquarters any; the queue is its office's supervisors', and
 * headquarters hears every office's escalations).
 */
import type { Caller } from '../../auth/caller';
import { readScope, supervises } from '../../auth/permissions';
import { Role } from '../../auth/role';
import type { ApprovalRequestEntity } from '../approvals/approval.entity';
import { LiveEventKind } from './live.events';
import type { LiveFilter, RequestEvent } from './live.hub';

/** What changes an office's queue of requests awaiting a decision (or its urgency). */
const QUEUE_KINDS = new Set<string>([
  LiveEventKind.REQUESTED,
  LiveEventKind.WITHDRAWN,
  LiveEventKind.DECIDED,
  LiveEventKind.JUSTIFICATION_SUBMITTED,
  LiveEventKind.JUSTIFICATION_OVERDUE,
  LiveEventKind.ESCALATED,
]);

const DEADLINE_KINDS = new Set<string>([
  LiveEventKind.JUSTIFICATION_DUE_SOON,
  LiveEventKind.JUSTIFICATION_OVERDUE,
]);

const sameOffice = (caller: Caller, event: RequestEvent) =>
  caller.officeId !== null && event.officeId === caller.officeId;

/**
 * `approvalQueueChanged`: a supervisor hears every change to their office's queue; headquarters,
 * which owns no queue, hears only ESCALATED, of every office (a request left pending too long goes
 * up the chain of command). Anyone else hears nothing (the shield refuses them first).
 */
export function queueFilter(subscriber: Caller): LiveFilter {
  if (subscriber.role === Role.HEADQUARTERS)
    return {
      wants: (event) => event.kind === LiveEventKind.ESCALATED,
      accepts: (event, _request, caller) =>
        caller.role === Role.HEADQUARTERS && event.kind === LiveEventKind.ESCALATED,
    };
  return {
    wants: (event) => QUEUE_KINDS.has(event.kind) && sameOffice(subscriber, event),
    accepts: (_event, request, caller) => supervises(caller, request.officeId),
  };
}

/** `approvalRequestUpdated(id)`: everything that happens to one request the caller may read. */
export function requestFilter(id: string): LiveFilter {
  return {
    wants: (event) => event.requestId === id,
    accepts: (_event, request, caller) => {
      const office = readScope(caller);
      return office === undefined || office === request.officeId;
    },
  };
}

/**
 * `deadlineApproaching`: the acting officer hears that a post-action justification is due soon
 * and when it is overdue; the office's supervisors hear when it is overdue.
 */
export function deadlineFilter(subscriber: Caller): LiveFilter {
  return {
    wants: (event) => DEADLINE_KINDS.has(event.kind) && sameOffice(subscriber, event),
    accepts: (event, request: ApprovalRequestEntity, caller) => {
      if (caller.role === Role.HEADQUARTERS || caller.officeId !== request.officeId) return false;
      if (request.requestedById === caller.id) return true;
      return (
        event.kind === LiveEventKind.JUSTIFICATION_OVERDUE && supervises(caller, request.officeId)
      );
    },
  };
}
