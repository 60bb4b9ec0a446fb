/**
 * The draft cache: a week's live draft, kept while the week's version token is unchanged
 * (`report_week_versions`, bumped by triggers on every table the compile reads) and the clock
 * reads it the same.
 */
import type { RequestContext } from '../../common/context';
import type { ScheduleEntry } from '../assessments/policy/engine';
import type { OfficeEntity } from '../users/office.entity';
import { compileWeek, compileWeekTimed } from './weekly-report.compile';
import type { WeeklyReportContent } from './weekly-report.content';
import { versionsOfWeek } from './weekly-report.due';
import { reportDraftCache } from './report.caches';

/**
 * The live draft of a week, reused from the service's draft cache while the week's version token
 * is the one it was compiled under and the clock reads it the same (`token-cache.ts`). The token
 * is read before any record: a change committed after that read gives the week a new token, so a
 * draft that may have missed it is never served again. Inside a transaction (which may have
 * changed the week itself) the draft is always compiled.
 */
export async function liveDraft(
  ctx: RequestContext,
  office: OfficeEntity,
  weekStart: string,
  schedule: ScheduleEntry[],
  token: string | null,
): Promise<WeeklyReportContent> {
  // No token: nothing was ever recorded for the week, and an empty week compiles at once.
  if (ctx.manager.queryRunner?.isTransactionActive || token === null)
    return compileWeek(ctx, office, weekStart);
  const cache = ctx.deps.caches.get(reportDraftCache);
  const key = `${office.id}/${weekStart}`;
  const hit = cache.get(key, token, ctx.clock.now().getTime());
  // The policy schedule can change without touching the week: its versions are read every time.
  if (hit) return { ...hit, policyVersions: versionsOfWeek(schedule, weekStart) };
  const { content, validity } = await compileWeekTimed(ctx, office, weekStart);
  // Weighed by its rows: the actions, the exigent ones again, and the rest.
  cache.set(key, token, content, content.actions.length + content.exigent.length + 1, validity);
  return content;
}
