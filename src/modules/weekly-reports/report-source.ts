/**
 * Where a weekly report's parts are read from, each only when a client selects it: a compiled
 * content in memory (a kept or just compiled draft, a revision just stored), the live records (a
 * big draft week: totals from the counts tables, actions a keyset page at a time), or a stored
 * revision (its parts taken out of the stored JSON by PostgreSQL, the actions a page at a time).
 *
 * The actions of every source are in one order, occurred_at then id, and a cursor is the last
 * action's instant (UTC, milliseconds) and id: a cursor from one read continues on the next, even
 * if the week was submitted in between.
 */
import { decodeCursor, encodeCursor, pageSize } from '../../common/pagination';
import type {
  CountByKey,
  ExigentRow,
  ReportActionRow,
  WeeklyReportContent,
} from './weekly-report.content';

export interface ReportTotals {
  byCategory: CountByKey[];
  byActionType: CountByKey[];
  byBasis: CountByKey[];
  /** Every action of the week (the actions connection's `totalCount`). */
  actions: number;
}

export interface ActionsPage {
  items: ReportActionRow[];
  hasNextPage: boolean;
  totalCount: () => Promise<number>;
}

/** An action's place in the week: its instant and id. */
export interface ActionKey {
  occurredAt: string;
  id: string;
}

export interface ReportSource {
  policyVersions(): Promise<string[]>;
  totals(): Promise<ReportTotals>;
  /** Up to `first` actions strictly after `after`, in time order. */
  actions(first: number, after: ActionKey | null): Promise<ActionsPage>;
  requests(): Promise<WeeklyReportContent['requests']>;
  exigent(): Promise<ExigentRow[]>;
  postActionCounts(): Promise<{ late: number; missing: number }>;
}

/** The page a client asks for, checked: `first` 1 to 200 (default 50), `after` a cursor of this list. */
export function actionsArgs(first?: number | null, after?: string | null) {
  const size = pageSize(first);
  if (!after) return { first: size, after: null };
  const [occurredAt, id] = decodeCursor(after, 'after', ['instant', 'uuid']);
  return { first: size, after: { occurredAt, id } };
}

export function actionCursor(action: ReportActionRow): string {
  return encodeCursor([new Date(action.occurredAt).toISOString(), action.actionId]);
}

/** `a` after `b` in the report's order (instant, then id as PostgreSQL orders uuids). */
function isAfter(a: ReportActionRow, b: ActionKey): boolean {
  const x = Date.parse(a.occurredAt);
  const y = Date.parse(b.occurredAt);
  return x > y || (x === y && a.actionId > b.id);
}

/** Runs `read` once, on first use. */
export function once<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= read());
}

/** A compiled content, whole in memory. */
export function contentSource(content: WeeklyReportContent): ReportSource {
  return {
    policyVersions: () => Promise.resolve(content.policyVersions),
    totals: () =>
      Promise.resolve({
        byCategory: content.totalsByCategory,
        byActionType: content.totalsByActionType,
        byBasis: content.totalsByBasis,
        actions: content.actions.length,
      }),
    actions(first, after) {
      let start = 0;
      if (after) {
        // Actions are in the report's order: the first one after the cursor, by binary search.
        let hi = content.actions.length;
        while (start < hi) {
          const mid = (start + hi) >> 1;
          if (isAfter(content.actions[mid], after)) hi = mid;
          else start = mid + 1;
        }
      }
      return Promise.resolve({
        items: content.actions.slice(start, start + first),
        hasNextPage: content.actions.length > start + first,
        totalCount: () => Promise.resolve(content.actions.length),
      });
    },
    requests: () => Promise.resolve(content.requests),
    exigent: () => Promise.resolve(content.exigent),
    postActionCounts: () =>
      Promise.resolve({
        late: content.latePostActionCount,
        missing: content.missingPostActionCount,
      }),
  };
}
