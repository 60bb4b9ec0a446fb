/**
 * Deadlines as jobs, derived from the requests themselves: a reminder JUSTIFICATION_REMINDER_HOURS
 * before a post-action justification falls due, the overdue event at the due instant, and the
 * escalation of a pre-approval request pending APPROVAL_ESCALATION_HOURS. The requests are the
 * schedule (a justification submitted or a decision made simply leaves nothing due), so there is
 * no second queue to keep in step with them; `approval_deadline_runs` records each job that ran.
 *
 * Each process looks for due jobs every DEADLINE_CHECK_INTERVAL_MS and once at start (a job that
 * fell due while no service ran runs then). One statement claims them: the INSERT of their runs,
 * whose unique key (request, kind) lets exactly one of several processes claim a job (the others'
 * inserts wait on its key, then skip it). In the same transaction, each claimed job's audit record
 * (SYSTEM) and live event are written: a job either ran whole or not at all, and runs again if its
 * transaction rolled back.
 */
import type { DeadlineSettings } from '../../config';
import { inTransaction, RequestContext, type ServiceDeps } from '../../common/context';
import { AuditKind } from '../audit/audit.entity';
import { auditCommitted, writeAudit } from '../audit/audit.service';
import { LiveEventKind } from '../live/live.events';
import { publishLive } from '../live/live.publish';
import { DeadlineKind } from './approval-deadline.entity';

/** Jobs claimed per transaction; a longer backlog (after downtime) takes several. */
const BATCH = 200;

export interface DeadlineRun {
  requestId: string;
  officeId: string;
  kind: DeadlineKind;
  dueAt: Date;
}

const EVENT: Record<DeadlineKind, LiveEventKind> = {
  [DeadlineKind.JUSTIFICATION_DUE_SOON]: LiveEventKind.JUSTIFICATION_DUE_SOON,
  [DeadlineKind.JUSTIFICATION_OVERDUE]: LiveEventKind.JUSTIFICATION_OVERDUE,
  [DeadlineKind.ESCALATED]: LiveEventKind.ESCALATED,
};

/**
 * Every job due by the clock's now and not run yet, in one statement: reminders only while the
 * deadline is still ahead (after it, the overdue job says more), overdue and escalation jobs as
 * long as the request still waits.
 */
const CLAIM_DUE = `
  INSERT INTO approval_deadline_runs (request_id, office_id, kind, due_at, ran_at)
  SELECT due.id, due.office_id, due.kind, due.due_at, $1
    FROM (
      SELECT r.id, r.office_id, 'JUSTIFICATION_DUE_SOON'::approval_deadline_kind AS kind,
             r.justification_due_at - make_interval(hours => $2) AS due_at
        FROM approval_requests r
       WHERE r.status = 'PENDING' AND r.kind = 'POST_ACTION' AND r.justification IS NULL
         AND r.justification_due_at - make_interval(hours => $2) <= $1
         AND r.justification_due_at > $1
      UNION ALL
      SELECT r.id, r.office_id, 'JUSTIFICATION_OVERDUE'::approval_deadline_kind,
             r.justification_due_at
        FROM approval_requests r
       WHERE r.status = 'PENDING' AND r.kind = 'POST_ACTION' AND r.justification IS NULL
         AND r.justification_due_at <= $1
      UNION ALL
      SELECT r.id, r.office_id, 'ESCALATED'::approval_deadline_kind,
             r.requested_at + make_interval(hours => $3)
        FROM approval_requests r
       WHERE r.status = 'PENDING' AND r.kind <> 'POST_ACTION'
         AND r.requested_at + make_interval(hours => $3) <= $1
    ) due
   WHERE NOT EXISTS (
           SELECT 1 FROM approval_deadline_runs d WHERE d.request_id = due.id AND d.kind = due.kind)
   ORDER BY due.due_at
   LIMIT ${BATCH}
  ON CONFLICT (request_id, kind) DO NOTHING
  RETURNING request_id, office_id, kind, due_at`;

/** Claims and runs one batch of due jobs in one transaction: the jobs it ran. */
export async function runDueBatch(
  ctx: RequestContext,
  settings: Pick<DeadlineSettings, 'reminderHours' | 'escalationHours'>,
): Promise<DeadlineRun[]> {
  const runs = await inTransaction(ctx, async (tx) => {
    const now = tx.clock.now();
    const rows = (await tx.manager.query(CLAIM_DUE, [
      now,
      settings.reminderHours,
      settings.escalationHours,
    ])) as { request_id: string; office_id: string; kind: DeadlineKind; due_at: Date }[];
    const claimed = rows.map((r) => ({
      requestId: r.request_id,
      officeId: r.office_id,
      kind: r.kind,
      dueAt: new Date(r.due_at),
    }));
    for (const run of claimed) {
      await writeAudit(tx, {
        kind: AuditKind.SYSTEM,
        operation: `deadline:${run.kind}`,
        recordType: 'ApprovalRequest',
        recordIds: [run.requestId],
        officeIds: [run.officeId],
        change: {
          dueAt: run.dueAt.toISOString(),
          ranAt: now.toISOString(),
          ...(run.kind === DeadlineKind.JUSTIFICATION_DUE_SOON
            ? { reminderHours: settings.reminderHours }
            : {}),
          ...(run.kind === DeadlineKind.ESCALATED
            ? { escalationHours: settings.escalationHours }
            : {}),
        },
      });
      await publishLive(tx, {
        kind: EVENT[run.kind],
        requestId: run.requestId,
        officeId: run.officeId,
      });
    }
    return claimed;
  });
  if (runs.length) auditCommitted(ctx);
  return runs;
}

export interface DeadlineJobs {
  /** Runs every job due now (by the service's clock), batch after batch: the jobs this call ran. */
  runDue(): Promise<DeadlineRun[]>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** Starts this process's deadline jobs: one run now, then every `checkIntervalMs`. */
export function startDeadlineJobs(deps: ServiceDeps, settings: DeadlineSettings): DeadlineJobs {
  const ctx = new RequestContext(deps, 'deadline-jobs', null, null);
  let current: Promise<DeadlineRun[]> | null = null;
  let stopped = false;
  const runDue = (): Promise<DeadlineRun[]> => {
    // One run at a time in a process; a call during a run waits for it, then runs again.
    const previous = current ?? Promise.resolve([]);
    const next = previous
      .catch(() => [])
      .then(async () => {
        const all: DeadlineRun[] = [];
        for (;;) {
          const batch = await runDueBatch(ctx, settings);
          all.push(...batch);
          if (batch.length < BATCH || stopped) return all;
        }
      });
    current = next;
    return next;
  };
  const tick = () => {
    runDue().catch((err: unknown) => {
      deps.log.warn({ err }, 'deadline jobs did not run; they run at the next check');
    });
  };
  const timer = setInterval(tick, settings.checkIntervalMs);
  timer.unref();
  tick();
  return {
    runDue,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current?.catch(() => []);
    },
  };
}
