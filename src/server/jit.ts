/**
 * Execution by graphql-jit: each operation is compiled once into a function that walks the
 * selection with no per-field interpretation, then cached by its text. graphql-js resolves a field
 * in about a microsecond, which is most of the cost of a report with thousands of rows.
 *
 * Apollo Server has no executor option; its gateway interface is the supported way to supply one.
 * Parsing, validation (with graphql-armor's rules), plugins and error formatting stay Apollo's;
 * only execution changes. The schema is the served one, so every resolver still runs behind the
 * shield.
 */
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  GraphQLError,
  printSchema,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { RequestContext } from '../common/context';
import { withinBudget } from '../common/deadline';
import { selectionOf, type Selection } from '../common/selection';
import { ErrorCode, type AppError } from '../common/errors';
import { executeMutation, type MutationOptions } from './mutation-tx';
import { nulInDocument, nulInVariables } from './nul-text';
import { operationGate } from '../auth/shield';
import type { ServedSchemas } from './schema';

type Gateway = ApolloServerOptionsWithGateway<object>['gateway'];

/** Compiled operations kept; the least recently used is dropped beyond this. */
const MAX_COMPILED = 500;

/**
 * graphql-jit's errors leave `extensions` undefined, which Apollo's error formatting reads; the
 * same error as graphql-js would make it, keeping the cause, path and locations.
 */
function standardError(error: GraphQLError): GraphQLError {
  const out = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions ?? undefined,
  });
  (out as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return out;
}

function asBadUserInput(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
}

/** An operation compiled once, with what only its text decides. */
interface Compiled {
  /** On the schema without the shield's per-field middleware: for callers the gate lets through. */
  fast: CompiledQuery | ExecutionResult;
  /** On the shielded schema: compiled when a caller first fails the gate. */
  shielded: CompiledQuery | ExecutionResult | null;
  /** Whether every shield rule over the operation's fields lets this caller through. */
  gate: (ctx: RequestContext) => boolean;
  /** A string literal of the document holding NUL, if any. */
  nul: AppError | null;
  /** What it selects, type by type: loaders read only the columns it needs. */
  selection: Selection;
}

export function jitGateway(
  { served: schema, bare }: ServedSchemas,
  options: MutationOptions = { idempotencyKeyTtlHours: 24 },
): Gateway {
  const compile = (
    on: GraphQLSchema,
    request: { document: DocumentNode; operationName?: string | null },
  ) =>
    compileQuery(on, request.document, request.operationName ?? undefined, {
      // Apollo serializes the response; graphql-jit's own serializer would skip that.
      customJSONSerializer: false,
    });
  const compiled = new Map<string, Compiled>();
  let announce: ((s: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void) | null =
    null;
  return {
    onSchemaLoadOrUpdate(callback) {
      announce = callback;
      return () => {
        announce = null;
      };
    },
    async load() {
      announce?.({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return {
        async executor(request) {
          // No operation to run (e.g. an IDE sends the name of an operation its text no longer
          // holds): the client's mistake, which Apollo answers as OPERATION_RESOLUTION_FAILURE.
          if (!request.operation)
            return {
              errors: [
                new GraphQLError(
                  'No operation to run: the document holds no operation of the name sent, or holds several and none was named.',
                  { extensions: { code: ErrorCode.BAD_REQUEST } },
                ),
              ],
            };
          const key = `${request.queryHash}:${request.operationName ?? ''}`;
          let entry = compiled.get(key);
          if (entry) {
            compiled.delete(key); // re-insert: the Map's order is the recency order
          } else {
            const selection = selectionOf(schema, request.document);
            entry = {
              fast: compile(bare, request),
              shielded: null,
              gate: operationGate(selection),
              nul: nulInDocument(request.operation),
              selection,
            };
            if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
          }
          compiled.set(key, entry);
          const context = request.context as RequestContext;
          // The shield decides once for the whole operation; any field it could refuse sends the
          // operation through the per-field shield, which refuses it as it always has.
          const query = entry.gate(context)
            ? entry.fast
            : (entry.shielded ??= compile(schema, request));
          if (!isCompiledQuery(query)) return query;
          const variables = request.request.variables ?? {};
          // graphql-js coerces the variables first, so a bad one is reported exactly as without
          // the compiler (Apollo then answers BAD_USER_INPUT naming the variable).
          const coerced = getVariableValues(
            schema,
            request.operation.variableDefinitions ?? [],
            variables,
            { maxErrors: 50 },
          );
          // Every coercion error is the client's, the 51st ("too many errors") included.
          if (coerced.errors) return { errors: coerced.errors.map(asBadUserInput) };
          const nul = nulInVariables(variables) ?? entry.nul;
          if (nul) return { errors: [new GraphQLError(nul.message, { originalError: nul })] };
          context.selection = entry.selection;
          // A mutation runs whole in one transaction, under its Idempotency-Key if it has one; every
          // operation within the request's execution budget.
          const run = (context: object) => query.query(undefined, context, variables);
          const result = await withinBudget(
            request.context,
            request.operation.operation === 'mutation'
              ? executeMutation(request, run, options)
              : run(context),
          );
          return result.errors ? { ...result, errors: result.errors.map(standardError) } : result;
        },
      };
    },
    async stop() {},
  };
}
