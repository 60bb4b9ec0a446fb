import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs; every request logs through a child carrying its request id. To stdout, or to
 * `destination` (tests read the lines back).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'enforcement-priorities' },
    redact: { paths: ['req.headers.authorization', '*.authorization'], remove: true },
  };
  return destination ? pino(options, destination) : pino(options);
}
