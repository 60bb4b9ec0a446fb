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
import { Kind, type GraphQLSchema } from 'graphql';
import type { TokenVerifier } from '../auth/jwt';
import type { Caller } from '../auth/caller';
import { AuditKind } from '../modules/audit/audit.entity';
import { writeAudit } from '../modules/audit/audit.service';
import { loadCaller } from '../modules/users/user.service';
import { inTransaction, RequestContext, type ServiceDeps } from './context';
import {
  availabilityPlugin,
  contextFailure,
  markRetryable,
  type AvailabilityMonitor,
} from './availability';
import { Deadline } from './deadline';
import { AppError, databaseFailure, ErrorCode, formatError, unauthenticated } from './errors';
import { jitGateway } from './jit';
import { readinessHandler, type Readiness } from './readiness';

export interface AppOptions {
  deps: ServiceDeps;
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  production: boolean;
  /** The execution budget of a request, and the statement_timeout its connections already have. */
  budget: { requestMs: number; statementMs: number };
  monitor: AvailabilityMonitor;
  readiness: Readiness;
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

function groupByOffice(reads: Map<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [caseId, officeId] of reads) (out[officeId] ??= []).push(caseId);
  return out;
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
        if (ctx.subjectReads.size === 0) return;
        const rootFields = (operation?.selectionSet.selections ?? [])
          .map((s) => (s.kind === Kind.FIELD ? s.name.value : s.kind))
          .join(',');
        try {
          await inTransaction(ctx, (tx) =>
            writeAudit(tx, {
              kind: AuditKind.READ,
              operation: 'readSubjectIdentity',
              recordType: 'Case',
              recordIds: [...ctx.subjectReads.keys()],
              officeIds: [...ctx.subjectReads.values()],
              recordsByOffice: groupByOffice(ctx.subjectReads),
              change: { operationName: operationName ?? null, rootFields },
            }),
          );
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
}> {
  const { deps, schema, verifier, production, budget, monitor } = options;
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
    gateway: jitGateway(schema),
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
      availabilityPlugin(monitor),
      requestLog,
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Answered from outside the request pool (src/server/readiness.ts).
  app.get('/readyz', readinessHandler(options.readiness));

  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const deadline = new Deadline(budget.requestMs, budget.statementMs);
        const incoming = req.headers['x-request-id'];
        const requestId =
          typeof incoming === 'string' && REQUEST_ID.test(incoming)
            ? incoming
            : crypto.randomUUID();
        res.setHeader('x-request-id', requestId);
        const log = deps.log.child({ requestId });
        const { caller, authError } = await authenticate(
          deps,
          verifier,
          req.headers.authorization,
        ).catch((err: unknown) => {
          throw contextFailure(err, monitor);
        });
        const ctx = new RequestContext({ ...deps, log }, requestId, caller, authError);
        ctx.deadline = deadline;
        return ctx;
      },
    }),
  );

  return { app, httpServer, apollo };
}
