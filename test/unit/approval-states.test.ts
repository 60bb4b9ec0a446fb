/**
 * The approval-request state table: every stored state × every event, the computed EXPIRED status,
 * and the startup check of the table.
 */
import {
  APPROVAL_TRANSITIONS,
  ApprovalEvent,
  ApprovalStatus,
  effectiveStatus,
  transition,
  validateTransitionTable,
  type StoredStatus,
} from '../../src/modules/approvals/approval.states';

const { PENDING, APPROVED, DENIED, WITHDRAWN, EXPIRED } = ApprovalStatus;
const { APPROVE, DENY, WITHDRAW } = ApprovalEvent;

describe('transition: from × event', () => {
  const table: [StoredStatus, ApprovalEvent, StoredStatus | undefined][] = [
    [PENDING, APPROVE, APPROVED],
    [PENDING, DENY, DENIED],
    [PENDING, WITHDRAW, WITHDRAWN],
    [APPROVED, APPROVE, undefined],
    [APPROVED, DENY, undefined],
    [APPROVED, WITHDRAW, undefined],
    [DENIED, APPROVE, undefined],
    [DENIED, DENY, undefined],
    [DENIED, WITHDRAW, undefined],
    [WITHDRAWN, APPROVE, undefined],
    [WITHDRAWN, DENY, undefined],
    [WITHDRAWN, WITHDRAW, undefined],
  ];

  test.each(table)('%s + %s → %s', (from, event, to) => {
    expect(transition(from, event)).toBe(to);
  });

  test('the table covers every stored state and every event, and nothing else', () => {
    const stored = Object.values(ApprovalStatus).filter((s) => s !== EXPIRED);
    expect(Object.keys(APPROVAL_TRANSITIONS).sort()).toEqual([...stored].sort());
    expect(table).toHaveLength(stored.length * Object.values(ApprovalEvent).length);
    for (const from of stored)
      for (const event of Object.values(ApprovalEvent))
        expect(table.some(([f, e]) => f === from && e === event)).toBe(true);
  });

  test('EXPIRED is never a stored state nor a target', () => {
    expect(Object.keys(APPROVAL_TRANSITIONS)).not.toContain(EXPIRED);
    for (const targets of Object.values(APPROVAL_TRANSITIONS))
      expect(Object.values(targets)).not.toContain(EXPIRED);
  });
});

describe('effectiveStatus', () => {
  const decided = new Date('2021-06-01T14:00:00Z');
  const expires = new Date(decided.getTime() + 30 * 24 * 3600_000);
  const at = (ms: number) => new Date(expires.getTime() + ms);

  test.each([
    [APPROVED, expires, at(-1), APPROVED],
    [APPROVED, expires, at(-30 * 24 * 3600_000), APPROVED],
    [APPROVED, expires, at(0), EXPIRED],
    [APPROVED, expires, at(1), EXPIRED],
    [APPROVED, expires, at(365 * 24 * 3600_000), EXPIRED],
    // A ratification (post-action approval) has no expiry.
    [APPROVED, null, at(365 * 24 * 3600_000), APPROVED],
    [PENDING, null, at(1), PENDING],
    [PENDING, expires, at(1), PENDING],
    [DENIED, expires, at(1), DENIED],
    [WITHDRAWN, expires, at(1), WITHDRAWN],
  ] as [StoredStatus, Date | null, Date, ApprovalStatus][])(
    '%s, expires %s, at %s → %s',
    (stored, expiresAt, now, expected) => {
      expect(effectiveStatus(stored, expiresAt, now)).toBe(expected);
    },
  );
});

describe('validateTransitionTable', () => {
  type Mutable = Record<string, Record<string, string>>;
  const table = APPROVAL_TRANSITIONS as unknown as Mutable;

  /** Runs `check` with the table changed by `change`, then restores it. */
  function withTable(change: (t: Mutable) => void, check: () => void): void {
    const saved = JSON.parse(JSON.stringify(table)) as Mutable;
    try {
      change(table);
      check();
    } finally {
      for (const key of Object.keys(table)) delete table[key];
      Object.assign(table, saved);
    }
    expect(table).toEqual(saved);
  }

  test('the shipped table is valid', () => {
    expect(() => validateTransitionTable()).not.toThrow();
  });

  test('a target that is not a stored state is refused', () => {
    withTable(
      (t) => {
        t[APPROVED][WITHDRAW] = EXPIRED;
      },
      () => expect(() => validateTransitionTable()).toThrow(/APPROVED → EXPIRED: unknown state/),
    );
  });

  test('an unreachable state is refused', () => {
    withTable(
      (t) => {
        delete t[PENDING][DENY];
      },
      () => expect(() => validateTransitionTable()).toThrow(/DENIED is unreachable/),
    );
  });

  test('a state reachable only through another state is accepted', () => {
    withTable(
      (t) => {
        delete t[PENDING][WITHDRAW];
        t[DENIED][WITHDRAW] = WITHDRAWN;
      },
      () => expect(() => validateTransitionTable()).not.toThrow(),
    );
  });

  test('states that reach each other but not from PENDING are unreachable', () => {
    withTable(
      (t) => {
        delete t[PENDING][DENY];
        delete t[PENDING][WITHDRAW];
        t[DENIED][WITHDRAW] = WITHDRAWN;
        t[WITHDRAWN][DENY] = DENIED;
      },
      () => expect(() => validateTransitionTable()).toThrow(/is unreachable/),
    );
  });
});
