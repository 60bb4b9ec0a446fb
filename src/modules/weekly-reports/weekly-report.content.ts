/** The compiled content of a weekly report: plain JSON, stored as is in a revision. No subject identity. */

export interface ReportActionRow {
  actionId: string;
  type: string;
  /** Local wall-clock time in the office's zone, with offset. */
  occurredAt: string;
  location: string;
  category: string;
  basis: string;
  policyVersion: string;
  /** The request's justification (PREAPPROVED), the post-action justification (EXIGENT), or the presumption (PRESUMED_PRIORITY, ASSESSED). */
  justification: string | null;
  /** Who approved or ratified; null for a presumed priority. */
  approver: string | null;
}

export interface CountByKey {
  key: string;
  count: number;
}

export interface ExigentRow {
  actionId: string;
  occurredAt: string;
  justificationDueAt: string;
  justificationSubmittedAt: string | null;
  /** ON_TIME, LATE, MISSING (past due, none yet) or PENDING (not yet due). */
  justification: 'ON_TIME' | 'LATE' | 'MISSING' | 'PENDING';
  ratification: string;
}

export interface WeeklyReportContent {
  officeCode: string;
  timeZone: string;
  weekStart: string;
  /** The week's bounds as instants. */
  from: string;
  to: string;
  policyVersions: string[];
  actions: ReportActionRow[];
  totalsByCategory: CountByKey[];
  totalsByActionType: CountByKey[];
  totalsByBasis: CountByKey[];
  requests: {
    made: number;
    approved: number;
    denied: number;
    pending: number;
    withdrawn: number;
    medianDecisionHours: number | null;
  };
  exigent: ExigentRow[];
  latePostActionCount: number;
  missingPostActionCount: number;
}
