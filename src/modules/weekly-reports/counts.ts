/**
 * Keeps the per-week counts (this module's tables: the figures' read model) equal to a direct count
 * of the non-void actions, in the same transaction as the change: +1 when an action is recorded,
 * -1 when it is voided. The service writes them only here, called by the enforcement-actions
 * service. Three grains,
 * always written in this order (so two transactions never wait on each other in a cycle):
 * `enforcement_weekly_counts` (office, week, category, type, basis), `enforcement_counts_by_week`
 * (every office summed) and `enforcement_counts_by_office_week` (category, type and basis summed).
 */
import type { RequestContext } from '../../common/context';
import type { EnforcementActionEntity } from '../enforcement-actions/enforcement-action.entity';
import { weekStartOf } from '../../common/calendar';

/** One counts table: its key columns, which of the action's keys fill them, and its two statements. */
function grain(table: string, columns: string[], keys: number[]) {
  const params = columns.map((_, i) => `$${i + 1}`);
  return {
    keys,
    increment: `INSERT INTO ${table} (${columns.join(', ')}, action_count) VALUES (${params.join(', ')}, 1)
                ON CONFLICT (${columns.join(', ')}) DO UPDATE SET action_count = ${table}.action_count + 1`,
    // An upsert of -1 would trip the non-negative check on the proposed row before the conflict
    // is seen; the counted action's row always exists, so this is a plain decrement.
    decrement: `UPDATE ${table} SET action_count = action_count - 1
                 WHERE ${columns.map((c, i) => `${c} = ${params[i]}`).join(' AND ')}`,
    missing: `${table} has no row for a recorded action`,
  };
}

/** The action's keys, in this order: office, week, category, type, basis. */
const GRAINS = [
  grain(
    'enforcement_weekly_counts',
    ['office_id', 'week_start', 'category', 'action_type', 'basis'],
    [0, 1, 2, 3, 4],
  ),
  grain(
    'enforcement_counts_by_week',
    ['week_start', 'category', 'action_type', 'basis'],
    [1, 2, 3, 4],
  ),
  grain('enforcement_counts_by_office_week', ['office_id', 'week_start'], [0, 1]),
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
  for (const { keys, increment, decrement, missing } of GRAINS) {
    const values = keys.map((k) => key[k]);
    if (delta === 1) {
      await tx.manager.query(increment, values);
      continue;
    }
    const [, affected] = (await tx.manager.query(decrement, values)) as [unknown, number];
    if (affected !== 1) throw new Error(missing);
  }
}
