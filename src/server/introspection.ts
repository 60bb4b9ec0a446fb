/**
 * Introspection in production, where it is on only for the IDE (GRAPHQL_IDE=true): signed-in
 * callers only. GraphiQL's docs and autocompletion read the schema this way once a token is in its
 * headers; an anonymous caller learns nothing of the API's shape (production also hides "did you
 * mean" suggestions). Outside production introspection is open to everyone, as before.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, visit, type DocumentNode } from 'graphql';
import type { RequestContext } from '../common/context';
import { unauthenticated } from '../common/errors';

/** `__schema` or `__type` anywhere in the document (`__typename` is no introspection). */
export function introspects(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

export const introspectionForSignedInOnly: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, document, response }) {
        if (contextValue.caller || !introspects(document)) return;
        // A refusal like any other UNAUTHENTICATED answer (200, the code in errors[]), not the
        // 500 Apollo gives an error thrown here by default.
        response.http.status = 200;
        throw (
          contextValue.authError ??
          unauthenticated(
            'Introspection needs a signed-in caller: send Authorization: Bearer <token>.',
          )
        );
      },
    };
  },
};
