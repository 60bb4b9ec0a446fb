import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs; every request logs through a child carrying its request id. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'enforcement-priorities' },
    redact: { paths: ['req.headers.authorization', '*.authorization'], remove: true },
  });
}
