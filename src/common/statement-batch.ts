/**
 * One round trip for the reads the loaders start together. When a page's cases resolve, the
 * loaders of their nested lists (assessments, approval requests, convictions...) each dispatch a
 * statement in the same tick; sent one by one, each costs a write to PostgreSQL's socket and its
 * own reply (about 0.3 ms of the service's CPU each on the machines we measure on: the biggest
 * single item of a page after garbage collection, docs/benchmarks.md "The read path"). Here the
 * statements started on one manager before the event loop turns are sent as one simple-protocol
 * message, their parameters written in as literals (`sql-literal.ts`: values the service read or
 * checked, quoted so that no value can end its literal), and each gets its own rows back.
 *
 * Each statement is still logged as itself, with its parameters. If the message fails outside a
 * transaction, every statement is run again on its own, so each gets its own answer or its own
 * error; inside one the transaction is lost anyway, and all of them get the error.
 */
import type pg from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';
import { inlineParams } from './sql-literal';

interface Waiting {
  sql: string;
  params: unknown[];
  resolve: (rows: unknown[]) => void;
  reject: (err: unknown) => void;
}

const waiting = new Map<EntityManager, Waiting[]>();

/** `manager.query(sql, params)`, sent with the other statements started on `manager` this tick. */
export function batchedQuery<T>(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  return new Promise<unknown[]>((resolve, reject) => {
    let list = waiting.get(manager);
    if (!list) {
      waiting.set(manager, (list = []));
      setImmediate(() => void flush(manager));
    }
    list.push({ sql, params, resolve, reject });
  }) as Promise<T[]>;
}

function alone(manager: EntityManager, w: Waiting): void {
  (manager.query(w.sql, w.params) as Promise<unknown[]>).then(w.resolve, w.reject);
}

async function flush(manager: EntityManager): Promise<void> {
  const list = waiting.get(manager)!;
  waiting.delete(manager);
  if (list.length === 1) return alone(manager, list[0]);
  let results: unknown[][];
  try {
    results = await together(manager, list);
  } catch (err) {
    if (manager.queryRunner?.isTransactionActive) {
      for (const w of list) w.reject(err);
    } else {
      for (const w of list) alone(manager, w);
    }
    return;
  }
  list.forEach((w, i) => w.resolve(results[i]));
}

async function together(manager: EntityManager, list: Waiting[]): Promise<unknown[][]> {
  for (const w of list) manager.connection.logger.logQuery(w.sql, w.params);
  const text = list.map((w) => inlineParams(w.sql, w.params)).join(';\n');
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as pg.PoolClient;
    let out: pg.QueryResult | pg.QueryResult[];
    try {
      out = (await client.query(text)) as pg.QueryResult | pg.QueryResult[];
    } catch (err) {
      throw new QueryFailedError(text, [], err as Error);
    }
    const results = Array.isArray(out) ? out : [out];
    if (results.length !== list.length)
      throw new Error(`${list.length} statements sent together, ${results.length} answers`);
    return results.map((r) => r.rows as unknown[]);
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
