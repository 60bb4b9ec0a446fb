import type { EntityManager } from 'typeorm';
import { COMMIT_GRACE_MS, Deadline, STATEMENT_SLACK_MS } from '../../src/common/deadline';
import { AppError, ErrorCode } from '../../src/common/errors';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A manager that only counts the statements it is asked to run. */
function countingManager(): { manager: EntityManager; statements: unknown[][] } {
  const statements: unknown[][] = [];
  const manager = {
    query: (sql: string, params: unknown[]) => {
      statements.push([sql, ...params]);
      return Promise.resolve([]);
    },
  } as unknown as EntityManager;
  return { manager, statements };
}

describe('Deadline.bound', () => {
  test('no round trip while the connection statement_timeout bounds statements within the slack', async () => {
    const { manager, statements } = countingManager();
    await new Deadline(10_000, 10_000).bound(manager);
    await new Deadline(10_000, 10_000 + STATEMENT_SLACK_MS - 50).bound(manager);
    expect(statements).toEqual([]);
  });

  test('a budget tighter than statement_timeout minus the slack sets the budget left', async () => {
    const { manager, statements } = countingManager();
    await new Deadline(2_000, 10_000).bound(manager);
    await new Deadline(10_000, 10_000, Date.now() - 1_500).bound(manager);
    expect(statements).toHaveLength(2);
    for (const [sql, value] of statements) {
      expect(sql).toMatch(/set_config\('statement_timeout'/);
      expect(Number(String(value).replace('ms', ''))).toBeLessThanOrEqual(8_500);
    }
  });

  test('a spent budget refuses the transaction before any statement', async () => {
    const { manager, statements } = countingManager();
    await expect(new Deadline(1_000, 10_000, Date.now() - 1_001).bound(manager)).rejects.toThrow(
      AppError,
    );
    expect(statements).toEqual([]);
  });
});

describe('Deadline', () => {
  test('a transaction whose work ends after the budget may not commit', () => {
    const deadline = new Deadline(1_000, Infinity, Date.now() - 1_001);
    expect(() => deadline.beforeCommit()).toThrow(AppError);
    try {
      deadline.beforeCommit();
    } catch (err) {
      expect((err as AppError).code).toBe(ErrorCode.REQUEST_TIMEOUT);
      expect((err as AppError).message).toContain('1000 ms');
    }
    expect(() => new Deadline(1_000).beforeCommit()).not.toThrow();
  });

  test('the answer is the timeout once the budget runs out, and no commit may start after', async () => {
    const deadline = new Deadline(100);
    const started = Date.now();
    const answer = await deadline.race(
      sleep(1_000).then(() => 'done'),
      () => 'timed out',
    );
    expect(answer).toBe('timed out');
    expect(Date.now() - started).toBeLessThan(500);
    expect(() => deadline.beforeCommit()).toThrow(AppError);
  });

  test('a write that began committing in time is answered, not reported as a timeout', async () => {
    const deadline = new Deadline(100);
    const work = (async () => {
      await sleep(50);
      deadline.beforeCommit(); // COMMIT sent in time...
      await sleep(200); // ...and acknowledged after the budget
      return 'committed';
    })();
    expect(await deadline.race(work, () => 'timed out')).toBe('committed');
  });

  test('the wait for such a write is bounded', async () => {
    const deadline = new Deadline(50);
    const work = (async () => {
      deadline.beforeCommit();
      await sleep(COMMIT_GRACE_MS + 1_000);
      return 'committed';
    })();
    const started = Date.now();
    expect(await deadline.race(work, () => 'timed out')).toBe('timed out');
    expect(Date.now() - started).toBeLessThan(COMMIT_GRACE_MS + 500);
  });
});
