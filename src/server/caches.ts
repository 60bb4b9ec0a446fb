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

export function createCaches(): ServiceCaches {
  return {
    reportDrafts: new TokenCache(200_000),
    approvalFigures: new TokenCache(100_000),
  };
}
