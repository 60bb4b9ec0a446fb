/** Command-line options and the database guard shared by the synthetic-data scripts. */

export type Options = Record<string, string>;

/** `--name value` and `--name=value` pairs; anything else is an error naming it. */
export function parseOptions(argv: string[], known: string[]): Options {
  const out: Options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !known.includes(match[1])) {
      throw new UsageError(
        `unknown argument "${arg}" (options: ${known.map((k) => `--${k}`).join(', ')})`,
      );
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${match[1]} needs a value`);
    out[match[1]] = value;
  }
  return out;
}

export class UsageError extends Error {}

/**
 * Runs a script's `main` and exits with its code: 2 with the usage after a UsageError, 1 with the
 * stack (and `hint`, if given) after anything else.
 */
export function runScript(
  name: string,
  usage: string,
  main: () => Promise<number>,
  hint?: string,
): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError) {
        console.error(`${name}: ${err.message}\n${usage}`);
        process.exit(2);
      }
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      if (hint) console.error(hint);
      process.exit(1);
    },
  );
}

export function integerOption(
  options: Options,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = options[name];
  if (text === undefined) return fallback;
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/**
 * The PostgreSQL these scripts may write to or load: a real server named by URL (never the
 * embedded one), and never under NODE_ENV=production.
 */
export function realDatabaseUrl(options: Options): string {
  if ((process.env.NODE_ENV ?? '') === 'production') {
    throw new UsageError(
      'refusing to run with NODE_ENV=production: synthetic data is for test databases only',
    );
  }
  const url = options['database-url'] ?? process.env.DATABASE_URL;
  if (!url) {
    throw new UsageError(
      'needs a real PostgreSQL: pass --database-url postgres://user@host:5432/db or set DATABASE_URL',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError('the database URL must look like postgres://user@host:5432/db');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new UsageError(`the database URL must use postgres://, got "${parsed.protocol}"`);
  }
  if (!parsed.hostname || parsed.pathname.length <= 1) {
    throw new UsageError('the database URL must name a host and a database');
  }
  return url;
}

/** The URL without its password, for messages. */
export function displayUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

export const formatInt = (n: number): string => Math.round(n).toLocaleString('en-US');

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h
    ? `${h}h${String(m).padStart(2, '0')}m`
    : m
      ? `${m}m${String(sec).padStart(2, '0')}s`
      : `${sec}s`;
}

/** A one-line progress bar on stderr: redrawn in place on a terminal, a line per update otherwise. */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly unit: string,
  ) {}

  update(done: number, extra: { rows: number }, force = false): void {
    const now = Date.now();
    const tty = process.stderr.isTTY;
    if (!force && now - this.lastDraw < (tty ? 250 : 5000)) return;
    this.lastDraw = now;
    const elapsed = now - this.started;
    const share = this.total ? Math.min(1, done / this.total) : 1;
    const width = 30;
    const filled = Math.round(share * width);
    const rate = elapsed > 0 ? (done / elapsed) * 1000 : 0;
    const rowRate = elapsed > 0 ? (extra.rows / elapsed) * 1000 : 0;
    const eta = rate > 0 ? ((this.total - done) / rate) * 1000 : NaN;
    const line =
      `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(1).padStart(5)}% ` +
      `${formatInt(done)}/${formatInt(this.total)} ${this.unit}, ${formatInt(rate)} ${this.unit}/s, ` +
      `${formatInt(extra.rows)} rows (${formatInt(rowRate)} rows/s), elapsed ${formatDuration(elapsed)}, ` +
      `ETA ${Number.isFinite(eta) ? formatDuration(eta) : '?'}`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  }

  finish(): void {
    if (process.stderr.isTTY) process.stderr.write('\n');
  }
}
