/**
 * The HTTP surface: Apollo Server 5 on Express 5 at /graphql, plus /healthz and /readyz; the HTTP
 * layer around them (request ids, headers, JSON errors) is in http.ts.
 */
import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { TokenVerifier } from '../auth/jwt';
import type { Caller } from '../auth/caller';
import { currentCaller } from '../modules/users/user.service';
import { RequestContext, type ServiceDeps } from '../common/context';
import {
  availabilityPlugin,
  contextFailure,
  markRetryable,
  type AvailabilityMonitor,
} from './availability';
import { Deadline } from '../common/deadline';
import { jsonBytes } from './json-bytes';
import {
  AppError,
  databaseFailure,
  ErrorCode,
  formatError,
  unauthenticated,
  withoutSuggestions,
} from '../common/errors';
import {
  BODY_LIMIT,
  jsonErrors,
  methodNotAllowed,
  notFound,
  requestIds,
  requestLocals,
  securityHeaders,
  cors,
} from './http';
import { jitGateway } from './jit';
import type { ServedSchemas } from './schema';
import { readinessHandler, type Readiness } from './readiness';
import { rateLimit } from './rate-limit';
import { errorLog, requestLog } from './log-plugins';
import { auditSubjectReads } from './subject-reads';
import { exportHandlers } from './exports/routes';
import { ideRoutes } from './ide';
import { introspectionForSignedInOnly } from './introspection';
import { startLiveServer, type LiveServer } from './live';
import type { LiveHub } from '../modules/live/live.hub';

export interface AppOptions {
  deps: ServiceDeps;
  /** The shielded schema and the same bare (server/schema.ts). */
  schemas: ServedSchemas;
  verifier: TokenVerifier;
  production: boolean;
  /** Null: no request rate limits (RATE_LIMIT_PER_MINUTE=0). */
  rateLimiter: RateLimiterAbstract | null;
  /** IDEMPOTENCY_KEY_TTL_HOURS (default 24). */
  idempotencyKeyTtlHours?: number;
  /** The execution budget of a request, and the statement_timeout its connections already have. */
  budget: { requestMs: number; statementMs: number };
  monitor: AvailabilityMonitor;
  readiness: Readiness;
  /** CORS_ORIGINS: the browser origins allowed to call /graphql and /exports (none by default). */
  corsOrigins?: readonly string[];
  /** The file exports: EXPORT_TIMEOUT_MS, and whether the database is the embedded one. */
  exports?: { timeoutMs: number; embedded: boolean };
  /** GRAPHQL_IDE: GraphiQL at GET /graphql for browsers (server/ide); introspection with it. */
  ide?: boolean;
  /** Subscriptions over WebSocket on /graphql are served from this hub's events. */
  liveHub: LiveHub;
}

async function authenticate(
  deps: ServiceDeps,
  verifier: TokenVerifier,
  header: string | undefined,
): Promise<{ caller: Caller | null; authError: AppError | null }> {
  if (!header) return { caller: null, authError: null };
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match)
    return {
      caller: null,
      authError: unauthenticated('The Authorization header must be "Bearer <token>".'),
    };
  let userId: string;
  try {
    userId = await verifier.verify(match[1]);
  } catch {
    return { caller: null, authError: unauthenticated('The token is invalid or has expired.') };
  }
  const caller = await currentCaller({ manager: deps.dataSource.manager, deps }, userId);
  return caller
    ? { caller, authError: null }
    : {
        caller: null,
        authError: unauthenticated('The token names an unknown or deactivated user.'),
      };
}

/** One READ audit record for every response that showed subject identity, written before it is sent. */
const subjectReadAudit: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue: ctx, response, operationName, operation }) {
        // A mutation's response was audited in its own transaction (mutation-tx.ts).
        if (ctx.subjectReads.size === 0) return;
        try {
          // One autocommit INSERT: committed before the response goes, no lock on anyone's way.
          await auditSubjectReads(ctx, operationName ?? null, operation);
        } catch (err) {
          // No audit record, no identity: the response is withheld.
          const failure = databaseFailure(err);
          if (!failure) {
            ctx.log.error({ err }, 'could not audit a read of subject identity; response withheld');
          } else markRetryable(response.http);
          if (response.body.kind === 'single') {
            response.body.singleResult.data = null;
            response.body.singleResult.errors = [
              failure
                ? {
                    message: failure.message,
                    extensions: { code: failure.code, ...failure.details },
                  }
                : {
                    message: 'Internal server error.',
                    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
                  },
            ];
          }
        }
      },
    };
  },
};

export async function createApp(options: AppOptions): Promise<{
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  live: LiveServer;
}> {
  const { deps, schemas, verifier, production, rateLimiter, budget, monitor } = options;
  const ide = options.ide ?? !production;
  const app = express();
  app.disable('x-powered-by');
  // No HTTP cache keeps a POST's answer, yet Express hashes every body it sends for an ETag:
  // 2 ms on a 1.7 MB weekly report.
  app.set('etag', false);
  const httpServer = http.createServer(app);
  app.use(requestIds(deps.log));
  app.use(securityHeaders());

  // Query-shape limits in front of everything: depth, aliases, tokens, directives, cost. Field
  // suggestions ("did you mean") would map the schema for a caller, so production hides them.
  const armor = new ApolloArmor({
    maxDepth: { n: 12 },
    maxAliases: { n: 20 },
    maxDirectives: { n: 20 },
    // maxTokens re-parses the document and reports syntax errors as validation errors; the 1 MB body
    // limit bounds the token count instead.
    maxTokens: { enabled: false },
    costLimit: { maxCost: 50_000 },
    blockFieldSuggestion: { enabled: production },
  }).protect();
  // Subscriptions over WebSocket on the same port and path (src/server/live.ts).
  const live = startLiveServer({
    httpServer,
    schema: schemas.served,
    deps,
    hub: options.liveHub,
    verifier,
    production,
    validationRules: armor.validationRules,
  });
  const apollo = new ApolloServer<RequestContext>({
    gateway: jitGateway(schemas, {
      idempotencyKeyTtlHours: options.idempotencyKeyTtlHours ?? 24,
    }),
    validationRules: armor.validationRules,
    allowBatchedHttpRequests: false,
    // The answer as UTF-8 bytes, encoded in pieces (why: server/json-bytes.ts). Apollo hands this
    // value to the Express integration untouched, which sends a Buffer as it is; Apollo's type
    // says string only because it never looks inside.
    stringifyResult: (value) => jsonBytes(value, '\n') as unknown as string,
    // GraphiQL's docs and autocompletion read the schema by introspection: on wherever the IDE is
    // (in production for signed-in callers only, below).
    introspection: !production || ide,
    includeStacktraceInErrorResponses: false,
    // SIGTERM and SIGINT are handled by src/main.ts, which closes HTTP, workers and the database in
    // order (Service.stop). Apollo's own handlers would stop it first and let Node exit 143/130.
    stopOnTerminationSignals: false,
    formatError: production
      ? (formatted, error) => withoutSuggestions(formatError(formatted, error))
      : formatError,
    plugins: [
      // On stop: in-flight requests get as long as a request may take, then their sockets close.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: budget.requestMs }),
      // Stopping the server closes the WebSocket connections too.
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await live.close();
            },
          };
        },
      },
      ...(armor.plugins as ApolloServerPlugin<RequestContext>[]),
      // Nothing here is cacheable by HTTP caches, and the plugin costs a third of the throughput.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's own landing page loads from a CDN; our IDE (server/ide) is served from here.
      ApolloServerPluginLandingPageDisabled(),
      ...(production && ide ? [introspectionForSignedInOnly] : []),
      subjectReadAudit,
      availabilityPlugin(monitor),
      requestLog,
      errorLog,
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Answered from outside the request pool (src/server/readiness.ts).
  app.get('/readyz', readinessHandler(options.readiness));

  app.all(['/healthz', '/readyz'], methodNotAllowed(['GET', 'HEAD']));

  // Health and readiness are not limited: probes must always get an answer, and neither is the
  // IDE's page and files (no GraphQL runs there).
  if (ide) app.use(ideRoutes({ production, clock: deps.clock }));
  // Before the rate limit: a browser's preflight carries no token and costs nothing.
  app.use('/graphql', cors(options.corsOrigins ?? []));
  if (rateLimiter) app.use('/graphql', rateLimit(rateLimiter, verifier));
  app.use(
    '/graphql',
    express.json({ limit: BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const { requestId, log } = requestLocals(res);
        const deadline = new Deadline(budget.requestMs, budget.statementMs);
        try {
          const { caller, authError } = await authenticate(
            deps,
            verifier,
            req.headers.authorization,
          );
          const ctx = new RequestContext({ ...deps, log }, requestId, caller, authError);
          ctx.deadline = deadline;
          return ctx;
        } catch (err) {
          // An outage answers 503 (logged once per state change by the monitor); anything else
          // Apollo answers INTERNAL_SERVER_ERROR, its cause logged here with the request id.
          const failure = contextFailure(err, monitor);
          if (failure === err && !(err instanceof AppError))
            log.error({ err }, 'unexpected error while authenticating');
          throw failure;
        }
      },
    }),
  );

  // The file exports (server/exports): the same token, rate limit and CORS as /graphql.
  app.use('/exports', cors(options.corsOrigins ?? []));
  if (rateLimiter) app.use('/exports', rateLimit(rateLimiter, verifier));
  const exports = exportHandlers({
    deps,
    monitor,
    budget,
    timeoutMs: options.exports?.timeoutMs ?? 300_000,
    embedded: options.exports?.embedded ?? false,
    authenticate: (header) => authenticate(deps, verifier, header),
  });
  for (const [path, handler] of Object.entries(exports)) {
    // Express answers HEAD with the GET route: that would run the whole export for nothing.
    app.head(path, methodNotAllowed(['GET']));
    app.get(path, handler);
    app.all(path, methodNotAllowed(['GET']));
  }

  app.use(notFound);
  app.use(jsonErrors);

  return { app, httpServer, apollo, live };
}
