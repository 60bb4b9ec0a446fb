/**
 * Starting and stopping the whole service: database (embedded or real), migrations, demo data,
 * GraphQL server. Used by `npm start` and, in-process, by the integration tests.
 */
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import type { DataSource } from 'typeorm';
import { createVerifier, resolveTokenSettings, type TokenSettings } from '../auth/jwt';
import { offsetClock, systemClock, type Clock } from '../clock';
import { ConfigError, type Config } from '../config';
import { createDataSource, onNewConnection, runMigrationsUnbounded } from '../db/data-source';
import { openDatabase } from '../db/open';
import { serviceRoleProblems, SERVICE_ROLE } from '../db/roles';
import { isEmpty, seedDemo } from '../db/seed';
import { createLogger, type Logger } from '../logger';
import { validateTransitionTable } from '../modules/approvals/approval.states';
import { validatePolicyVersions } from '../modules/assessments/policy/validate';
import { FileCheckpointSink, type CheckpointSink } from '../modules/audit/audit.checkpoints';
import { startChainer, type AuditChainer } from '../modules/audit/audit.chainer';
import { startCheckpointer, type Checkpointer } from '../modules/audit/audit.checkpointer';
import { resolveAuditKeys } from '../modules/audit/audit.key';
import { forgetInsertionNumbers } from '../modules/audit/audit.service';
import { createApp } from './app';
import { AvailabilityMonitor } from './availability';
import { createReadiness } from './readiness';
import { ServiceCaches } from '../common/caches';
import type { ServiceDeps } from '../common/context';
import { createRateLimiter } from './rate-limit';
import { buildServedSchemas } from './schema';
import { LiveHub } from '../modules/live/live.hub';
import { startListener, type LiveListener } from '../modules/live/live.listener';
import type { LiveServer } from './live';
import { startDeadlineJobs, type DeadlineJobs } from '../modules/approvals/approval.deadlines';
import { webhookOutbox } from '../modules/webhooks/webhook.outbox';
import { startWebhookWorker, type WebhookWorker } from '../modules/webhooks/webhook.worker';

export interface Service {
  url: string;
  port: number;
  dataSource: DataSource;
  tokens: TokenSettings;
  log: Logger;
  embedded: boolean;
  /** The answers it keeps between requests (hit and miss counts for tests and benchmarks). */
  caches: ServiceCaches;
  /** Signed checkpoints of the audit chain head (`flush()` takes one now if the head moved). */
  checkpointer: Checkpointer;
  /** Links committed audit records into the chain (`chainNow()`: everything committed so far). */
  auditChainer: AuditChainer;
  /** Live updates: this process's event hub and its WebSocket server. */
  live: {
    hub: LiveHub;
    server: LiveServer;
    /**
     * Closes the WebSocket connections (1001), ends every subscription and stops listening for
     * events; idempotent. `stop()` calls it; a shutdown may call it first, before draining HTTP.
     */
    close(): Promise<void>;
  };
  /** Deadline jobs (`runDue()`: run what is due now, as the timer does). */
  deadlines: DeadlineJobs;
  /** Webhook deliveries (`runDue()`: send what is due now, as the timer does). */
  webhooks: WebhookWorker;
  /**
   * Closes everything in the order of `ShutdownStep`s (HTTP, workers, database), each step logged
   * with its time; a failing step is logged and the later ones still run. Called again: the same
   * promise.
   */
  stop(): Promise<void>;
}

/** One thing `Service.stop()` closes; the steps run one after the other, in list order. */
export interface ShutdownStep {
  /** What it closes, as the log line says it: "closed: <name> (12 ms)". */
  name: string;
  run(): Promise<void>;
}

/** Runs the steps in order; every step runs even when an earlier one failed (the first error is rethrown). */
export async function runShutdown(steps: ShutdownStep[], log: Logger): Promise<void> {
  let failure: Error | undefined;
  for (const step of steps) {
    const started = performance.now();
    try {
      await step.run();
      log.info({ step: step.name, ms: elapsed(started) }, `closed: ${step.name}`);
    } catch (err) {
      log.error({ err, step: step.name }, `shutdown: ${step.name} failed`);
      failure ??=
        err instanceof Error ? err : new Error(`shutdown: ${step.name} failed`, { cause: err });
    }
  }
  if (failure) throw failure;
}

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}

export interface ServiceOptions {
  clock?: Clock;
  onQuery?: (sql: string, params?: unknown[]) => void;
  /** Default: outside production, seed demo data into an empty database. */
  seedDemo?: boolean;
  /** Default: the file at AUDIT_CHECKPOINT_PATH. */
  checkpointSink?: CheckpointSink;
  /** How often the audit head is checkpointed when it moved (default 1000 ms). */
  checkpointIntervalMs?: number;
  /** Where log lines go (default stdout): tests capture them. */
  logDestination?: DestinationStream;
}

export async function startService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  // Lifecycles declared as data are checked before anything runs on them.
  validateTransitionTable();
  validatePolicyVersions();
  const log = createLogger(config.logLevel, options.logDestination);
  const clock = options.clock ?? (config.demoClock ? offsetClock(config.demoClock) : systemClock);
  const tokens = resolveTokenSettings(config);
  const auditKeys = resolveAuditKeys(config);
  // Each phase of start-up is logged with its time: a first start on the embedded database
  // (creating it, every migration) takes a while and must not look hung.
  const startedAt = performance.now();
  let phaseAt = startedAt;
  const phase = (name: string, message: string, facts: object = {}) => {
    const now = performance.now();
    log.info({ phase: name, ms: elapsed(phaseAt), ...facts }, message);
    phaseAt = now;
  };
  log.info(
    config.databaseUrl === undefined
      ? `starting: opening the embedded PostgreSQL in ${config.dataDir} (the first start creates it, which takes a while)`
      : 'starting: connecting to PostgreSQL at DATABASE_URL',
  );
  const db = await openDatabase(config, {
    advertise: true,
    onQuery: options.onQuery,
    timeouts: true,
    // Migrations as the owner (MIGRATION_DATABASE_URL); the service's own pool opens after.
    asOwner: async (owner) => {
      phase('database', 'database connected');
      const applied = await runMigrationsUnbounded(owner);
      phase(
        'migrations',
        applied.length ? `migrations applied: ${applied.length}` : 'migrations: none pending',
        applied.length ? { migrations: applied.map((m) => m.name) } : {},
      );
    },
  });
  const monitor = new AvailabilityMonitor(log);
  const readiness = createReadiness({ ...db, monitor });
  let checkpointer: Checkpointer | undefined;
  let checkpointDb: DataSource | undefined;
  let chainer: AuditChainer | undefined;
  let chainDb: DataSource | undefined;
  let hub: LiveHub | undefined;
  let listener: LiveListener | undefined;
  let liveServer: LiveServer | undefined;
  let liveClosing: Promise<void> | undefined;
  let deadlines: DeadlineJobs | undefined;
  let webhooks: WebhookWorker | undefined;
  // Sockets first (clients are told the service is going away), then the hub, then the listener.
  const closeLive = () =>
    (liveClosing ??= (async () => {
      await liveServer?.close();
      hub?.close();
      await listener?.close();
    })());
  // Chain what is committed, then checkpoint that head.
  const closeCheckpoints = async () => {
    await chainer?.stop();
    if (chainDb?.isInitialized) await chainDb.destroy();
    await checkpointer?.stop();
    if (checkpointDb?.isInitialized) await checkpointDb.destroy();
  };
  try {
    await checkServiceRole(db.dataSource, config, log);
    if ((options.seedDemo ?? !config.production) && (await isEmpty(db.dataSource))) {
      const seeded = await seedDemo(db.dataSource, clock, log, auditKeys);
      phase('seed', 'demo data seeded into the empty database', seeded);
    } else {
      phase('seed', 'seed: skipped (the database holds data, or seeding is off)');
    }
    const checkpointSink =
      options.checkpointSink ?? new FileCheckpointSink(config.auditCheckpointPath);
    // Its own connection on a real PostgreSQL: checkpoints keep going when the request pool is
    // busy, and its statements are not the requests' (the embedded database has one session).
    if (config.databaseUrl !== undefined) {
      checkpointDb = createDataSource({ url: config.databaseUrl, poolSize: 1 });
      await checkpointDb.initialize();
    }
    // The chainer too has its own connection on a real PostgreSQL (with the service's timeouts),
    // and shares the embedded database's one connection, taking it only while it chains.
    if (config.databaseUrl !== undefined) {
      chainDb = createDataSource({
        url: config.databaseUrl,
        poolSize: 1,
        timeouts: config.databaseTimeouts,
      });
      await chainDb.initialize();
    }
    chainer = startChainer({
      dataSource: chainDb ?? db.dataSource,
      keys: auditKeys,
      log,
      intervalMs: config.auditChainIntervalMs,
    });
    // Records committed while no service ran (seeds, scripts) are linked before the first checkpoint.
    await chainer.chainNow().catch((err: unknown) => {
      log.warn({ err }, 'audit records not chained at start; the chainer keeps trying');
    });
    checkpointer = await startCheckpointer({
      dataSource: checkpointDb ?? db.dataSource,
      keys: auditKeys,
      sink: checkpointSink,
      log,
      intervalMs: options.checkpointIntervalMs ?? 1000,
    });
    const schemas = await buildServedSchemas();
    const caches = new ServiceCaches({
      reportDrafts: config.reportDraftCacheRows,
      callers: config.callerCacheMs,
    });
    onNewConnection(db.dataSource, () => forgetInsertionNumbers(caches));
    // Events between processes go through PostgreSQL NOTIFY, heard on a connection of this
    // process's own; the embedded database has one process, so they stay in memory.
    hub = new LiveHub({
      dataSource: db.dataSource,
      caches,
      log,
      mode: db.embedded ? 'memory' : 'notify',
    });
    if (!db.embedded) {
      const liveHub = hub;
      listener = startListener(
        db.url,
        (payload) => liveHub.receive(payload),
        log,
        () => liveHub.resync(),
      );
      // Not listening yet (the database refused a second connection): it keeps trying.
      const waited = await Promise.race([
        listener.ready.then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000).unref()),
      ]);
      if (!waited) log.warn('live-event listener not connected yet; it keeps trying');
    }
    const deps: ServiceDeps = {
      dataSource: db.dataSource,
      clock,
      log,
      caches,
      auditKeys,
      checkpointSink,
      auditChainer: chainer,
      live: hub,
      // Every request event is also a webhook delivery, written in the event's transaction.
      liveOutboxes: [webhookOutbox],
      statsMaxRows: config.statsMaxRows,
    };
    // Deliveries enqueued while no service ran are sent now; new ones as their writes commit.
    const worker = startWebhookWorker(deps, config.webhooks);
    webhooks = worker;
    deps.webhookWorker = worker;
    const { httpServer, apollo, live } = await createApp({
      deps,
      liveHub: hub,
      schemas,
      verifier: createVerifier(tokens),
      production: config.production,
      rateLimiter: createRateLimiter(
        config.rateLimitPerMinute,
        db.embedded ? undefined : db.dataSource,
      ),
      idempotencyKeyTtlHours: config.idempotencyKeyTtlHours,
      corsOrigins: config.corsOrigins,
      exports: { timeoutMs: config.exportTimeoutMs, embedded: db.embedded },
      ide: config.graphqlIde,
      budget: {
        requestMs: config.requestTimeoutMs,
        statementMs: db.embedded ? Infinity : config.databaseTimeouts.statementMs,
      },
      monitor,
      readiness,
    });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, '0.0.0.0', () => resolve());
    });
    liveServer = live;
    // Reminders, overdue justifications and escalations; what fell due while down runs now.
    deadlines = startDeadlineJobs(deps, config.deadlines);
    const port = (httpServer.address() as AddressInfo).port;
    phase('listening', `listening on port ${port}`, { port, totalMs: elapsed(startedAt) });
    // What stop() closes, in this order. Background workers go after HTTP (requests may still hand
    // them work while they drain) and before the database they write to.
    const shutdown: ShutdownStep[] = [
      // Stop accepting, let in-flight requests finish (the drain plugin, bounded by the request
      // timeout), close idle keep-alive connections.
      { name: 'http', run: () => apollo.stop() },
      // WebSocket subscriptions are told the service is going away (1001; the drain above has
      // done so already), and the event listener stops.
      { name: 'live updates', run: closeLive },
      { name: 'deadline jobs', run: async () => deadlines?.stop() },
      // Attempts in flight are aborted and recorded as failed (retried by the next start).
      { name: 'webhook deliveries', run: async () => webhooks?.stop() },
      { name: 'readiness probe', run: () => readiness.close() },
      // Chain what the requests committed, then checkpoint that head.
      { name: 'audit chainer and checkpointer', run: closeCheckpoints },
      // The pool, and the embedded database (its socket server and PGlite) when it is ours.
      { name: 'database', run: () => db.close() },
    ];
    let stopping: Promise<void> | undefined;
    return {
      url: `http://localhost:${port}/graphql`,
      port,
      dataSource: db.dataSource,
      tokens,
      log,
      embedded: db.embedded,
      caches,
      checkpointer: checkpointer,
      auditChainer: chainer,
      live: { hub, server: live, close: closeLive },
      deadlines,
      webhooks: worker,
      stop() {
        stopping ??= runShutdown(shutdown, log);
        return stopping;
      },
    };
  } catch (err) {
    await deadlines?.stop();
    await webhooks?.stop();
    await closeLive();
    await readiness.close();
    await closeCheckpoints();
    await db.close();
    throw err;
  }
}

/**
 * The service must not be able to rewrite the audit log. In production a login that could is
 * refused (naming DATABASE_URL); elsewhere it is a warning, so a laptop on `postgres` still starts.
 */
async function checkServiceRole(dataSource: DataSource, config: Config, log: Logger) {
  const problems = await serviceRoleProblems(dataSource);
  if (!problems.length) return;
  if (config.production) {
    throw new ConfigError(
      'DATABASE_URL',
      `must log in as a member of ${SERVICE_ROLE} that cannot rewrite the audit log: ${problems.join('; ')}`,
    );
  }
  log.warn(
    { problems },
    `the service's database login can rewrite the audit log; use a member of ${SERVICE_ROLE} (README: Database roles)`,
  );
}
