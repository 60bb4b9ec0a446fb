/**
 * The loaders' statements of one tick go to PostgreSQL in one round trip (src/common/statement-batch.ts),
 * each with its own rows, its own log line and, outside a transaction, its own error.
 */
import type { DataSource } from 'typeorm';
import { batchedQuery } from '../../src/common/statement-batch';
import { createDataSource } from '../../src/db/data-source';
import { ADMIN_URL } from '../helpers/database';

let ds: DataSource;
const logged: { sql: string; params?: unknown[] }[] = [];
let acquired = 0;

beforeAll(async () => {
  ds = createDataSource({
    url: ADMIN_URL,
    poolSize: 4,
    onQuery: (sql, params) => logged.push({ sql, params }),
  });
  await ds.initialize();
  const pool = (ds.driver as unknown as { master: { on(e: string, f: () => void): void } }).master;
  pool.on('acquire', () => (acquired += 1));
});
afterAll(() => ds?.destroy());

beforeEach(() => {
  logged.length = 0;
  acquired = 0;
});

const HOSTILE = ["it's", 'back\\slash', "'); DROP TABLE x; --", 'Ñandú – 東京', '$1'];

describe('statements started in the same tick', () => {
  test('share one connection and one message, and each gets its own rows', async () => {
    const [a, b, c] = await Promise.all([
      batchedQuery<{ n: number }>(ds.manager, 'SELECT $1::int AS n', [41]),
      batchedQuery<{ t: string }>(ds.manager, 'SELECT unnest($1::text[]) AS t', [HOSTILE]),
      batchedQuery<{ ok: boolean; none: null }>(
        ds.manager,
        'SELECT $1::boolean AS ok, $2::text AS none',
        [true, null],
      ),
    ]);
    expect(a).toEqual([{ n: 41 }]);
    expect(b.map((r) => r.t)).toEqual(HOSTILE);
    expect(c).toEqual([{ ok: true, none: null }]);
    expect(acquired).toBe(1);
    // Logged one by one, with their own parameters.
    expect(logged.map((l) => l.sql)).toEqual([
      'SELECT $1::int AS n',
      'SELECT unnest($1::text[]) AS t',
      'SELECT $1::boolean AS ok, $2::text AS none',
    ]);
    expect(logged[1].params).toEqual([HOSTILE]);
  });

  test('a statement alone is sent as it is, with its parameters', async () => {
    expect(await batchedQuery(ds.manager, 'SELECT $1::text AS t', ["it's"])).toEqual([
      { t: "it's" },
    ]);
    expect(acquired).toBe(1);
  });

  test('outside a transaction, a failing statement fails alone', async () => {
    const results = await Promise.allSettled([
      batchedQuery(ds.manager, 'SELECT $1::int AS n', [1]),
      batchedQuery(ds.manager, 'SELECT $1::uuid AS id', ['not a uuid']),
      batchedQuery(ds.manager, 'SELECT $1::int AS n', [3]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseFulfilledResult<unknown>).value).toEqual([{ n: 3 }]);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/uuid/);
  });

  test('inside a transaction, they read through it (its own uncommitted rows), in one message', async () => {
    await ds.transaction(async (m) => {
      await m.query('CREATE TEMPORARY TABLE batch_probe (n int) ON COMMIT DROP');
      await m.query('INSERT INTO batch_probe VALUES (1), (2)');
      acquired = 0;
      const [count, max] = await Promise.all([
        batchedQuery<{ c: number }>(
          m,
          'SELECT count(*)::int AS c FROM batch_probe WHERE n > $1',
          [0],
        ),
        batchedQuery<{ m: number }>(m, 'SELECT max(n) AS m FROM batch_probe WHERE n < $1', [10]),
      ]);
      expect(count).toEqual([{ c: 2 }]);
      expect(max).toEqual([{ m: 2 }]);
      expect(acquired).toBe(0);
    });
  });

  test('inside a transaction, a failing statement fails them all (the transaction is lost anyway)', async () => {
    await expect(
      ds.transaction(async (m) => {
        const results = await Promise.allSettled([
          batchedQuery(m, 'SELECT $1::int AS n', [1]),
          batchedQuery(m, 'SELECT $1::uuid AS id', ['not a uuid']),
        ]);
        expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
  });
});
