import { COMMIT_GRACE_MS, Deadline } from '../../src/common/deadline';
import { AppError, ErrorCode } from '../../src/common/errors';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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
