/** The office's queue of requests awaiting a decision, and the requests an action relies on. */
import { readScope } from '../../auth/permissions';
import type { RequestContext } from '../../common/context';
import { AppError, ErrorCode } from '../../common/errors';
import { keysetCursor, keysetPage, type Keyset, type KeysetPage } from '../../common/keyset';
import type { ActionType } from '../enforcement-actions/action-type';
import { unreadColumns } from '../../common/lean';
import { ApprovalRequestEntity } from './approval.entity';
import { APPROVAL_COLUMNS } from './approval.loaders';
import { ApprovalKind, ApprovalStatus } from './approval.states';

/** Oldest first. */
const QUEUE_ORDER: Keyset<ApprovalRequestEntity> = {
  keys: [
    { column: 'r.requestedAt', part: 'instant', of: (r) => r.requestedAt.toISOString() },
    { column: 'r.id', part: 'uuid', of: (r) => r.id },
  ],
  direction: 'ASC',
};

export function requestCursor(r: ApprovalRequestEntity): string {
  return keysetCursor(QUEUE_ORDER, r);
}

/** The office's requests awaiting a decision, oldest first. Supervisors only (the shield). */
export async function approvalQueue(
  ctx: RequestContext,
  args: { first?: number | null; after?: string | null },
): Promise<KeysetPage<ApprovalRequestEntity>> {
  const office = readScope(ctx.user);
  if (office === undefined)
    throw new AppError(ErrorCode.FORBIDDEN, 'The approval queue belongs to an office.');
  return keysetPage(
    () =>
      ctx.manager
        .getRepository(ApprovalRequestEntity)
        .createQueryBuilder('r')
        .where('r.officeId = :office AND r.status = :pending', {
          office,
          pending: ApprovalStatus.PENDING,
        }),
    QUEUE_ORDER,
    args,
    unreadColumns(
      ctx.manager.connection.getMetadata(ApprovalRequestEntity),
      ctx.selection,
      APPROVAL_COLUMNS,
    ),
  );
}

/**
 * The approvals that cover an action on the case at `at`: approved before it happened, not
 * expired when it happened (pre-action and vulnerable-removal), the latest decided first.
 */
export async function approvalsCovering(
  tx: RequestContext,
  args: { caseId: string; type: ActionType; at: Date },
): Promise<ApprovalRequestEntity[]> {
  return tx.manager
    .getRepository(ApprovalRequestEntity)
    .createQueryBuilder('r')
    .where('r.caseId = :caseId AND r.actionType = :type AND r.status = :approved', {
      caseId: args.caseId,
      type: args.type,
      approved: ApprovalStatus.APPROVED,
    })
    .andWhere('r.kind IN (:...kinds)', {
      kinds: [ApprovalKind.PRE_ACTION, ApprovalKind.VULNERABLE_REMOVAL],
    })
    .andWhere('r.decidedAt <= :at AND r.expiresAt > :at', { at: args.at })
    .orderBy('r.decidedAt', 'DESC')
    .getMany();
}
