/**
 * GET /exports/enforcement-stats, /exports/approval-stats and /exports/weekly-report: the figures
 * and a weekly report's actions as CSV or NDJSON files, streamed (stream.ts). The same bearer
 * token, permission (ReadReports: supervisors their office, headquarters all) and office scope as
 * the GraphQL operations, the same modules deciding them. Every failure before the first byte is a
 * JSON body shaped like the service's other HTTP errors: 401 no or bad token, 403 a role without
 * reports, 400 a bad parameter (`extensions.field` names it), 404 an office or revision the caller
 * may not see, 503 an outage or the time limit. Each export is audited twice (kind READ): before
 * its first byte (who, what was asked, which offices), and when it ends (rows sent, complete or
 * why not).
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Pool } from 'pg';
import type { Caller } from '../../auth/caller';
import { hasPermission, Permission } from '../../auth/permissions';
import { RequestContext, type ServiceDeps } from '../../common/context';
import { Deadline } from '../../common/deadline';
import {
  AppError,
  databaseFailure,
  ErrorCode,
  forbidden,
  requestTimeout,
  unauthenticated,
  type Unavailability,
} from '../../common/errors';
import type { RowExport } from '../../common/row-export';
import { AuditKind } from '../../modules/audit/audit.entity';
import { writeAudit } from '../../modules/audit/audit.service';
import {
  approvalStatsExport,
  enforcementStatsExport,
  weeklyReportExport,
} from '../../modules/weekly-reports/exports';
import { RETRY_AFTER_SECONDS, type AvailabilityMonitor } from '../availability';
import { requestLocals, sendError } from '../http';
import type { ExportFormat } from './format';
import { reportParams, statsParams } from './params';
import { streamExport, type StreamOutcome } from './stream';

export interface ExportOptions {
  deps: ServiceDeps;
  monitor: AvailabilityMonitor;
  /** The caller of an Authorization header (app.ts's, as for /graphql). */
  authenticate(
    header: string | undefined,
  ): Promise<{ caller: Caller | null; authError: AppError | null }>;
  /** The budget of the work before the first byte, and the pool connections' statement_timeout. */
  budget: { requestMs: number; statementMs: number };
  /** EXPORT_TIMEOUT_MS: the longest an export may stream. */
  timeoutMs: number;
  /** The embedded database: one session, no cancel requests. */
  embedded: boolean;
}

type Build = (
  ctx: RequestContext,
  query: Request['query'],
) => Promise<{ plan: RowExport; format: ExportFormat }>;

const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.REQUEST_TIMEOUT]: 503,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/** An error before the first byte, answered as JSON with its code (and field). */
function answerError(res: Response, err: unknown, monitor: AvailabilityMonitor): void {
  const known = err instanceof AppError ? err : databaseFailure(err);
  const status = known ? STATUS[known.code] : undefined;
  if (!known || status === undefined) {
    requestLocals(res).log.error({ err }, 'unexpected error in an export');
    sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error.');
    return;
  }
  if (known.code === ErrorCode.SERVICE_UNAVAILABLE)
    monitor.unavailable(known.details.reason as Unavailability, err);
  if (status === 503) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
  sendError(res, status, known.code, known.message, known.details);
}

function exportHandler(options: ExportOptions, build: Build): RequestHandler {
  const { deps, monitor, budget } = options;
  const pool = (deps.dataSource.driver as unknown as { master: Pool }).master;
  return async (req, res) => {
    const { requestId, log } = requestLocals(res);
    try {
      const { caller, authError } = await options.authenticate(req.headers.authorization);
      if (!caller) throw authError ?? unauthenticated();
      if (!hasPermission(caller.role, Permission.ReadReports))
        throw forbidden(
          'Your role may not read reports or figures (supervisors and headquarters).',
        );
      const ctx = new RequestContext({ ...deps, log }, requestId, caller, null);
      ctx.deadline = new Deadline(budget.requestMs, budget.statementMs);
      const { plan, format } = await build(ctx, req.query);
      const { audit } = plan;
      const entry = {
        kind: AuditKind.READ,
        operation: audit.operation,
        recordType: audit.recordType,
        recordIds: audit.recordIds,
        officeIds: audit.officeIds,
      };
      // No record, no file: committed before a connection is taken for the rows.
      await writeAudit(ctx, { ...entry, change: { ...audit.request, format, phase: 'STARTED' } });
      const ended = async (outcome: StreamOutcome) => {
        log.info({ export: audit.operation, ...outcome }, 'export ended');
        try {
          await writeAudit(ctx, {
            ...entry,
            change: {
              format,
              phase: 'ENDED',
              rows: outcome.rows,
              complete: outcome.complete,
              stoppedBy: outcome.stoppedBy ?? null,
            },
          });
        } catch (err) {
          log.error({ err }, 'could not audit the end of an export');
        }
      };
      let outcome: StreamOutcome;
      try {
        outcome = await streamExport(plan, format, res, {
          pool,
          cancellable: !options.embedded,
          timeoutMs: options.timeoutMs,
          log,
        });
      } catch (err) {
        // Failed before its first byte: answered below as JSON, recorded as ended without rows.
        await ended({ rows: 0, complete: false, stoppedBy: 'error' });
        throw err;
      }
      if (!res.headersSent && outcome.stoppedBy === 'timeout')
        answerError(res, requestTimeout(options.timeoutMs), monitor);
      await ended(outcome);
    } catch (err) {
      if (res.headersSent) {
        log.error({ err }, 'export failed after its first byte');
        res.destroy();
        return;
      }
      answerError(res, err, monitor);
    }
  };
}

/** The three routes, by path (app.ts mounts them after the rate limit). */
export function exportHandlers(options: ExportOptions): Record<string, RequestHandler> {
  return {
    '/exports/enforcement-stats': exportHandler(options, async (ctx, query) => {
      const { filter, groupBy, format } = statsParams(query);
      return { plan: await enforcementStatsExport(ctx, filter, groupBy), format };
    }),
    '/exports/approval-stats': exportHandler(options, async (ctx, query) => {
      const { filter, groupBy, format } = statsParams(query);
      return { plan: await approvalStatsExport(ctx, filter, groupBy), format };
    }),
    '/exports/weekly-report': exportHandler(options, async (ctx, query) => {
      const { format, ...args } = reportParams(query);
      return { plan: await weeklyReportExport(ctx, args), format };
    }),
  };
}
