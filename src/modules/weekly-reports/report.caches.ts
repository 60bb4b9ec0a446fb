/** The weekly-report module's answers kept between requests (see `common/caches.ts`). */
import { serviceCache } from '../../common/caches';
import { TokenCache } from '../../common/token-cache';
import type { WeeklyReportContent } from './weekly-report.content';

/**
 * Compiled weekly-report drafts per office-week, weighed by their rows. A draft row takes about
 * 1 KB of memory (950 bytes measured over 40 drafts of 94,705 rows), so the default 50,000 is about
 * 50 MB, some 20 busy office-weeks (`REPORT_DRAFT_CACHE_ROWS` sizes it).
 */
export const reportDraftCache = serviceCache(
  'reportDrafts',
  (rows) => new TokenCache<WeeklyReportContent>(rows ?? 50_000),
);
