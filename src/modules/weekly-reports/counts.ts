/**
 * Keeps `enforcement_weekly_counts` equal to a direct count of the non-void actions, in the same
 * transaction as the change: +1 when an action is recorded, -1 when it is voided.
 */
import type { RequestContext } from '../../server/context';
import type { EnforcementActionEntity } from '../enforcement-actions/enforcement-action.entity';
import { weekStartOf } from './week';

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
  if (delta === 1) {
    await tx.manager.query(
      `INSERT INTO enforcement_weekly_counts (office_id, week_start, category, action_type, basis, action_count)
       VALUES ($1, $2, $3, $4, $5, 1)
       ON CONFLICT (office_id, week_start, category, action_type, basis)
       DO UPDATE SET action_count = enforcement_weekly_counts.action_count + 1`,
      key,
    );
    return;
  }
  // An upsert of -1 would trip the non-negative check on the proposed row before the conflict is
  // seen; the counted action's row always exists, so this is a plain decrement.
  const [, affected] = (await tx.manager.query(
    `UPDATE enforcement_weekly_counts SET action_count = action_count - 1
      WHERE office_id = $1 AND week_start = $2 AND category = $3 AND action_type = $4 AND basis = $5`,
    key,
  )) as [unknown, number];
  if (affected !== 1) throw new Error('enforcement_weekly_counts has no row for a recorded action');
}
