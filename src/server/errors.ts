/**
 * The error codes of the API contract, and the one mapper that turns anything thrown into a
 * GraphQL error a client may see. Modules throw `AppError`s; anything else is a bug and is
 * reported as a generic INTERNAL_SERVER_ERROR, its detail logged with the request id only (by the
 * errorLog plugin, through the request's logger: the mapper itself is pure).
 */
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';

export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CONFLICT = 'CONFLICT',
  PREAPPROVAL_REQUIRED = 'PREAPPROVAL_REQUIRED',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** HTTP 429: too many requests from this user (or, unauthenticated, this address); see `retryAfterSeconds`. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** HTTP 400: the request itself is malformed (body not JSON, bad encoding, no query). */
  BAD_REQUEST = 'BAD_REQUEST',
  /** HTTP 413: the request body is larger than the service accepts (1 MB). */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** HTTP 405: the path exists but not for this method (the `Allow` header lists those it takes). */
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const unauthenticated = (message = 'Sign in with a valid bearer token.') =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'Your role may not perform this operation.') =>
  new AppError(ErrorCode.FORBIDDEN, message);
/** Same answer for "does not exist" and "not yours to see": never tell the two apart. */
export const notFound = (what: string, id?: string) =>
  new AppError(ErrorCode.NOT_FOUND, `${what} not found.`, id === undefined ? {} : { id });
/** `field` is the input path, e.g. `input.subject.aNumber`. */
export const badInput = (field: string, message: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, `${field}: ${message}`, { field });
export const conflict = (message: string) => new AppError(ErrorCode.CONFLICT, message);

const GENERIC_INTERNAL = 'Internal server error.';

/** Codes produced by graphql-js and Apollo themselves that are safe to pass through. */
const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

function flattenValidation(
  errors: ValidationError[],
  prefix: string,
): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push({ field, message });
    if (e.children?.length) out.push(...flattenValidation(e.children, field));
  }
  return out;
}

/** What a client is told about an error, and whether it was unexpected (a bug or an outage). */
export interface ClientError {
  formatted: GraphQLFormattedError;
  /** Not an answer the API contract foresees: the server logs `original` with the request id. */
  unexpected: boolean;
  /** The thrown value (unwrapped from a resolver's GraphQLError). */
  original: unknown;
}

/**
 * The one mapping from anything thrown to what the client sees. `error` is the original thrown
 * value or Apollo's GraphQLError around it; the result carries only a message, the code, and for
 * input errors the field.
 */
export function toClientError(formatted: GraphQLFormattedError, error: unknown): ClientError {
  const original =
    error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const base = { locations: formatted.locations, path: formatted.path };
  const expected = (out: GraphQLFormattedError): ClientError => ({
    formatted: out,
    unexpected: false,
    original,
  });

  if (original instanceof AppError) {
    return expected({
      ...base,
      message: original.message,
      extensions: { code: original.code, ...original.details },
    });
  }
  if (original instanceof ArgumentValidationError) {
    const problems = flattenValidation(
      original.extensions.validationErrors as ValidationError[],
      'input',
    );
    const first = problems[0] ?? { field: 'input', message: 'is invalid' };
    return expected({
      ...base,
      message: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      extensions: {
        code: ErrorCode.BAD_USER_INPUT,
        field: first.field,
        fields: problems.map((p) => p.field),
      },
    });
  }
  const code = formatted.extensions?.code;
  // Raised by graphql-js or Apollo before any resolver ran (parse, validation, variable coercion):
  // no path, and Apollo's wrapper (SyntaxError, ValidationError, UserInputError) keeps graphql-js's
  // own error as `originalError`, so only a GraphQLError cause is accepted, never a thrown Error.
  const preExecution =
    error instanceof GraphQLError &&
    formatted.path === undefined &&
    (!error.originalError || error.originalError instanceof GraphQLError);
  if (preExecution && typeof code === 'string' && PASS_THROUGH.has(code)) {
    return expected({ ...base, message: formatted.message, extensions: { code } });
  }
  return {
    formatted: {
      ...base,
      message: GENERIC_INTERNAL,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    },
    unexpected: true,
    original,
  };
}

/** Apollo's `formatError`: pure, so that logging happens where the request's logger is known. */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  return toClientError(formatted, error).formatted;
}

/** An enforcement action that needs an approved request which does not exist. */
export const preapprovalRequired = (message: string) =>
  new AppError(ErrorCode.PREAPPROVAL_REQUIRED, message);

/** graphql-js's hints: "Did you mean the enum value "OPEN"?", "Did you mean "first"?". */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Production answers suggest nothing: a suggestion names enum values, fields and arguments to a
 * caller who may not even be signed in (introspection is off there for the same reason).
 */
export function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = formatted.message.replace(SUGGESTION, '');
  return message === formatted.message ? formatted : { ...formatted, message };
}
