/**
 * The approval rules, pure: no database, no clock (the time is an argument). The approval service
 * and the enforcement-action service ask the same question here ("does this action need
 * approval"), and the approval service and the weekly report read one answer to "was the
 * post-action justification on time".
 */
import { badInput } from '../../common/errors';
import type { AssessmentEntity } from '../assessments/assessment.entity';
import { policyVersion } from '../assessments/policy/engine';
import type { PolicyVersionDefinition } from '../assessments/policy/types';
import type { CaseEntity } from '../cases/case.entity';
import { ActionType } from '../enforcement-actions/action-type';
import type { ApprovalRequestEntity } from './approval.entity';
import { ApprovalKind } from './approval.states';

export function isVulnerable(
  c: Pick<CaseEntity, 'elderly' | 'seriousIllness' | 'pendingReliefApplication'>,
): boolean {
  return c.elderly || c.seriousIllness || c.pendingReliefApplication;
}

export function versionOf(code: string): PolicyVersionDefinition {
  const v = policyVersion(code);
  if (!v) throw new Error(`unknown policy version ${code}`);
  return v;
}

/**
 * Which approval an action of `type` on the case needs under `version`, given the case's latest
 * assessment: a vulnerable removal needs its own approval even for a presumed priority; otherwise
 * a pre-approval where the version requires one and the case is not a presumed priority under it.
 * `null` with the reason when none is needed. Only an assessment made under `version` speaks.
 */
export type ApprovalNeed =
  | { kind: ApprovalKind.VULNERABLE_REMOVAL | ApprovalKind.PRE_ACTION }
  | { kind: null; because: 'PRESUMED_PRIORITY' | 'NOT_REQUIRED' };

export function approvalNeeded(args: {
  version: PolicyVersionDefinition;
  caseRow: Pick<CaseEntity, 'elderly' | 'seriousIllness' | 'pendingReliefApplication'>;
  type: ActionType;
  assessment: Pick<AssessmentEntity, 'policyVersionCode' | 'presumedPriority'> | null;
}): ApprovalNeed {
  const { version, caseRow, type } = args;
  if (
    type === ActionType.REMOVAL &&
    version.vulnerableRemovalNeedsApproval &&
    isVulnerable(caseRow)
  )
    return { kind: ApprovalKind.VULNERABLE_REMOVAL };
  const assessment =
    args.assessment && args.assessment.policyVersionCode === version.code ? args.assessment : null;
  if (assessment?.presumedPriority) return { kind: null, because: 'PRESUMED_PRIORITY' };
  if (!version.requiresPreapproval) return { kind: null, because: 'NOT_REQUIRED' };
  return { kind: ApprovalKind.PRE_ACTION };
}

/** A justification (request or post-action) at least as long as the version asks. */
export function checkJustification(
  version: PolicyVersionDefinition,
  field: string,
  text: string,
): void {
  const min = version.parameters.minJustificationLength;
  if (text.trim().length < min)
    throw badInput(field, `must be at least ${min} characters under ${version.code}`);
}

/**
 * Where a post-action justification stands against its deadline at `now`: submitted on time or
 * late, or not submitted and past the deadline (MISSING) or not yet (PENDING).
 */
export type Timeliness = 'ON_TIME' | 'LATE' | 'MISSING' | 'PENDING';

export function justificationTimeliness(
  dueAt: Date,
  submittedAt: Date | null,
  now: Date,
): Timeliness {
  if (submittedAt) return submittedAt.getTime() > dueAt.getTime() ? 'LATE' : 'ON_TIME';
  return now.getTime() > dueAt.getTime() ? 'MISSING' : 'PENDING';
}

type PostActionDeadline = Pick<
  ApprovalRequestEntity,
  'kind' | 'justificationDueAt' | 'justificationSubmittedAt'
>;

/** Submitted after the deadline. */
export function isLate(r: PostActionDeadline): boolean {
  return (
    r.kind === ApprovalKind.POST_ACTION &&
    r.justificationDueAt !== null &&
    r.justificationSubmittedAt !== null &&
    justificationTimeliness(
      r.justificationDueAt,
      r.justificationSubmittedAt,
      r.justificationSubmittedAt,
    ) === 'LATE'
  );
}

/** Past the deadline with no justification, or justified late. */
export function isOverdue(r: PostActionDeadline, now: Date): boolean {
  if (r.kind !== ApprovalKind.POST_ACTION || r.justificationDueAt === null) return false;
  const t = justificationTimeliness(r.justificationDueAt, r.justificationSubmittedAt, now);
  return t === 'LATE' || t === 'MISSING';
}

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
