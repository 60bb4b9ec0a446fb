/**
 * Configuration comes from the environment only, validated once at start. A bad value stops the
 * process with a message naming the variable, so a misconfigured deployment never half-starts.
 */
import path from 'node:path';
import {
  ConfigError,
  emptyToUndefined,
  flag,
  milliseconds,
  originList,
  postgresUrl,
  privateAddressPolicy,
  wholeNumber,
} from './config.values';

export { ConfigError } from './config.values';

export interface Config {
  nodeEnv: string;
  production: boolean;
  port: number;
  /** Unset: the embedded PostgreSQL (PGlite) under `dataDir`. The service's own login. */
  databaseUrl: string | undefined;
  /** The owner's login that runs migrations; defaults to `databaseUrl`. */
  migrationDatabaseUrl: string | undefined;
  /** Pool size for a real PostgreSQL; the embedded database always uses one connection. */
  databasePoolSize: number;
  /** Rows of compiled weekly-report drafts kept in memory (about 1 KB each); 0 keeps none. */
  reportDraftCacheRows: number;
  /**
   * How long a signed-in user's row (role, office, active) and the offices `office` fields show
   * are reused across requests, in ms; 0 reads them for every request. A deactivation takes effect at once in the process that made it
   * and within this time in every other.
   */
  callerCacheMs: number;
  /** No request runs longer: its answer is REQUEST_TIMEOUT and its transaction rolls back. */
  requestTimeoutMs: number;
  /**
   * The longest a file export (GET /exports/...) may stream, in ms: past it the statement is
   * cancelled and the response cut off. Exports are not bound by `requestTimeoutMs`.
   */
  exportTimeoutMs: number;
  /** Timeouts on every pooled connection to a real PostgreSQL (see `DatabaseTimeouts`). */
  databaseTimeouts: DatabaseTimeouts;
  jwtSecret: string | undefined;
  /** Keys the audit chain and signs its checkpoints; unset outside production: generated into `dataDir`. */
  auditKey: string | undefined;
  /** Where signed checkpoints of the audit chain head are appended (NDJSON). */
  auditCheckpointPath: string;
  /**
   * How often the audit chainer looks for committed records to link (ms). A process links its own
   * records right after each commit; the poll picks up those of other processes.
   */
  auditChainIntervalMs: number;
  jwksUrl: string | undefined;
  jwtIssuer: string;
  jwtAudience: string;
  dataDir: string;
  logLevel: string;
  /**
   * Requests to /graphql per minute for each user (unauthenticated: each client address); 0 turns
   * the limits off.
   */
  rateLimitPerMinute: number;
  /** How long a mutation's answer is kept under its `Idempotency-Key` (hours). */
  idempotencyKeyTtlHours: number;
  /** Browser origins allowed to call /graphql across origins (CORS_ORIGINS); empty: none. */
  corsOrigins: string[];
  /** Outside production: the service's clock starts at this instant and runs on (demos of past policy). */
  demoClock: Date | undefined;
  /**
   * The most rows the list forms `enforcementStats` and `approvalStats` answer; a bigger answer is
   * refused and left to the paged forms and the exports.
   */
  statsMaxRows: number;
  /**
   * GRAPHQL_IDE: GraphiQL at GET /graphql for browsers (src/server/ide). Default: on outside
   * production, off in production. Introspection is on wherever the IDE is (server/app.ts).
   */
  graphqlIde: boolean;
  /** Deadline jobs (modules/approvals/approval.deadlines.ts). */
  deadlines: DeadlineSettings;
  /** Webhook deliveries (modules/webhooks/webhook.worker.ts). */
  webhooks: WebhookSettings;
}

export interface WebhookSettings {
  /** How long one attempt waits for the receiver's answer (milliseconds). */
  timeoutMs: number;
  /** How often each process looks for deliveries due (milliseconds). */
  pollIntervalMs: number;
  /** The wait after a first failed attempt, doubled after each further one (milliseconds). */
  retryBaseMs: number;
  /** Attempts before a delivery is given up (FAILED). */
  maxAttempts: number;
  /** Only https:// URLs may be registered (production). */
  httpsOnly: boolean;
  /** Whether hooks may point at loopback, private or reserved addresses (webhook.addresses.ts). */
  privateAddresses: 'refuse' | 'allow';
}

export interface DeadlineSettings {
  /** How long before a post-action justification falls due its officer is reminded (hours). */
  reminderHours: number;
  /** How long a pre-approval request may stay pending before it is escalated (hours). */
  escalationHours: number;
  /** How often each process looks for deadlines that fell due (milliseconds). */
  checkIntervalMs: number;
}

/** What the database path may wait for, in milliseconds. */
export interface DatabaseTimeouts {
  /** Server side: any one statement. */
  statementMs: number;
  /** Server side: waiting for a lock (e.g. the audit chain head held by another session). */
  lockMs: number;
  /** Server side: a transaction left open with nothing running is ended (and rolled back). */
  idleInTransactionMs: number;
  /** Client side: opening a connection, or waiting for one from the pool. */
  connectMs: number;
  /**
   * The first connection at start and in the scripts: DATABASE_CONNECT_TIMEOUT_MS when set, else
   * 10 s (a cold server may take a while; a request's pool wait stays short).
   */
  firstConnectMs: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  const production = nodeEnv === 'production';

  const port = wholeNumber(env, 'PORT', 4000, 0, 65535);

  const databaseUrl = postgresUrl(env, 'DATABASE_URL');
  const migrationDatabaseUrl = postgresUrl(env, 'MIGRATION_DATABASE_URL');
  if (migrationDatabaseUrl !== undefined && databaseUrl === undefined) {
    throw new ConfigError(
      'MIGRATION_DATABASE_URL',
      'needs DATABASE_URL (the embedded database sets up its own roles)',
    );
  }

  const databasePoolSize = wholeNumber(env, 'DATABASE_POOL_SIZE', 10, 1, 200);

  const reportDraftCacheRows = wholeNumber(env, 'REPORT_DRAFT_CACHE_ROWS', 50_000, 0, 10_000_000);
  const callerCacheMs = wholeNumber(env, 'CALLER_CACHE_MS', 2000, 0, 60_000);

  const corsOrigins = originList(env.CORS_ORIGINS);

  const statsMaxRows = wholeNumber(env, 'STATS_MAX_ROWS', 10_000, 1, 1_000_000);

  const rateLimitPerMinute = wholeNumber(
    env,
    'RATE_LIMIT_PER_MINUTE',
    600,
    0,
    1_000_000,
    'an integer from 0 (no limit) to 1000000',
  );

  const idempotencyKeyTtlHours = wholeNumber(
    env,
    'IDEMPOTENCY_KEY_TTL_HOURS',
    24,
    1,
    720,
    'an integer from 1 to 720 (30 days)',
  );

  const deadlines: DeadlineSettings = {
    reminderHours: wholeNumber(
      env,
      'JUSTIFICATION_REMINDER_HOURS',
      4,
      1,
      168,
      'an integer from 1 to 168 (hours before the deadline)',
    ),
    escalationHours: wholeNumber(
      env,
      'APPROVAL_ESCALATION_HOURS',
      48,
      1,
      720,
      'an integer from 1 to 720 (hours pending)',
    ),
    checkIntervalMs: milliseconds(env, 'DEADLINE_CHECK_INTERVAL_MS', 15_000, 100, 3_600_000),
  };

  const webhooks: WebhookSettings = {
    timeoutMs: milliseconds(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    pollIntervalMs: milliseconds(env, 'WEBHOOK_POLL_INTERVAL_MS', 1000, 10, 3_600_000),
    retryBaseMs: milliseconds(env, 'WEBHOOK_RETRY_BASE_MS', 10_000, 1, 3_600_000),
    maxAttempts: wholeNumber(env, 'WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
    httpsOnly: production,
    privateAddresses: privateAddressPolicy(env, production),
  };

  const requestTimeoutMs = milliseconds(env, 'REQUEST_TIMEOUT_MS', 10_000, 100, 600_000);
  const exportTimeoutMs = milliseconds(env, 'EXPORT_TIMEOUT_MS', 300_000, 1_000, 3_600_000);
  const auditChainIntervalMs = milliseconds(env, 'AUDIT_CHAIN_INTERVAL_MS', 250, 10, 60_000);
  const databaseTimeouts: DatabaseTimeouts = {
    statementMs: milliseconds(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 100, 3_600_000),
    lockMs: milliseconds(env, 'DATABASE_LOCK_TIMEOUT_MS', 5_000, 100, 3_600_000),
    idleInTransactionMs: milliseconds(
      env,
      'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS',
      15_000,
      1_000,
      3_600_000,
    ),
    connectMs: milliseconds(env, 'DATABASE_CONNECT_TIMEOUT_MS', 3_000, 100, 600_000),
    firstConnectMs: milliseconds(env, 'DATABASE_CONNECT_TIMEOUT_MS', 10_000, 100, 600_000),
  };

  const jwtSecret = emptyToUndefined(env.JWT_SECRET);
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  }
  const jwksUrl = emptyToUndefined(env.JWKS_URL);
  if (jwksUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(jwksUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && !(url.protocol === 'http:' && !production))) {
      throw new ConfigError(
        'JWKS_URL',
        'must be an https:// URL (http:// only outside production)',
      );
    }
  }
  if (production && jwtSecret === undefined && jwksUrl === undefined) {
    throw new ConfigError(
      'JWT_SECRET',
      'or JWKS_URL must be set in production (there is no default secret in production)',
    );
  }

  const auditKey = emptyToUndefined(env.AUDIT_KEY);
  if (auditKey !== undefined && auditKey.length < 32) {
    throw new ConfigError('AUDIT_KEY', 'must be at least 32 characters long');
  }
  if (production && auditKey === undefined) {
    throw new ConfigError('AUDIT_KEY', 'must be set in production (there is no default key)');
  }

  const logLevel = env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      'LOG_LEVEL',
      `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`,
    );
  }

  const demoClockText = emptyToUndefined(env.DEMO_CLOCK);
  let demoClock: Date | undefined;
  if (demoClockText !== undefined) {
    if (production) throw new ConfigError('DEMO_CLOCK', 'is not allowed in production');
    demoClock = new Date(demoClockText);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(demoClockText) || Number.isNaN(demoClock.getTime())) {
      throw new ConfigError(
        'DEMO_CLOCK',
        `must be an ISO 8601 instant such as 2021-06-01T14:00:00Z, got "${demoClockText}"`,
      );
    }
  }

  const graphqlIde = flag(env, 'GRAPHQL_IDE', !production);

  const dataDir = path.resolve(emptyToUndefined(env.DATA_DIR) ?? 'data');
  const checkpointText = emptyToUndefined(env.AUDIT_CHECKPOINT_PATH);
  if (checkpointText !== undefined && checkpointText.endsWith('/')) {
    throw new ConfigError('AUDIT_CHECKPOINT_PATH', 'must name a file, not a directory');
  }

  return {
    nodeEnv,
    production,
    port,
    databaseUrl,
    migrationDatabaseUrl: migrationDatabaseUrl ?? databaseUrl,
    databasePoolSize,
    reportDraftCacheRows,
    callerCacheMs,
    rateLimitPerMinute,
    corsOrigins,
    idempotencyKeyTtlHours,
    deadlines,
    webhooks,
    requestTimeoutMs,
    exportTimeoutMs,
    databaseTimeouts,
    jwtSecret,
    auditKey,
    auditCheckpointPath: path.resolve(dataDir, checkpointText ?? 'audit-checkpoints.ndjson'),
    auditChainIntervalMs,
    jwksUrl,
    jwtIssuer: emptyToUndefined(env.JWT_ISSUER) ?? 'enforcement-priorities',
    jwtAudience: emptyToUndefined(env.JWT_AUDIENCE) ?? 'enforcement-priorities-api',
    dataDir,
    logLevel,
    demoClock,
    statsMaxRows,
    graphqlIde,
  };
}
