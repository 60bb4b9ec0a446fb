/**
 * The HTTP surface: Apollo Server 5 on Express 5 at /graphql, plus /healthz and /readyz.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { TokenVerifier } from '../auth/jwt';
import { MIGRATIONS } from '../../migrations';
import type { Caller } from '../auth/caller';
import { loadCaller } from '../modules/users/user.service';
import { inTransaction, RequestContext, type ServiceDeps } from './context';
import { AppError, ErrorCode, formatError, unauthenticated } from './errors';
import { jitGateway } from './jit';
import { auditSubjectReads } from './subject-reads';

export interface AppOptions {
  deps: ServiceDeps;
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  production: boolean;
  /** IDEMPOTENCY_KEY_TTL_HOURS (default 24). */
  idempotencyKeyTtlHours?: number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

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
  const caller = await loadCaller(deps.dataSource, userId);
  return caller
    ? { caller, authError: null }
    : {
        caller: null,
        authError: unauthenticated('The token names an unknown or deactivated user.'),
      };
}

/** One structured log line per operation: request id (from the context's logger), name, time, error codes. */
const requestLog: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    const started = process.hrtime.bigint();
    return {
      async willSendResponse({ operationName, operation, errors, contextValue: ctx }) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        ctx.log.info(
          {
            operation: operationName ?? null,
            type: operation?.operation ?? null,
            userId: ctx.caller?.id ?? null,
            ms: Math.round(ms * 10) / 10,
            errors: errors?.map((e) => e.extensions?.code ?? 'UNKNOWN'),
          },
          'graphql request',
        );
      },
    };
  },
};

/** One READ audit record for every response that showed subject identity, written before it is sent. */
const subjectReadAudit: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue: ctx, response, operationName, operation }) {
        // A mutation's response was audited in its own transaction (mutation-tx.ts).
        if (ctx.subjectReads.size === 0) return;
        try {
          await inTransaction(ctx, (tx) => auditSubjectReads(tx, operationName ?? null, operation));
        } catch (err) {
          // No audit record, no identity: the response is withheld.
          ctx.log.error({ err }, 'could not audit a read of subject identity; response withheld');
          if (response.body.kind === 'single') {
            response.body.singleResult.data = null;
            response.body.singleResult.errors = [
              {
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
}> {
  const { deps, schema, verifier, production } = options;
  const app = express();
  app.disable('x-powered-by');
  // No HTTP cache keeps a POST's answer, yet Express hashes every body it sends for an ETag:
  // 2 ms on a 1.7 MB weekly report.
  app.set('etag', false);
  const httpServer = http.createServer(app);

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
  const apollo = new ApolloServer<RequestContext>({
    gateway: jitGateway(schema, {
      idempotencyKeyTtlHours: options.idempotencyKeyTtlHours ?? 24,
    }),
    validationRules: armor.validationRules,
    allowBatchedHttpRequests: false,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatError(formatted, error, deps.log),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...(armor.plugins as ApolloServerPlugin<RequestContext>[]),
      // Nothing here is cacheable by HTTP caches, and the plugin costs a third of the throughput.
      ApolloServerPluginCacheControlDisabled(),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
      subjectReadAudit,
      requestLog,
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    try {
      const applied = (await deps.dataSource.query(`SELECT name FROM migrations ORDER BY id`)) as {
        name: string;
      }[];
      const names = new Set(applied.map((m) => m.name));
      const pending = MIGRATIONS.map((m) => m.name).filter((name) => !names.has(name));
      if (pending.length) {
        res.status(503).json({ status: 'migrations pending', pending });
        return;
      }
      res.json({ status: 'ready' });
    } catch (err) {
      deps.log.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'database unreachable' });
    }
  });

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const incoming = req.headers['x-request-id'];
        const requestId =
          typeof incoming === 'string' && REQUEST_ID.test(incoming)
            ? incoming
            : crypto.randomUUID();
        res.setHeader('x-request-id', requestId);
        const log = deps.log.child({ requestId });
        const { caller, authError } = await authenticate(deps, verifier, req.headers.authorization);
        return new RequestContext({ ...deps, log }, requestId, caller, authError);
      },
    }),
  );

  return { app, httpServer, apollo };
}
