import { readScope } from '../../auth/permissions';
import { RequestContext, inTransaction } from '../../common/context';
import { AppError, badInput, conflict, ErrorCode, forbidden, notFound } from '../../common/errors';
import { isUuid } from '../../common/ids';
import { decodeCursor, encodeCursor, pageSize } from '../../common/pagination';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { versionOn } from '../assessments/assessment.service';
import { policyVersion } from '../assessments/policy/engine';
import type { PolicyVersionDefinition } from '../assessments/policy/types';
import { writeAudit } from '../audit/audit.service';
import { CaseEntity, CaseStatus } from '../cases/case.entity';
import { localDate, weekStartOf } from '../../common/calendar';
import { findVisibleCase } from '../cases/case.service';
import { ActionType } from '../enforcement-actions/action-type';
import { OfficeEntity } from '../users/office.entity';
import { Role } from '../../auth/role';
import { ApprovalRequestEntity } from './approval.entity';
import type {
  DecideApprovalRequestInput,
  RequestApprovalInput,
  SubmitPostActionJustificationInput,
  WithdrawApprovalRequestInput,
} from './approval.inputs';
import {
  ApprovalEvent,
  ApprovalKind,
  ApprovalStatus,
  effectiveStatus,
  transition,
} from './approval.states';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export function isVulnerable(c: CaseEntity): boolean {
  return c.elderly || c.seriousIllness || c.pendingReliefApplication;
}

function versionOf(code: string): PolicyVersionDefinition {
  const v = policyVersion(code);
  if (!v) throw new Error(`unknown policy version ${code}`);
  return v;
}

/** A request the caller may see (their office; headquarters any), or NOT_FOUND. */
/**
 * Whether `userId` wrote any part of the request: asked for it, or wrote its post-action
 * justification. Such a person never decides it (a supervisor may justify an officer's exigent
 * action, and then another supervisor ratifies it).
 */
export function wroteAnyPart(
  request: Pick<ApprovalRequestEntity, 'requestedById' | 'justificationSubmittedById'>,
  userId: string,
): boolean {
  return request.requestedById === userId || request.justificationSubmittedById === userId;
}

export async function findVisibleRequest(
  ctx: RequestContext,
  id: string,
): Promise<ApprovalRequestEntity> {
  if (!isUuid(id)) throw notFound('Approval request', id);
  const office = readScope(ctx.user);
  const found = await ctx.manager
    .getRepository(ApprovalRequestEntity)
    .findOne({ where: office === undefined ? { id } : { id, officeId: office } });
  if (!found) throw notFound('Approval request', id);
  return found;
}

async function officeOf(ctx: RequestContext, officeId: string): Promise<OfficeEntity> {
  return ctx.manager.getRepository(OfficeEntity).findOneOrFail({ where: { id: officeId } });
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
    const office = await officeOf(tx, c.officeId);
    const now = tx.clock.now();
    const version = await versionOn(tx, localDate(now, office.timeZone), 'input.caseId');

    let kind: ApprovalKind;
    if (
      input.actionType === ActionType.REMOVAL &&
      isVulnerable(c) &&
      version.vulnerableRemovalNeedsApproval
    ) {
      kind = ApprovalKind.VULNERABLE_REMOVAL;
    } else {
      if (!version.requiresPreapproval) {
        throw badInput(
          'input.caseId',
          `no pre-approval is needed under ${version.code}, the version in force`,
        );
      }
      const latest = c.latestAssessmentId
        ? await tx.manager
            .getRepository(AssessmentEntity)
            .findOne({ where: { id: c.latestAssessmentId } })
        : null;
      if (latest && latest.policyVersionCode === version.code && !latest.requiresPreapproval) {
        throw badInput(
          'input.caseId',
          `the case is a presumed ${latest.primaryCategory.toLowerCase().replace('_', ' ')} priority under ${version.code}: an enforcement action needs no approval`,
        );
      }
      kind = ApprovalKind.PRE_ACTION;
    }
    const min = version.parameters.minJustificationLength;
    if (input.justification.trim().length < min) {
      throw badInput(
        'input.justification',
        `must be at least ${min} characters under ${version.code}`,
      );
    }
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
    if (tx.user.role !== Role.SUPERVISOR || tx.user.officeId !== request.officeId) {
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
    return withdrawn;
  });
}

/** Opens the post-action request of an exigent action, due `exigentDeadlineHours` after it. */
export async function openPostActionRequest(
  tx: RequestContext,
  args: {
    caseRow: CaseEntity;
    actionId: string;
    actionType: ActionType;
    occurredAt: Date;
    version: PolicyVersionDefinition;
    timeZone: string;
  },
): Promise<ApprovalRequestEntity> {
  const repo = tx.manager.getRepository(ApprovalRequestEntity);
  const now = tx.clock.now();
  return repo.save(
    repo.create({
      caseId: args.caseRow.id,
      officeId: args.caseRow.officeId,
      kind: ApprovalKind.POST_ACTION,
      actionType: args.actionType,
      status: ApprovalStatus.PENDING,
      justification: null,
      policyVersionCode: args.version.code,
      requestedById: tx.user.id,
      requestedAt: now,
      requestedWeek: weekStartOf(now, args.timeZone),
      enforcementActionId: args.actionId,
      justificationDueAt: new Date(
        args.occurredAt.getTime() + args.version.parameters.exigentDeadlineHours * HOUR,
      ),
    }),
  );
}

export async function submitPostActionJustification(
  ctx: RequestContext,
  input: SubmitPostActionJustificationInput,
): Promise<ApprovalRequestEntity> {
  return inTransaction(ctx, async (tx) => {
    if (!!input.requestId === !!input.enforcementActionId) {
      throw badInput('input.requestId', 'give exactly one of requestId and enforcementActionId');
    }
    let request: ApprovalRequestEntity;
    if (input.requestId) {
      request = await findVisibleRequest(tx, input.requestId);
    } else {
      const id = input.enforcementActionId as string;
      if (!isUuid(id)) throw notFound('Enforcement action', id);
      const office = readScope(tx.user);
      const found = await tx.manager.getRepository(ApprovalRequestEntity).findOne({
        where: {
          enforcementActionId: id,
          kind: ApprovalKind.POST_ACTION,
          ...(office ? { officeId: office } : {}),
        },
      });
      if (!found) throw notFound('Post-action request for enforcement action', id);
      request = found;
    }
    if (request.kind !== ApprovalKind.POST_ACTION) {
      throw badInput(
        input.requestId ? 'input.requestId' : 'input.enforcementActionId',
        'is not a post-action request',
      );
    }
    const mayAnswer =
      request.requestedById === tx.user.id ||
      (tx.user.role === Role.SUPERVISOR && tx.user.officeId === request.officeId);
    if (!mayAnswer)
      throw forbidden(
        'Only the acting officer or a supervisor of the office submits this justification.',
      );
    if (request.justification !== null)
      throw conflict('The justification has already been submitted.');
    if (request.status !== ApprovalStatus.PENDING)
      throw conflict(`The request is ${request.status}.`);
    const version = versionOf(request.policyVersionCode);
    const min = version.parameters.minJustificationLength;
    if (input.justification.trim().length < min) {
      throw badInput(
        'input.justification',
        `must be at least ${min} characters under ${version.code}`,
      );
    }
    const now = tx.clock.now();
    const result = await tx.manager
      .createQueryBuilder()
      .update(ApprovalRequestEntity)
      .set({
        justification: input.justification.trim(),
        justificationSubmittedAt: now,
        justificationSubmittedById: tx.user.id,
      })
      .where('id = :id AND justification IS NULL AND status = :pending', {
        id: request.id,
        pending: ApprovalStatus.PENDING,
      })
      .execute();
    if (result.affected !== 1)
      throw conflict('The justification was submitted by someone else a moment ago.');
    const late =
      request.justificationDueAt !== null && now.getTime() > request.justificationDueAt.getTime();
    await writeAudit(tx, {
      operation: 'submitPostActionJustification',
      recordType: 'ApprovalRequest',
      recordIds: [
        request.id,
        request.caseId,
        ...(request.enforcementActionId ? [request.enforcementActionId] : []),
      ],
      officeIds: [request.officeId],
      change: {
        submittedAt: now.toISOString(),
        dueAt: request.justificationDueAt?.toISOString() ?? null,
        late,
      },
    });
    return tx.manager
      .getRepository(ApprovalRequestEntity)
      .findOneOrFail({ where: { id: request.id } });
  });
}

/** Submitted after the deadline. */
export function isLate(r: ApprovalRequestEntity): boolean {
  return (
    r.kind === ApprovalKind.POST_ACTION &&
    r.justificationDueAt !== null &&
    r.justificationSubmittedAt !== null &&
    r.justificationSubmittedAt.getTime() > r.justificationDueAt.getTime()
  );
}

/** Past the deadline with no justification, or justified late. */
export function isOverdue(r: ApprovalRequestEntity, now: Date): boolean {
  if (r.kind !== ApprovalKind.POST_ACTION || r.justificationDueAt === null) return false;
  if (r.justificationSubmittedAt === null) return now.getTime() > r.justificationDueAt.getTime();
  return isLate(r);
}

export function requestCursor(r: ApprovalRequestEntity): string {
  return encodeCursor([r.requestedAt.toISOString(), r.id]);
}

/** The office's requests awaiting a decision, oldest first. Supervisors only (the shield). */
export async function approvalQueue(
  ctx: RequestContext,
  args: { first?: number | null; after?: string | null },
): Promise<{
  items: ApprovalRequestEntity[];
  hasNextPage: boolean;
  totalCount: () => Promise<number>;
}> {
  const office = readScope(ctx.user);
  if (office === undefined)
    throw new AppError(ErrorCode.FORBIDDEN, 'The approval queue belongs to an office.');
  const first = pageSize(args.first);
  const base = () =>
    ctx.manager
      .getRepository(ApprovalRequestEntity)
      .createQueryBuilder('r')
      .where('r.officeId = :office AND r.status = :pending', {
        office,
        pending: ApprovalStatus.PENDING,
      });
  const page = base();
  if (args.after) {
    const [at, id] = decodeCursor(args.after, 'after', ['instant', 'uuid']);
    page.andWhere('(r.requestedAt > :at OR (r.requestedAt = :at AND r.id > :id))', { at, id });
  }
  const rows = await page
    .orderBy('r.requestedAt', 'ASC')
    .addOrderBy('r.id', 'ASC')
    .limit(first + 1)
    .getMany();
  return {
    items: rows.slice(0, first),
    hasNextPage: rows.length > first,
    totalCount: () => base().getCount(),
  };
}
