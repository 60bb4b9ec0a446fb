/**
 * The post-action request of an exigent action: opened when the action is recorded, justified
 * afterwards by the acting officer or a supervisor, then ratified (decided) like any request.
 */
import { authorOrSupervisor, readScope } from '../../auth/permissions';
import { RequestContext, inTransaction } from '../../common/context';
import { badInput, conflict, forbidden, notFound } from '../../common/errors';
import { isUuid } from '../../common/ids';
import type { PolicyVersionDefinition } from '../assessments/policy/types';
import { writeAudit } from '../audit/audit.service';
import type { CaseEntity } from '../cases/case.entity';
import type { ActionType } from '../enforcement-actions/action-type';
import { ApprovalRequestEntity } from './approval.entity';
import type { SubmitPostActionJustificationInput } from './approval.inputs';
import { checkJustification, justificationTimeliness, versionOf } from './approval.rules';
import { findVisibleRequest } from './approval.service';
import { ApprovalKind, ApprovalStatus } from './approval.states';
import { weekStartOf } from '../../common/calendar';
import { LiveEventKind } from '../live/live.events';
import { publishLive } from '../live/live.publish';

const HOUR = 3600_000;

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
  const saved = await repo.save(
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
  await publishLive(tx, {
    kind: LiveEventKind.REQUESTED,
    requestId: saved.id,
    officeId: saved.officeId,
  });
  return saved;
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
    if (
      !authorOrSupervisor(tx.user, { authorId: request.requestedById, officeId: request.officeId })
    )
      throw forbidden(
        'Only the acting officer or a supervisor of the office submits this justification.',
      );
    if (request.justification !== null)
      throw conflict('The justification has already been submitted.');
    if (request.status !== ApprovalStatus.PENDING)
      throw conflict(`The request is ${request.status}.`);
    const version = versionOf(request.policyVersionCode);
    checkJustification(version, 'input.justification', input.justification);
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
      request.justificationDueAt !== null &&
      justificationTimeliness(request.justificationDueAt, now, now) === 'LATE';
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
    await publishLive(tx, {
      kind: LiveEventKind.JUSTIFICATION_SUBMITTED,
      requestId: request.id,
      officeId: request.officeId,
    });
    return tx.manager
      .getRepository(ApprovalRequestEntity)
      .findOneOrFail({ where: { id: request.id } });
  });
}
