/**
 * Keeps the per-week counts equal to a direct count of the non-void actions, in the same
 * transaction as the change: +1 when an action is recorded, -1 when it is voided. Three grains,
 * always written in this order (so two transactions never wait on each other in a cycle):
 * `enforcement_weekly_counts` (office, week, category, type, basis), `enforcement_counts_by_week`
 * (every office summed) and `enforcement_counts_by_office_week` (category, type and basis summed).
 */
import type { RequestContext } from '../../server/context';
import type { EnforcementActionEntity } from '../enforcement-actions/enforcement-action.entity';
import { weekStartOf } from './week';

interface Grain {
  table: string;
  /** Key columns, and which of the action's keys (office, week, category, type, basis) fill them. */
  columns: string[];
  keys: number[];
}

const GRAINS: Grain[] = [
  {
    table: 'enforcement_weekly_counts',
    columns: ['office_id', 'week_start', 'category', 'action_type', 'basis'],
    keys: [0, 1, 2, 3, 4],
  },
  {
    table: 'enforcement_counts_by_week',
    columns: ['week_start', 'category', 'action_type', 'basis'],
    keys: [1, 2, 3, 4],
  },
  {
    table: 'enforcement_counts_by_office_week',
    columns: ['office_id', 'week_start'],
    keys: [0, 1],
  },
];

export async function countAction(
  tx: RequestContext,
  action: Pick<EnforcementActionEntity, 'officeId' | 'occurredAt' | 'category' | 'type' | 'basis'>,
  timeZone: string,
  delta: 1 | -1,
): Promise<void> {
  const key = [
    action.officeId,
    weekStartOf(action.occurredAt, timeZone),
    action.category,
    action.type,
    action.basis,
  ];
  for (const { table, columns, keys } of GRAINS) {
    const values = keys.map((k) => key[k]);
    const params = columns.map((_, i) => `$${i + 1}`);
    if (delta === 1) {
      await tx.manager.query(
        `INSERT INTO ${table} (${columns.join(', ')}, action_count) VALUES (${params.join(', ')}, 1)
         ON CONFLICT (${columns.join(', ')}) DO UPDATE SET action_count = ${table}.action_count + 1`,
        values,
      );
      continue;
    }
    // An upsert of -1 would trip the non-negative check on the proposed row before the conflict
    // is seen; the counted action's row always exists, so this is a plain decrement.
    const [, affected] = (await tx.manager.query(
      `UPDATE ${table} SET action_count = action_count - 1
        WHERE ${columns.map((c, i) => `${c} = ${params[i]}`).join(' AND ')}`,
      values,
    )) as [unknown, number];
    if (affected !== 1) throw new Error(`${table} has no row for a recorded action`);
  }
}
