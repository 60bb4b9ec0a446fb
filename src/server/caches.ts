/** The answers a running service keeps between requests (see `token-cache.ts`). */
import type { ApprovalStatsRow } from '../modules/weekly-reports/stats.service';
import type { WeeklyReportContent } from '../modules/weekly-reports/weekly-report.content';
import { TokenCache } from './token-cache';

export interface ServiceCaches {
  /** Compiled weekly-report drafts per office-week, weighed by their rows. */
  reportDrafts: TokenCache<WeeklyReportContent>;
  /** approvalStats answers per scope, filter and grouping, weighed by their rows. */
  approvalFigures: TokenCache<ApprovalStatsRow[]>;
}

/**
 * `reportDraftRows`: a draft row takes about 1 KB of memory (950 bytes measured over 40 drafts of
 * 94,705 rows), so the default 50,000 is about 50 MB, some 20 busy office-weeks. An approvalStats
 * row is a few hundred bytes, and an answer at most a few thousand rows.
 */
export function createCaches(options: { reportDraftRows?: number } = {}): ServiceCaches {
  return {
    reportDrafts: new TokenCache(options.reportDraftRows ?? 50_000),
    approvalFigures: new TokenCache(20_000),
  };
}
