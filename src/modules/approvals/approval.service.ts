import { supervises } from '../../auth/permissions';
import { RequestContext, inTransaction } from '../../common/context';
import { findVisible } from '../../common/access';
import { badInput, conflict, forbidden } from '../../common/errors';
import { assessmentById, versionOn } from '../assessments/assessment.service';
import { writeAudit } from '../audit/audit.service';
import { CaseStatus } from '../cases/case.entity';
import { findVisibleCase } from '../cases/case.service';
import { officeById } from '../users/office.service';
import { ApprovalRequestEntity } from './approval.entity';
import type {
  DecideApprovalRequestInput,
  RequestApprovalInput,
  WithdrawApprovalRequestInput,
} from './approval.inputs';
import { approvalNeeded, checkJustification, versionOf, wroteAnyPart } from './approval.rules';
import {
  ApprovalEvent,
  ApprovalKind,
  ApprovalStatus,
  effectiveStatus,
  transition,
} from './approval.states';
import { localDate, weekStartOf } from '../../common/calendar';
import { LiveEventKind } from '../live/live.events';
import { publishLive } from '../live/live.publish';

/** The lifecycle of an approval request: asked for, decided or withdrawn (`approval.states.ts`). */

const DAY = 24 * 3600_000;

/** A request the caller may see (their office; headquarters any), or NOT_FOUND. */
export async function findVisibleRequest(
  ctx: RequestContext,
  id: string,
): Promise<ApprovalRequestEntity> {
  return findVisible(ctx, ApprovalRequestEntity, 'Approval request', id);
}

export async function requestApproval(
  ctx: RequestContext,
  input: RequestApprovalInput,
): Promise<ApprovalRequestEntity> {
  return inTransaction(ctx, async (tx) => {
    // The case row stays locked to commit: two concurrent requests for one case are serialized, so
    // the second sees the first's pending request below.
    const c = await findVisibleCase(tx, input.caseId, { lock: true });
    if (c.status !== CaseStatus.OPEN) throw conflict('The case is closed.');
    const office = await officeById(tx, c.officeId);
    const now = tx.clock.now();
    const version = await versionOn(tx, localDate(now, office.timeZone), 'input.caseId');

    const latest = c.latestAssessmentId ? await assessmentById(tx, c.latestAssessmentId) : null;
    const need = approvalNeeded({
      version,
      caseRow: c,
      type: input.actionType,
      assessment: latest,
    });
    if (need.kind === null) {
      // Where the version needs no pre-approval at all, that is the answer, presumed or not.
      throw badInput(
        'input.caseId',
        !version.requiresPreapproval || !latest
          ? `no pre-approval is needed under ${version.code}, the version in force`
          : `the case is a presumed ${latest.primaryCategory.toLowerCase().replace('_', ' ')} priority under ${version.code}: an enforcement action needs no approval`,
      );
    }
    const kind = need.kind;
    checkJustification(version, 'input.justification', input.justification);
    const repo = tx.manager.getRepository(ApprovalRequestEntity);
    const pending = await repo.exists({
      where: { caseId: c.id, actionType: input.actionType, kind, status: ApprovalStatus.PENDING },
    });
    if (pending) throw conflict(`A ${input.actionType} request for this case is already pending.`);
    const saved = await repo.save(
      repo.create({
        caseId: c.id,
        officeId: c.officeId,
        kind,
        actionType: input.actionType,
        status: ApprovalStatus.PENDING,
        justification: input.justification.trim(),
        policyVersionCode: version.code,
        requestedById: tx.user.id,
        requestedAt: now,
        requestedWeek: weekStartOf(now, office.timeZone),
      }),
    );
    await writeAudit(tx, {
      operation: 'requestApproval',
      recordType: 'ApprovalRequest',
      recordIds: [saved.id, c.id],
      officeIds: [c.officeId],
      change: {
        after: {
          kind,
          actionType: input.actionType,
          status: saved.status,
          policyVersion: version.code,
        },
      },
    });
    await publishLive(tx, {
      kind: LiveEventKind.REQUESTED,
      requestId: saved.id,
      officeId: saved.officeId,
    });
    return saved;
  });
}

/**
 * Performs one transition of the table as a compare-and-set on the current state: of two
 * concurrent callers exactly one changes the row; the other gets CONFLICT and writes nothing.
 */
async function applyTransition(
  tx: RequestContext,
  request: ApprovalRequestEntity,
  event: ApprovalEvent,
  set: Partial<ApprovalRequestEntity>,
): Promise<ApprovalRequestEntity> {
  const shown = effectiveStatus(request.status, request.expiresAt, tx.clock.now());
  const to = transition(request.status, event);
  if (!to)
    throw conflict(
      `The request is ${shown}; it cannot be ${event === ApprovalEvent.WITHDRAW ? 'withdrawn' : 'decided'} now.`,
    );
  const result = await tx.manager
    .createQueryBuilder()
    .update(ApprovalRequestEntity)
    .set({ ...set, status: to })
    .where('id = :id AND status = :from', { id: request.id, from: request.status })
    .returning('*')
    .execute();
  if (result.affected !== 1)
    throw conflict('The request was decided or withdrawn by someone else a moment ago.');
  return tx.manager
    .getRepository(ApprovalRequestEntity)
    .findOneOrFail({ where: { id: request.id } });
}

export async function decideApprovalRequest(
  ctx: RequestContext,
  input: DecideApprovalRequestInput,
): Promise<ApprovalRequestEntity> {
  return inTransaction(ctx, async (tx) => {
    const request = await findVisibleRequest(tx, input.id);
    if (!supervises(tx.user, request.officeId)) {
      throw forbidden('Only a supervisor of the case’s office decides its requests.');
    }
    if (wroteAnyPart(request, tx.user.id))
      throw forbidden(
        'Nobody decides a request they wrote any part of (request or justification).',
      );
    if (
      request.kind === ApprovalKind.POST_ACTION &&
      request.justification === null &&
      request.status === ApprovalStatus.PENDING
    ) {
      throw conflict('The post-action justification has not been submitted yet.');
    }
    const now = tx.clock.now();
    const event = input.decision === 'APPROVE' ? ApprovalEvent.APPROVE : ApprovalEvent.DENY;
    const version = versionOf(request.policyVersionCode);
    const expiresAt =
      event === ApprovalEvent.APPROVE && request.kind !== ApprovalKind.POST_ACTION
        ? new Date(now.getTime() + version.parameters.approvalValidityDays * DAY)
        : null;
    const before = request.status;
    const decided = await applyTransition(tx, request, event, {
      decidedById: tx.user.id,
      decidedAt: now,
      decisionReason: input.reason.trim(),
      expiresAt,
    });
    await writeAudit(tx, {
      operation: 'decideApprovalRequest',
      recordType: 'ApprovalRequest',
      recordIds: [request.id, request.caseId],
      officeIds: [request.officeId],
      reason: input.reason.trim(),
      change: {
        status: { before, after: decided.status },
        expiresAt: expiresAt?.toISOString() ?? null,
      },
    });
    await publishLive(tx, {
      kind: LiveEventKind.DECIDED,
      requestId: request.id,
      officeId: request.officeId,
    });
    return decided;
  });
}

export async function withdrawApprovalRequest(
  ctx: RequestContext,
  input: WithdrawApprovalRequestInput,
): Promise<ApprovalRequestEntity> {
  return inTransaction(ctx, async (tx) => {
    const request = await findVisibleRequest(tx, input.id);
    if (request.requestedById !== tx.user.id)
      throw forbidden('Only the requester withdraws a request.');
    if (request.kind === ApprovalKind.POST_ACTION) {
      throw conflict(
        'A post-action request cannot be withdrawn: the exigent action needs ratification.',
      );
    }
    const before = request.status;
    const withdrawn = await applyTransition(tx, request, ApprovalEvent.WITHDRAW, {
      decidedAt: tx.clock.now(),
      decisionReason: input.reason?.trim() ?? null,
    });
    await writeAudit(tx, {
      operation: 'withdrawApprovalRequest',
      recordType: 'ApprovalRequest',
      recordIds: [request.id, request.caseId],
      officeIds: [request.officeId],
      reason: input.reason?.trim() ?? null,
      change: { status: { before, after: withdrawn.status } },
    });
    await publishLive(tx, {
      kind: LiveEventKind.WITHDRAWN,
      requestId: request.id,
      officeId: request.officeId,
    });
    return withdrawn;
  });
}
