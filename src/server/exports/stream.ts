/**
 * Streams one export (a module's `RowExport`) to an HTTP response: its statement runs through a
 * cursor on a connection of its own, taken from the service's pool for the export's length, in a
 * read-only REPEATABLE READ transaction (one snapshot), a batch of rows at a time. The next batch is
 * read only once the last one is written and the socket has taken it (backpressure), so the
 * process holds one batch, never the answer.
 *
 * An export whose statement gives the file's text itself (`plan.copy`) is written by PostgreSQL
 * (`COPY ... TO STDOUT`, read with `pg-copy-streams`, which stops reading the socket while the
 * response is full): no row is parsed into an object or formatted here. The cursor is for the
 * embedded database and for exports whose rows need the service's own formatting.
 *
 * A client that goes away stops the statement: the cursor is closed (a read in flight is cancelled
 * on a real PostgreSQL with a cancel request, as psql's Ctrl-C), the transaction rolled back and
 * the connection returned to the pool. So does the export's time limit (`EXPORT_TIMEOUT_MS`,
 * enforced here and by the transaction's statement_timeout), after which the response is cut off
 * without its last chunk: a client sees an incomplete transfer, never a short file that looks whole.
 */
import type { Response } from 'express';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { to as copyTo, type CopyToStreamQuery } from 'pg-copy-streams';
import type { RowExport } from '../../common/row-export';
import type { Logger } from '../../logger';
import { CONTENT_TYPES, copyStatement, crlfLines, lineFormat, type ExportFormat } from './format';

/**
 * Rows read a round trip: a batch is formatted into one chunk of a few hundred KB at most (2,500
 * figure rows: about 150 KB of CSV); fewer round trips cost less than the memory they would save.
 */
export const BATCH_ROWS = 2500;

export interface StreamOptions {
  pool: pg.Pool;
  /** False on the embedded database, which takes no cancel requests (it has one session). */
  cancellable: boolean;
  timeoutMs: number;
  log: Logger;
}

export interface StreamOutcome {
  rows: number;
  /** Every row was sent and the response ended. */
  complete: boolean;
  /** Why not: the client went away, the time limit, or a failure (logged). */
  stoppedBy?: 'client' | 'timeout' | 'error';
}

/**
 * Sends a cancel request for the statement `client`'s session is running, on a connection of its
 * own (the protocol's CancelRequest: the session's process id and secret key, no sign-in), as
 * pg's `Client#cancel` does.
 */
function cancelStatement(client: pg.PoolClient, log: Logger): void {
  const { host, port, processID, secretKey } = client as unknown as {
    host: string;
    port: number;
    processID: number;
    secretKey: number;
  };
  const con = new pg.Connection() as pg.Connection & {
    connect(port: number, host: string): void;
    cancel(processID: number, secretKey: number): void;
  };
  con.on('error', (err: unknown) => log.warn({ err }, 'could not cancel an export statement'));
  con.once('connect', () => con.cancel(processID, secretKey));
  con.connect(port, host);
}

/**
 * Runs `plan` and writes it to `res` as `format`. Before the first row is read, a failure is
 * thrown (nothing was sent: the caller answers it as JSON); after, the response is cut off and
 * the outcome says so.
 */
export async function streamExport(
  plan: RowExport,
  format: ExportFormat,
  res: Response,
  opts: StreamOptions,
): Promise<StreamOutcome> {
  const { log } = opts;
  let stoppedBy: StreamOutcome['stoppedBy'];
  let inFlight: Promise<unknown> | null = null;
  let cursor: Cursor | null = null;
  /** A COPY still running: stopping it cancels the statement and closes its connection. */
  let copying: CopyToStreamQuery | null = null;
  const client = await opts.pool.connect();
  // The session may be ended under a checked-out client (a terminated backend): pg then emits an
  // error the pool listens for only while the client is idle. Logged; the next statement fails.
  const onClientError = (err: Error) => log.warn({ err }, 'export connection failed');
  client.on('error', onClientError);
  const stop = (why: 'client' | 'timeout') => {
    if (stoppedBy) return;
    stoppedBy = why;
    if ((inFlight || copying) && opts.cancellable) cancelStatement(client, log);
    // Once the file has begun, only a cut-off tells the client it is incomplete.
    if (why === 'timeout' && res.headersSent) res.destroy();
  };
  const onClose = () => {
    if (!res.writableFinished) stop('client');
  };
  res.on('close', onClose);
  // Gone while the export waited for a connection.
  if (res.closed || res.destroyed) stop('client');
  const timer = setTimeout(() => stop('timeout'), opts.timeoutMs);
  let rows = 0;
  let committed = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const settings = { statement_timeout: `${opts.timeoutMs}ms`, ...plan.settings };
    for (const [name, value] of Object.entries(settings))
      await client.query(`SELECT set_config($1, $2, true)`, [name, value]);
    const startFile = () => {
      res.status(200);
      res.setHeader('content-type', CONTENT_TYPES[format]);
      res.setHeader(
        'content-disposition',
        `attachment; filename="${plan.fileStem}.${format === 'csv' ? 'csv' : 'ndjson'}"`,
      );
      res.setHeader('cache-control', 'no-store');
    };
    if (plan.copy !== undefined && opts.cancellable) {
      copying = client.query(copyTo(copyStatement(plan.copy, format)));
      const text = format === 'csv' ? crlfLines() : (chunk: Buffer) => chunk;
      if (stoppedBy) return { rows, complete: false, stoppedBy };
      for await (const chunk of copying as AsyncIterable<Buffer>) {
        if (stoppedBy) break;
        if (!res.headersSent) startFile();
        if (!res.write(text(chunk)) && !stoppedBy) await drained(res);
      }
      if (stoppedBy) return { rows, complete: false, stoppedBy };
      if (!res.headersSent) startFile();
      rows = copying.rowCount;
      copying = null;
      await client.query('COMMIT');
      committed = true;
      res.end();
      return { rows, complete: true };
    }
    cursor = client.query(new Cursor(plan.sql, plan.params));
    const lines = lineFormat(format, plan.columns);
    const read = async (c: Cursor) => {
      const p = c.read(BATCH_ROWS);
      inFlight = p;
      try {
        return (await p) as Record<string, unknown>[];
      } finally {
        inFlight = null;
      }
    };
    if (stoppedBy) return { rows, complete: false, stoppedBy };
    let batch = await read(cursor);
    if (stoppedBy) return { rows, complete: false, stoppedBy };
    startFile();
    let chunk = lines.header;
    for (;;) {
      for (const row of batch) chunk += lines.line(plan.values(row));
      rows += batch.length;
      if (chunk && !res.write(chunk) && !stoppedBy) await drained(res);
      chunk = '';
      if (stoppedBy || batch.length < BATCH_ROWS) break;
      batch = await read(cursor);
      if (stoppedBy) break;
    }
    if (stoppedBy) return { rows, complete: false, stoppedBy };
    await cursor.close();
    await client.query('COMMIT');
    committed = true;
    res.end();
    return { rows, complete: true };
  } catch (err) {
    if (!res.headersSent && !stoppedBy) throw err;
    if (!stoppedBy) log.error({ err, rows }, 'export failed while streaming; response cut off');
    res.destroy();
    return { rows, complete: false, stoppedBy: stoppedBy ?? 'error' };
  } finally {
    clearTimeout(timer);
    res.off('close', onClose);
    // A COPY stopped half-way leaves its session mid-protocol: the pool closes that connection.
    client.release(
      copying
        ? new Error('export stopped during COPY')
        : await settle(client, cursor, inFlight, committed),
    );
    client.off('error', onClientError);
  }
}

/** Waits until the socket has taken what was written, or the response is gone. */
async function drained(res: Response): Promise<void> {
  if (res.destroyed) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Leaves the connection as the pool gave it: the read in flight settled, the portal closed, the
 * transaction rolled back (a no-op after COMMIT). An error here means the session is in doubt: it
 * is returned as broken, and the pool closes it.
 */
async function settle(
  client: pg.PoolClient,
  cursor: Cursor | null,
  inFlight: Promise<unknown> | null,
  committed: boolean,
): Promise<Error | undefined> {
  try {
    // A failed read already sent its Sync: ROLLBACK queues behind it (pg sends it on ReadyForQuery).
    if (inFlight) await inFlight.catch(() => undefined);
    if (cursor && cursor.state !== 'done' && cursor.state !== 'error') await cursor.close();
    if (!committed) await client.query('ROLLBACK');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
