/**
 * The service's log lines, captured: pass `logs.destination` as the test server's
 * `logDestination` (with `LOG_LEVEL` set) and read back the parsed JSON lines.
 */
import type { DestinationStream } from 'pino';

export interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  [key: string]: unknown;
}

export interface CapturedLogs {
  destination: DestinationStream;
  lines: LogLine[];
  /** Lines with this message (and, if given, this request id). */
  find(msg: string, requestId?: string): LogLine[];
}

export function captureLogs(): CapturedLogs {
  const lines: LogLine[] = [];
  return {
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line) as LogLine);
      },
    },
    lines,
    find(msg, requestId) {
      return lines.filter(
        (l) => l.msg === msg && (requestId === undefined || l.requestId === requestId),
      );
    },
  };
}
