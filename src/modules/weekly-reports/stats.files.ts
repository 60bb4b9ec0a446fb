/**
 * Enforcement figures as the rows of a file (the exports): the statement of `enforcementStats`
 * over the same counts rows, with each column already what the file holds.
 */
import {
  countsWhere,
  ENFORCEMENT_COLUMNS,
  isFullGrain,
  StatsDimension,
  type Scope,
  type StatsFilter,
} from './stats.service';

/** The columns of enforcement figures in a file, as the GraphQL rows name them. */
export const ENFORCEMENT_FILE_COLUMNS: Record<StatsDimension, string> = {
  [StatsDimension.WEEK]: 'week',
  [StatsDimension.OFFICE]: 'officeCode',
  [StatsDimension.CATEGORY]: 'category',
  [StatsDimension.ACTION_TYPE]: 'actionType',
  [StatsDimension.BASIS]: 'basis',
};

/**
 * `enforcementStats` as the rows of a file, in the GraphQL answer's order (week, office code,
 * then the enums' order): each column already what the file holds and named as the file names
 * it (`ENFORCEMENT_FILE_COLUMNS`, then `count`), so PostgreSQL can write the file itself
 * (`COPY ... TO STDOUT`). `offices`: every office the answer may hold, in code order; their codes
 * and ranks come in as arrays (this module reads no offices table).
 */
export function enforcementStatsFileQuery(
  scope: Scope,
  dims: StatsDimension[],
  filter: StatsFilter,
  offices: { id: string; code: string }[],
): { sql: string; params: unknown[] } {
  const { table, where, params } = countsWhere(scope, dims, filter);
  const full = isFullGrain(table, dims);
  const byOffice = dims.includes(StatsDimension.OFFICE);
  let join = '';
  if (byOffice) {
    params.push(
      offices.map((o) => o.id),
      offices.map((o) => o.code),
    );
    const [ids, codes] = [params.length - 1, params.length];
    join = `JOIN unnest($${ids}::uuid[], $${codes}::text[]) WITH ORDINALITY AS o(id, code, rank)
              ON o.id = c.office_id`;
  }
  const value = (d: StatsDimension) =>
    d === StatsDimension.OFFICE ? 'o.code' : ENFORCEMENT_COLUMNS[d];
  const select = dims.map((d) => `${value(d)} AS "${ENFORCEMENT_FILE_COLUMNS[d]}"`);
  const order = dims.map((d) => (d === StatsDimension.OFFICE ? 'o.rank' : ENFORCEMENT_COLUMNS[d]));
  const groups = dims.flatMap((d) =>
    d === StatsDimension.OFFICE ? ['o.code', 'o.rank'] : [value(d)],
  );
  const sql = `SELECT ${[...select, `${full ? 'c.action_count' : 'sum(c.action_count)'}::bigint AS count`].join(', ')}
                 FROM ${table} c ${join}
                WHERE ${where.join(' AND ')}
                ${full ? '' : `${groups.length ? `GROUP BY ${groups.join(', ')}` : ''} HAVING sum(c.action_count) > 0`}
                ${order.length ? `ORDER BY ${order.join(', ')}` : ''}`;
  return { sql, params };
}
