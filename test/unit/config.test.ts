import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

const SECRET = 'a'.repeat(32);
const AUDIT_KEY = 'k'.repeat(32);

/** The ConfigError `loadConfig(env)` throws (failing the test if it throws nothing or something else). */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

function expectRefused(env: NodeJS.ProcessEnv, variable: string): void {
  const err = configError(env);
  expect(err.variable).toBe(variable);
  expect(err.message).toContain(variable);
}

describe('loadConfig', () => {
  test('defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      production: false,
      port: 4000,
      databaseUrl: undefined,
      databasePoolSize: 10,
      jwtSecret: undefined,
      jwtIssuer: 'enforcement-priorities',
      jwtAudience: 'enforcement-priorities-api',
      logLevel: 'info',
    });
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
  });

  test.each(['abc', '-1', '65536', '80.5', '', ' 80', '1e3'])('PORT %p is refused', (port) => {
    expectRefused({ PORT: port }, 'PORT');
  });

  test.each([
    ['0', 0],
    ['8080', 8080],
    ['65535', 65535],
  ])('PORT %p is accepted', (text, port) => {
    expect(loadConfig({ PORT: text }).port).toBe(port);
  });

  test.each(['not a url', 'localhost:5432/db', 'mysql://user@host:3306/db', 'http://host:5432/db'])(
    'DATABASE_URL %p is refused',
    (url) => {
      expectRefused({ DATABASE_URL: url }, 'DATABASE_URL');
    },
  );

  test('DATABASE_URL postgres:// and postgresql:// are accepted; empty means embedded', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@h:5432/db' }).databaseUrl).toBe(
      'postgres://u:p@h:5432/db',
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h/db' }).databaseUrl).toBe(
      'postgresql://u@h/db',
    );
    expect(loadConfig({ DATABASE_URL: '  ' }).databaseUrl).toBeUndefined();
  });

  test.each(['0', '201', 'ten', '-5'])('DATABASE_POOL_SIZE %p is refused', (size) => {
    expectRefused({ DATABASE_POOL_SIZE: size }, 'DATABASE_POOL_SIZE');
  });

  test.each(['-1', 'many', '1e5', '10000001'])('REPORT_DRAFT_CACHE_ROWS %p is refused', (rows) => {
    expectRefused({ REPORT_DRAFT_CACHE_ROWS: rows }, 'REPORT_DRAFT_CACHE_ROWS');
  });

  test('REPORT_DRAFT_CACHE_ROWS: 50,000 by default; 0 keeps no draft', () => {
    expect(loadConfig({}).reportDraftCacheRows).toBe(50_000);
    expect(loadConfig({ REPORT_DRAFT_CACHE_ROWS: '0' }).reportDraftCacheRows).toBe(0);
  });

  test.each(['0', '-1', 'many', '1e4', '1000001'])('STATS_MAX_ROWS %p is refused', (rows) => {
    expectRefused({ STATS_MAX_ROWS: rows }, 'STATS_MAX_ROWS');
  });

  test('STATS_MAX_ROWS: 10,000 by default', () => {
    expect(loadConfig({}).statsMaxRows).toBe(10_000);
    expect(loadConfig({ STATS_MAX_ROWS: '25' }).statsMaxRows).toBe(25);
  });

  test.each(['-1', 'lots', '1e3', '60.5', '', '1000001'])(
    'RATE_LIMIT_PER_MINUTE %p is refused',
    (rate) => {
      expectRefused({ RATE_LIMIT_PER_MINUTE: rate }, 'RATE_LIMIT_PER_MINUTE');
    },
  );

  test('RATE_LIMIT_PER_MINUTE: 600 by default; 0 turns the limits off', () => {
    expect(loadConfig({}).rateLimitPerMinute).toBe(600);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute).toBe(0);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '30' }).rateLimitPerMinute).toBe(30);
  });

  test.each(['0', '-1', '721', '1.5', 'a day', '1e2'])(
    'IDEMPOTENCY_KEY_TTL_HOURS %p is refused',
    (hours) => {
      expectRefused({ IDEMPOTENCY_KEY_TTL_HOURS: hours }, 'IDEMPOTENCY_KEY_TTL_HOURS');
    },
  );

  test('IDEMPOTENCY_KEY_TTL_HOURS: 24 by default, 1 to 720 accepted', () => {
    expect(loadConfig({}).idempotencyKeyTtlHours).toBe(24);
    expect(loadConfig({ IDEMPOTENCY_KEY_TTL_HOURS: '1' }).idempotencyKeyTtlHours).toBe(1);
    expect(loadConfig({ IDEMPOTENCY_KEY_TTL_HOURS: '720' }).idempotencyKeyTtlHours).toBe(720);
  });

  test('timeouts: sane defaults, each settable', () => {
    const config = loadConfig({});
    expect(config.requestTimeoutMs).toBe(10_000);
    expect(config.databaseTimeouts).toEqual({
      statementMs: 10_000,
      lockMs: 5_000,
      idleInTransactionMs: 15_000,
      connectMs: 3_000,
      // A start-up without DATABASE_CONNECT_TIMEOUT_MS waits 10 s for its first connection.
      firstConnectMs: 10_000,
    });
    const set = loadConfig({
      REQUEST_TIMEOUT_MS: '2500',
      DATABASE_STATEMENT_TIMEOUT_MS: '4000',
      DATABASE_LOCK_TIMEOUT_MS: '300',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '60000',
      DATABASE_CONNECT_TIMEOUT_MS: '750',
    });
    expect(set.requestTimeoutMs).toBe(2500);
    expect(set.databaseTimeouts).toEqual({
      statementMs: 4000,
      lockMs: 300,
      idleInTransactionMs: 60_000,
      connectMs: 750,
      firstConnectMs: 750,
    });
  });

  test.each([
    ['REQUEST_TIMEOUT_MS', '0'],
    ['REQUEST_TIMEOUT_MS', '10s'],
    ['REQUEST_TIMEOUT_MS', '600001'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '0'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '-1'],
    ['DATABASE_LOCK_TIMEOUT_MS', '99'],
    ['DATABASE_LOCK_TIMEOUT_MS', '1.5'],
    ['DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', '500'],
    ['DATABASE_CONNECT_TIMEOUT_MS', ''],
    ['DATABASE_CONNECT_TIMEOUT_MS', 'soon'],
  ])('%s %p is refused', (variable, value) => {
    expectRefused({ [variable]: value }, variable);
  });

  test('a JWT_SECRET shorter than 32 characters is refused, in any environment', () => {
    expectRefused({ JWT_SECRET: 'short' }, 'JWT_SECRET');
    expectRefused({ JWT_SECRET: 'x'.repeat(31) }, 'JWT_SECRET');
    expectRefused({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(31) }, 'JWT_SECRET');
    expect(loadConfig({ JWT_SECRET: 'x'.repeat(32) }).jwtSecret).toBe('x'.repeat(32));
  });

  test('production without JWT_SECRET or JWKS_URL is refused', () => {
    const err = configError({ NODE_ENV: 'production' });
    expect(err.variable).toBe('JWT_SECRET');
    expect(err.message).toContain('JWT_SECRET');
    expect(err.message).toContain('JWKS_URL');
    // A blank secret is no secret.
    expectRefused({ NODE_ENV: 'production', JWT_SECRET: '   ' }, 'JWT_SECRET');
  });

  test('webhook settings: defaults, https only in production, bounds', () => {
    expect(loadConfig({}).webhooks).toEqual({
      timeoutMs: 10_000,
      pollIntervalMs: 1000,
      retryBaseMs: 10_000,
      maxAttempts: 8,
      httpsOnly: false,
      privateAddresses: 'allow',
    });
    const production = { NODE_ENV: 'production', JWT_SECRET: SECRET, AUDIT_KEY };
    expect(loadConfig(production).webhooks).toMatchObject({
      httpsOnly: true,
      privateAddresses: 'refuse',
    });
    expect(
      loadConfig({ ...production, WEBHOOK_PRIVATE_ADDRESSES: 'Allow' }).webhooks.privateAddresses,
    ).toBe('allow');
    expect(loadConfig({ WEBHOOK_PRIVATE_ADDRESSES: 'refuse' }).webhooks.privateAddresses).toBe(
      'refuse',
    );
    expectRefused({ WEBHOOK_PRIVATE_ADDRESSES: 'yes' }, 'WEBHOOK_PRIVATE_ADDRESSES');
    expectRefused({ WEBHOOK_TIMEOUT_MS: '50' }, 'WEBHOOK_TIMEOUT_MS');
    expectRefused({ WEBHOOK_POLL_INTERVAL_MS: 'soon' }, 'WEBHOOK_POLL_INTERVAL_MS');
    expectRefused({ WEBHOOK_RETRY_BASE_MS: '0' }, 'WEBHOOK_RETRY_BASE_MS');
    expectRefused({ WEBHOOK_MAX_ATTEMPTS: '0' }, 'WEBHOOK_MAX_ATTEMPTS');
  });

  test('production with JWT_SECRET is accepted', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, AUDIT_KEY });
    expect(config.production).toBe(true);
    expect(config.jwtSecret).toBe(SECRET);
  });

  test('production with an https JWKS_URL is accepted; http only outside production', () => {
    const https = 'https://idp.example.gov/.well-known/jwks.json';
    expect(loadConfig({ NODE_ENV: 'production', JWKS_URL: https, AUDIT_KEY }).jwksUrl).toBe(https);
    const http = 'http://localhost:9000/jwks.json';
    expect(loadConfig({ JWKS_URL: http }).jwksUrl).toBe(http);
    expectRefused({ NODE_ENV: 'production', JWKS_URL: http }, 'JWKS_URL');
    expectRefused({ JWKS_URL: 'not a url' }, 'JWKS_URL');
    expectRefused({ JWKS_URL: 'ftp://idp.example.gov/jwks.json' }, 'JWKS_URL');
  });

  test('LOG_LEVEL must be a pino level', () => {
    expectRefused({ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL');
    expect(loadConfig({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  test('issuer, audience and data directory come from the environment', () => {
    const config = loadConfig({
      JWT_ISSUER: 'iss',
      JWT_AUDIENCE: 'aud',
      DATA_DIR: '/tmp/ep-data',
    });
    expect(config).toMatchObject({ jwtIssuer: 'iss', jwtAudience: 'aud', dataDir: '/tmp/ep-data' });
  });

  test('DEMO_CLOCK sets the start of the clock outside production only', () => {
    expect(loadConfig({ DEMO_CLOCK: '2021-06-01T14:00:00Z' }).demoClock?.toISOString()).toBe(
      '2021-06-01T14:00:00.000Z',
    );
    expect(loadConfig({}).demoClock).toBeUndefined();
    expectRefused({ DEMO_CLOCK: 'yesterday' }, 'DEMO_CLOCK');
    expectRefused({ DEMO_CLOCK: '2021-13-01T00:00:00Z' }, 'DEMO_CLOCK');
    expectRefused(
      { NODE_ENV: 'production', JWT_SECRET: SECRET, AUDIT_KEY, DEMO_CLOCK: '2021-06-01T14:00:00Z' },
      'DEMO_CLOCK',
    );
  });

  test('GRAPHQL_IDE: on by default outside production, off in production unless true', () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: SECRET, AUDIT_KEY };
    expect(loadConfig({}).graphqlIde).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).graphqlIde).toBe(true);
    expect(loadConfig({ GRAPHQL_IDE: 'false' }).graphqlIde).toBe(false);
    expect(loadConfig({ GRAPHQL_IDE: ' ' }).graphqlIde).toBe(true);
    expect(loadConfig(prod).graphqlIde).toBe(false);
    expect(loadConfig({ ...prod, GRAPHQL_IDE: 'true' }).graphqlIde).toBe(true);
    expect(loadConfig({ ...prod, GRAPHQL_IDE: 'TRUE' }).graphqlIde).toBe(true);
    expect(loadConfig({ ...prod, GRAPHQL_IDE: 'false' }).graphqlIde).toBe(false);
    for (const bad of ['yes', '1', 'on', 'treu']) {
      expectRefused({ GRAPHQL_IDE: bad }, 'GRAPHQL_IDE');
      expect(configError({ GRAPHQL_IDE: bad }).message).toContain(`"${bad}"`);
    }
  });

  test('AUDIT_KEY: 32+ characters, required in production only', () => {
    expectRefused({ AUDIT_KEY: 'x'.repeat(31) }, 'AUDIT_KEY');
    expectRefused({ NODE_ENV: 'production', JWT_SECRET: SECRET }, 'AUDIT_KEY');
    expectRefused({ NODE_ENV: 'production', JWT_SECRET: SECRET, AUDIT_KEY: '  ' }, 'AUDIT_KEY');
    expect(loadConfig({}).auditKey).toBeUndefined();
    expect(loadConfig({ AUDIT_KEY }).auditKey).toBe(AUDIT_KEY);
  });

  test('AUDIT_CHECKPOINT_PATH: a file, by default in the data directory', () => {
    expect(loadConfig({ DATA_DIR: '/tmp/ep-data' }).auditCheckpointPath).toBe(
      '/tmp/ep-data/audit-checkpoints.ndjson',
    );
    expect(loadConfig({ AUDIT_CHECKPOINT_PATH: '/var/log/ep/cp.ndjson' }).auditCheckpointPath).toBe(
      '/var/log/ep/cp.ndjson',
    );
    expectRefused({ AUDIT_CHECKPOINT_PATH: '/var/log/ep/' }, 'AUDIT_CHECKPOINT_PATH');
  });

  test('MIGRATION_DATABASE_URL defaults to DATABASE_URL and needs it', () => {
    const service = 'postgres://ep_app@db:5432/ep';
    const owner = 'postgres://ep_owner@db:5432/ep';
    expect(loadConfig({ DATABASE_URL: service }).migrationDatabaseUrl).toBe(service);
    expect(
      loadConfig({ DATABASE_URL: service, MIGRATION_DATABASE_URL: owner }).migrationDatabaseUrl,
    ).toBe(owner);
    expectRefused(
      { DATABASE_URL: service, MIGRATION_DATABASE_URL: 'mysql://x@db/ep' },
      'MIGRATION_DATABASE_URL',
    );
    expectRefused({ MIGRATION_DATABASE_URL: owner }, 'MIGRATION_DATABASE_URL');
  });
});
