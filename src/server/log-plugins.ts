/**
 * Logging of GraphQL operations, always through the request's logger (it carries the request id):
 * one line per operation with the codes the client was sent, and one line per unexpected error.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../common/context';
import { toClientError } from '../common/errors';

/** Longest operation name a log line or an audit record keeps; a GraphQL name is otherwise unbounded. */
export const MAX_LOGGED_NAME = 100;

/** A client-chosen name, cut to a bounded length before it is written anywhere. */
export function boundedName(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  return name.length <= MAX_LOGGED_NAME ? name : `${name.slice(0, MAX_LOGGED_NAME)}…`;
}

/** One structured log line per operation: name, type, caller, time, and the error codes as sent. */
export const requestLog: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    const started = process.hrtime.bigint();
    return {
      async willSendResponse({ operationName, operation, response, contextValue: ctx }) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        // The formatted errors (what the client got), not the thrown ones: a typed error's code is
        // only set by formatting.
        const sent =
          response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        ctx.log.info(
          {
            operation: boundedName(operationName),
            type: operation?.operation ?? null,
            userId: ctx.caller?.id ?? null,
            ms: Math.round(ms * 10) / 10,
            errors: sent?.map((e) => e.extensions?.code ?? 'UNKNOWN'),
          },
          'graphql request',
        );
      },
    };
  },
};

/** Every error the client sees only as INTERNAL_SERVER_ERROR is logged in full, with the request id. */
export const errorLog: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue: ctx }) {
        for (const error of errors) {
          const { unexpected, original } = toClientError(error.toJSON(), error);
          if (unexpected) ctx.log.error({ err: original, path: error.path }, 'unexpected error');
        }
      },
    };
  },
};
