import { badInput } from '../../common/errors';
import { isCalendarDate } from '../../common/calendar';

/**
 * The one check of a `from`–`to` filter (reports and figures), before any loop or query: both
 * calendar dates in the scalar's year range, `from` not after `to`.
 */
export function checkDateRange(filter: { from: string; to: string }): void {
  for (const [field, date] of [
    ['filter.from', filter.from],
    ['filter.to', filter.to],
  ] as const) {
    if (!isCalendarDate(date)) throw badInput(field, 'is not a date in the years 1900–2199');
  }
  if (filter.from > filter.to) throw badInput('filter.from', 'is after filter.to');
}
