import {
  approvalNeeded,
  isLate,
  isOverdue,
  justificationTimeliness,
} from '../../src/modules/approvals/approval.rules';
import { ApprovalKind } from '../../src/modules/approvals/approval.states';
import { policyVersion } from '../../src/modules/assessments/policy/engine';
import { ActionType } from '../../src/modules/enforcement-actions/action-type';

const ICE = policyVersion('ICE-2021-02-18')!;
const DHS_JAN = policyVersion('DHS-2021-01-20')!;
const DHS_SEP = policyVersion('DHS-2021-09-30')!;
const plain = { elderly: false, seriousIllness: false, pendingReliefApplication: false };
const vulnerable = { ...plain, elderly: true };
const presumed = (code: string) => ({ policyVersionCode: code, presumedPriority: true });
const notPresumed = (code: string) => ({ policyVersionCode: code, presumedPriority: false });

describe('approvalNeeded', () => {
  test.each([
    [
      'ICE, not presumed',
      ICE,
      plain,
      ActionType.ARREST,
      notPresumed(ICE.code),
      ApprovalKind.PRE_ACTION,
    ],
    ['ICE, never assessed', ICE, plain, ActionType.ARREST, null, ApprovalKind.PRE_ACTION],
    ['ICE, presumed', ICE, plain, ActionType.ARREST, presumed(ICE.code), null],
    [
      'ICE, presumed under another version',
      ICE,
      plain,
      ActionType.ARREST,
      presumed(DHS_JAN.code),
      ApprovalKind.PRE_ACTION,
    ],
    [
      'ICE, vulnerable removal, presumed',
      ICE,
      vulnerable,
      ActionType.REMOVAL,
      presumed(ICE.code),
      ApprovalKind.VULNERABLE_REMOVAL,
    ],
    [
      'ICE, vulnerable, not a removal',
      ICE,
      vulnerable,
      ActionType.ARREST,
      presumed(ICE.code),
      null,
    ],
    [
      'DHS January, not presumed',
      DHS_JAN,
      plain,
      ActionType.ARREST,
      notPresumed(DHS_JAN.code),
      null,
    ],
    ['DHS September, never assessed', DHS_SEP, plain, ActionType.ARREST, null, null],
  ])('%s', (_, version, caseRow, type, assessment, kind) => {
    expect(approvalNeeded({ version, caseRow, type, assessment }).kind).toBe(kind);
  });

  test('says why none is needed', () => {
    expect(
      approvalNeeded({
        version: ICE,
        caseRow: plain,
        type: ActionType.ARREST,
        assessment: presumed(ICE.code),
      }),
    ).toEqual({ kind: null, because: 'PRESUMED_PRIORITY' });
    expect(
      approvalNeeded({
        version: DHS_SEP,
        caseRow: plain,
        type: ActionType.ARREST,
        assessment: null,
      }),
    ).toEqual({ kind: null, because: 'NOT_REQUIRED' });
  });
});

describe('post-action timeliness', () => {
  const due = new Date('2021-06-10T14:00:00Z');
  const before = new Date('2021-06-10T13:59:59Z');
  const after = new Date('2021-06-10T14:00:01Z');

  test.each([
    ['submitted before the deadline', before, after, 'ON_TIME'],
    ['submitted at the deadline', due, after, 'ON_TIME'],
    ['submitted after it', after, after, 'LATE'],
    ['not submitted, not yet due', null, before, 'PENDING'],
    ['not submitted, due at this instant', null, due, 'PENDING'],
    ['not submitted, past due', null, after, 'MISSING'],
  ])('%s', (_, submitted, now, expected) => {
    expect(justificationTimeliness(due, submitted, now)).toBe(expected);
  });

  test('isLate and isOverdue read the same answer, for post-action requests only', () => {
    const post = { kind: ApprovalKind.POST_ACTION, justificationDueAt: due };
    expect(isLate({ ...post, justificationSubmittedAt: after })).toBe(true);
    expect(isLate({ ...post, justificationSubmittedAt: before })).toBe(false);
    expect(isOverdue({ ...post, justificationSubmittedAt: null }, after)).toBe(true);
    expect(isOverdue({ ...post, justificationSubmittedAt: null }, before)).toBe(false);
    expect(isOverdue({ ...post, justificationSubmittedAt: after }, before)).toBe(true);
    expect(
      isOverdue(
        { kind: ApprovalKind.PRE_ACTION, justificationDueAt: due, justificationSubmittedAt: null },
        after,
      ),
    ).toBe(false);
  });
});
