import { authorOrSupervisor } from '../../auth/permissions';
import { findVisible } from '../../common/access';
import { RequestContext, inTransaction } from '../../common/context';
import { badInput, conflict, forbidden, preapprovalRequired } from '../../common/errors';
import type { AssessmentEntity } from '../assessments/assessment.entity';
import { assessmentById, versionOn } from '../assessments/assessment.service';
import { PriorityCategory, type PolicyVersionDefinition } from '../assessments/policy/types';
import type { ApprovalRequestEntity } from '../approvals/approval.entity';
import { openPostActionRequest } from '../approvals/approval.post-action';
import { approvalsCovering } from '../approvals/approval.queue';
import { approvalNeeded } from '../approvals/approval.rules';
import { ApprovalKind } from '../approvals/approval.states';
import { writeAudit } from '../audit/audit.service';
import { CaseEntity, CaseStatus } from '../cases/case.entity';
import { findVisibleCase } from '../cases/case.service';
import { officeById } from '../users/office.service';
import { countAction } from '../weekly-reports/counts';
import { ActionType, EnforcementBasis } from './action-type';
import { EnforcementActionEntity } from './enforcement-action.entity';
import type {
  RecordEnforcementActionInput,
  VoidEnforcementActionInput,
} from './enforcement-action.inputs';
import { localDate } from '../../common/calendar';

export interface DerivedBasis {
  basis: EnforcementBasis;
  category: PriorityCategory;
  assessmentId: string | null;
  approvalRequestId: string | null;
  /** EXIGENT: a post-action request is opened. */
  opensPostActionRequest: boolean;
}

/**
 * What the record allows for an action of `type` on the case at `occurredAt`, in DOMAIN.md's
 * order: the vulnerable-removal approval gate; a presumed priority under the version in force; the
 * assessment itself where the version needs no pre-approval; an approved, unexpired request; the
 * exigent path. Otherwise PREAPPROVAL_REQUIRED. Only an assessment made under the version in force
 * at the action's time speaks for it.
 */
export function deriveBasis(args: {
  version: PolicyVersionDefinition;
  caseRow: CaseEntity;
  type: ActionType;
  assessment: AssessmentEntity | null;
  approvals: ApprovalRequestEntity[];
  exigent: boolean;
}): DerivedBasis {
  const { version, caseRow, type, approvals, exigent } = args;
  const assessment =
    args.assessment && args.assessment.policyVersionCode === version.code ? args.assessment : null;
  const approved = (kind: ApprovalKind) =>
    approvals.find((a) => a.kind === kind && a.actionType === type);
  const none = {
    assessmentId: assessment?.id ?? null,
    approvalRequestId: null,
    opensPostActionRequest: false,
  };
  const need = approvalNeeded({ version, caseRow, type, assessment });

  if (need.kind === ApprovalKind.VULNERABLE_REMOVAL) {
    const removal = approved(ApprovalKind.VULNERABLE_REMOVAL);
    if (!removal) {
      throw preapprovalRequired(
        `Removal of a person flagged vulnerable needs a supervisor's approved removal request under ${version.code}, even for a presumed priority.`,
      );
    }
    return assessment?.presumedPriority
      ? {
          ...none,
          basis: EnforcementBasis.PRESUMED_PRIORITY,
          category: assessment.primaryCategory,
          approvalRequestId: removal.id,
        }
      : {
          ...none,
          basis: EnforcementBasis.PREAPPROVED,
          category: PriorityCategory.OTHER,
          approvalRequestId: removal.id,
        };
  }
  if (need.kind === null && need.because === 'PRESUMED_PRIORITY' && assessment) {
    return {
      ...none,
      basis: EnforcementBasis.PRESUMED_PRIORITY,
      category: assessment.primaryCategory,
    };
  }
  if (need.kind === null) {
    if (!assessment) {
      throw preapprovalRequired(
        `The case has no assessment under ${version.code}, the version in force on the action's date: assess it first.`,
      );
    }
    return { ...none, basis: EnforcementBasis.ASSESSED, category: assessment.primaryCategory };
  }
  const pre = approved(ApprovalKind.PRE_ACTION);
  if (pre)
    return {
      ...none,
      basis: EnforcementBasis.PREAPPROVED,
      category: PriorityCategory.OTHER,
      approvalRequestId: pre.id,
    };
  if (exigent)
    return {
      ...none,
      basis: EnforcementBasis.EXIGENT,
      category: PriorityCategory.OTHER,
      opensPostActionRequest: true,
    };
  throw preapprovalRequired(
    assessment
      ? `The case is not a presumed priority under ${version.code}: a ${type} needs an approved, unexpired request (or the exigent path).`
      : `The case has no assessment under ${version.code}: a ${type} needs an approved, unexpired request (or the exigent path).`,
  );
}

export async function recordEnforcementAction(
  ctx: RequestContext,
  input: RecordEnforcementActionInput,
): Promise<EnforcementActionEntity> {
  return inTransaction(ctx, async (tx) => {
    const c = await findVisibleCase(tx, input.caseId);
    if (c.status !== CaseStatus.OPEN) throw conflict('The case is closed.');
    const office = await officeById(tx, c.officeId);
    const now = tx.clock.now();
    if (input.occurredAt.getTime() > now.getTime())
      throw badInput(
        'input.occurredAt',
        `is in the future (the service's time is ${now.toISOString()})`,
      );
    const version = await versionOn(
      tx,
      localDate(input.occurredAt, office.timeZone),
      'input.occurredAt',
    );
    const assessment = c.latestAssessmentId ? await assessmentById(tx, c.latestAssessmentId) : null;
    const approvals = await approvalsCovering(tx, {
      caseId: c.id,
      type: input.type,
      at: input.occurredAt,
    });
    const derived = deriveBasis({
      version,
      caseRow: c,
      type: input.type,
      assessment,
      approvals,
      exigent: !!input.exigent,
    });

    // What the weekly report shows it rests on, from records that never change afterwards.
    const relied = approvals.find((a) => a.id === derived.approvalRequestId) ?? null;
    const reportReason =
      derived.basis === EnforcementBasis.PREAPPROVED
        ? (relied?.justification ?? null)
        : derived.basis === EnforcementBasis.EXIGENT
          ? null
          : derived.assessmentId && assessment?.id === derived.assessmentId
            ? assessment.summary
            : null;

    const repo = tx.manager.getRepository(EnforcementActionEntity);
    const action = await repo.save(
      repo.create({
        caseId: c.id,
        officeId: c.officeId,
        type: input.type,
        occurredAt: input.occurredAt,
        location: input.location.trim(),
        basis: derived.basis,
        category: derived.category,
        policyVersionCode: version.code,
        assessmentId: derived.assessmentId,
        approvalRequestId: derived.approvalRequestId,
        reportReason,
        approvedById: relied?.decidedById ?? null,
        exigentNarrative: input.exigent?.narrative.trim() ?? null,
        recordedById: tx.user.id,
        recordedAt: now,
      }),
    );
    await countAction(tx, action, office.timeZone, 1);
    const post = derived.opensPostActionRequest
      ? await openPostActionRequest(tx, {
          caseRow: c,
          actionId: action.id,
          actionType: input.type,
          occurredAt: input.occurredAt,
          version,
          timeZone: office.timeZone,
        })
      : null;
    await writeAudit(tx, {
      operation: 'recordEnforcementAction',
      recordType: 'EnforcementAction',
      recordIds: [action.id, c.id, ...(post ? [post.id] : [])],
      officeIds: [c.officeId],
      change: {
        after: {
          type: action.type,
          occurredAt: action.occurredAt.toISOString(),
          basis: action.basis,
          category: action.category,
          policyVersion: version.code,
          approvalRequestId: action.approvalRequestId,
          postActionRequestId: post?.id ?? null,
          postActionDueAt: post?.justificationDueAt?.toISOString() ?? null,
        },
      },
    });
    return action;
  });
}

export async function findVisibleAction(
  ctx: RequestContext,
  id: string,
): Promise<EnforcementActionEntity> {
  return findVisible(ctx, EnforcementActionEntity, 'Enforcement action', id);
}

export async function voidEnforcementAction(
  ctx: RequestContext,
  input: VoidEnforcementActionInput,
): Promise<EnforcementActionEntity> {
  return inTransaction(ctx, async (tx) => {
    const action = await findVisibleAction(tx, input.id);
    if (!authorOrSupervisor(tx.user, { authorId: action.recordedById, officeId: action.officeId }))
      throw forbidden(
        'Only the officer who recorded the action or a supervisor of the office voids it.',
      );
    // The unique index settles two concurrent voids; the insert is the only write before the audit.
    const inserted = (await tx.manager.query(
      `INSERT INTO enforcement_action_voids (enforcement_action_id, office_id, reason, voided_by_id, voided_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (enforcement_action_id) DO NOTHING RETURNING id`,
      [action.id, action.officeId, input.reason.trim(), tx.user.id, tx.clock.now()],
    )) as { id: string }[];
    if (inserted.length === 0) throw conflict('The action is already void.');
    const office = await officeById(tx, action.officeId);
    await countAction(tx, action, office.timeZone, -1);
    await writeAudit(tx, {
      operation: 'voidEnforcementAction',
      recordType: 'EnforcementAction',
      recordIds: [action.id, action.caseId],
      officeIds: [action.officeId],
      reason: input.reason.trim(),
      change: { voided: true },
    });
    return action;
  });
}
