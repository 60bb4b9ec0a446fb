/**
 * GraphQL subscriptions over WebSocket (the `graphql-transport-ws` protocol of graphql-ws), on the
 * HTTP server's port and path `/graphql`. A connection is signed in once, by the same bearer token
 * as HTTP, sent in the connection's init payload (`{ "authorization": "Bearer <token>" }`, the key
 * in any case: GraphiQL sends its Headers editor, `{ "Authorization": ... }`): a missing, invalid
 * or expired token is refused with close code 4401, an unknown or deactivated user with 4403. The
 * connection closes when its token expires (4401) or its user is deactivated (4403).
 *
 * Only subscriptions run here; queries and mutations go over HTTP, where they have their
 * transaction, idempotency and budget. Subscriptions run on the shielded schema: the shield decides
 * at subscription (UNAUTHENTICATED, FORBIDDEN), the service checks the office and the request
 * (NOT_FOUND), and every delivery goes through the field rules again. A delivery that shows subject
 * identity is audited like any other read before it is sent.
 */
import crypto from 'node:crypto';
import type http from 'node:http';
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { decodeJwt } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Caller } from '../auth/caller';
import type { TokenVerifier } from '../auth/jwt';
import { RequestContext, type ServiceDeps } from '../common/context';
import { AppError, ErrorCode, toClientError, withoutSuggestions } from '../common/errors';
import type { LiveHub } from '../modules/live/live.hub';
import { currentCaller } from '../modules/users/user.service';
import { auditSubjectReads } from './subject-reads';

/** Close codes (graphql-ws's own for these cases). */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;

/** A message larger than this closes the connection (the HTTP body limit, 1 MB). */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface LiveServerOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  deps: ServiceDeps;
  hub: LiveHub;
  verifier: TokenVerifier;
  production: boolean;
  /** The query-shape limits HTTP requests get (graphql-armor's rules). */
  validationRules: readonly ValidationRule[];
}

export interface LiveServer {
  /** Connections open now (tests). */
  readonly connections: number;
  /** Closes every connection (1001, going away) and stops accepting new ones. */
  close(): Promise<void>;
}

interface Connection {
  caller: Caller;
  expiry: NodeJS.Timeout | null;
}

type Refusal = { code: number; reason: string };

export function startLiveServer(options: LiveServerOptions): LiveServer {
  const { deps, hub, verifier, schema, production } = options;
  const wss = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    maxPayload: MAX_MESSAGE_BYTES,
  });
  const connections = new Map<WebSocket, Connection>();
  const rules = [...specifiedRules, ...options.validationRules];

  const drop = (socket: WebSocket, code: number, reason: string) => {
    const conn = connections.get(socket);
    if (conn?.expiry) clearTimeout(conn.expiry);
    connections.delete(socket);
    socket.close(code, reason);
  };

  const stopGone = hub.onCallerGone((userId) => {
    for (const [socket, conn] of connections)
      if (conn.caller.id === userId) drop(socket, CLOSE_FORBIDDEN, 'The user was deactivated.');
  });

  async function signIn(
    params: Record<string, unknown> | undefined,
  ): Promise<{ caller: Caller; token: string } | Refusal> {
    // Any spelling of the key: GraphiQL sends its Headers editor as the payload, as typed there.
    const key = Object.keys(params ?? {}).find((k) => k.toLowerCase() === 'authorization');
    const header = key === undefined ? undefined : params?.[key];
    if (typeof header !== 'string')
      return {
        code: CLOSE_UNAUTHORIZED,
        reason: 'Send {"authorization": "Bearer <token>"} as the connection init payload.',
      };
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      return { code: CLOSE_UNAUTHORIZED, reason: 'The authorization must be "Bearer <token>".' };
    let userId: string;
    try {
      userId = await verifier.verify(match[1]);
    } catch {
      return { code: CLOSE_UNAUTHORIZED, reason: 'The token is invalid or has expired.' };
    }
    const caller = await currentCaller({ manager: deps.dataSource.manager, deps }, userId);
    if (!caller)
      return { code: CLOSE_FORBIDDEN, reason: 'The token names an unknown or deactivated user.' };
    return { caller, token: match[1] };
  }

  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((raw) => {
      // graphql-js's variable coercion errors carry no code: the client's input, as over HTTP.
      const error =
        raw.path === undefined && !raw.originalError && raw.extensions?.code === undefined
          ? new GraphQLError(raw.message, {
              nodes: raw.nodes,
              extensions: { code: ErrorCode.BAD_USER_INPUT },
            })
          : raw;
      const out = toClientError(error.toJSON(), error);
      if (out.unexpected) deps.log.error({ err: out.original }, 'error in a subscription');
      return production ? withoutSuggestions(out.formatted) : out.formatted;
    });

  const refuse = (code: ErrorCode, message: string) => [
    new GraphQLError(message, { originalError: new AppError(code, message) }),
  ];

  const disposable = useServer(
    {
      schema,
      onConnect: async (ctx) => {
        const socket = ctx.extra.socket;
        let signed: { caller: Caller; token: string } | Refusal;
        try {
          signed = await signIn(ctx.connectionParams);
        } catch (err) {
          deps.log.warn({ err }, 'could not sign in a WebSocket connection');
          socket.close(1011, 'The service could not check the token; retry later.');
          return false;
        }
        if ('code' in signed) {
          socket.close(signed.code, signed.reason);
          return false;
        }
        // The connection lasts as long as its token: then the client signs in again.
        const exp = decodeJwt(signed.token).exp;
        const ms = exp === undefined ? null : exp * 1000 - Date.now();
        const expiry =
          ms === null
            ? null
            : setTimeout(
                () => drop(socket, CLOSE_UNAUTHORIZED, 'The token has expired.'),
                Math.min(Math.max(ms, 0), 2 ** 31 - 1),
              );
        expiry?.unref();
        connections.set(socket, { caller: signed.caller, expiry });
        return true;
      },
      onClose: (ctx) => {
        const conn = connections.get(ctx.extra.socket);
        if (conn?.expiry) clearTimeout(conn.expiry);
        connections.delete(ctx.extra.socket);
      },
      onSubscribe: (ctx, _id, payload) => {
        const conn = connections.get(ctx.extra.socket);
        if (!conn) return refuse(ErrorCode.UNAUTHENTICATED, 'The connection is not signed in.');
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const operation = getOperationAST(document, payload.operationName);
        if (operation && operation.operation !== 'subscription')
          return refuse(
            ErrorCode.BAD_REQUEST,
            'Only subscriptions run over WebSocket; send queries and mutations as HTTP POST to /graphql.',
          );
        const invalid = validate(schema, document, rules);
        if (invalid.length)
          return invalid.map(
            (e) =>
              new GraphQLError(e.message, {
                nodes: e.nodes,
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
              }),
          );
        const contextValue = new RequestContext(
          { ...deps, log: deps.log.child({ requestId: crypto.randomUUID() }) },
          crypto.randomUUID(),
          conn.caller,
          null,
        );
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      onNext: async (_ctx, _id, payload, args, result) => {
        const ctx = args.contextValue as RequestContext;
        if (ctx.subjectReads.size > 0) {
          try {
            await auditSubjectReads(
              ctx,
              payload.operationName ?? null,
              getOperationAST(args.document, args.operationName) ?? undefined,
            );
          } catch (err) {
            // No audit record, no identity.
            ctx.subjectReads.clear();
            ctx.log.error({ err }, 'could not audit a read of subject identity; event withheld');
            return {
              data: null,
              errors: [
                {
                  message: 'The event could not be delivered; subscribe again.',
                  extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
                },
              ],
            };
          }
          ctx.subjectReads.clear();
        }
        if (!result.errors?.length) return undefined;
        return { ...result, errors: format(result.errors) };
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
  );

  let closing: Promise<void> | undefined;
  return {
    get connections() {
      return connections.size;
    },
    close() {
      closing ??= (async () => {
        stopGone();
        for (const socket of [...connections.keys()])
          drop(socket, 1001, 'The service is shutting down.');
        await disposable.dispose();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      })();
      return closing;
    },
  };
}
