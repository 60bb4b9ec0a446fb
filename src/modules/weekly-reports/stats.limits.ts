/**
 * How big an answer the list forms of the figures give (`STATS_MAX_ROWS`, set by the composition
 * root through `ServiceDeps`), and the refusal above it, which names where a bigger answer is
 * found: the paged form of the same operation and the export over HTTP.
 */
import type { RequestContext } from '../../common/context';
import { badInput } from '../../common/errors';

declare module '../../common/context' {
  interface ServiceDeps {
    /** The most rows `enforcementStats` and `approvalStats` answer (default 10,000). */
    statsMaxRows?: number;
  }
}

export const DEFAULT_STATS_MAX_ROWS = 10_000;

export function statsMaxRows(ctx: RequestContext): number {
  return ctx.deps.statsMaxRows ?? DEFAULT_STATS_MAX_ROWS;
}

/** Where each list form's big answers go instead. */
const ELSEWHERE = {
  enforcementStats: { paged: 'enforcementStatsPage', export: '/exports/enforcement-stats' },
  approvalStats: { paged: 'approvalStatsPage', export: '/exports/approval-stats' },
} as const;

/** BAD_USER_INPUT on `groupBy`: the grouping over this range gives more rows than the list form answers. */
export function tooManyRows(operation: keyof typeof ELSEWHERE, max: number) {
  const { paged, export: path } = ELSEWHERE[operation];
  return badInput(
    'groupBy',
    `this grouping over this range gives more than ${max.toLocaleString('en-US')} rows, ` +
      `more than ${operation} answers (STATS_MAX_ROWS): page through it with ${paged} ` +
      `(first, after), or download it whole from GET ${path} (CSV or NDJSON)`,
  );
}
