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
  /** The request ran out of its execution budget (`REQUEST_TIMEOUT_MS`); nothing it began was kept. */
  REQUEST_TIMEOUT = 'REQUEST_TIMEOUT',
  /** The database is down, unreachable, read-only or full: retry later (HTTP 503, `Retry-After`). */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
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
  const failure = databaseFailure(original);
  if (failure) {
    // An outage, not a bug: the availability monitor logs it once per state change.
    return expected({
      ...base,
      message: failure.message,
      extensions: { code: failure.code, ...failure.details },
    });
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

/** `budgetMs` unset: a database statement or lock wait ran out of time on its own limit. */
export const requestTimeout = (budgetMs?: number) =>
  new AppError(
    ErrorCode.REQUEST_TIMEOUT,
    budgetMs === undefined
      ? 'The request ran out of time waiting for the database; its unfinished transaction was rolled back.'
      : `The request ran out of its ${budgetMs} ms execution budget; its unfinished transaction was rolled back.`,
  );

/** Why the database cannot serve: the `reason` of a SERVICE_UNAVAILABLE answer. */
export type Unavailability = 'DATABASE_UNREACHABLE' | 'DATABASE_READ_ONLY' | 'DATABASE_FULL';

const UNAVAILABLE_MESSAGES: Record<Unavailability, string> = {
  DATABASE_UNREACHABLE: 'The database is unavailable; retry later.',
  DATABASE_READ_ONLY: 'The database accepts no writes at the moment (read-only); retry later.',
  DATABASE_FULL: 'The database accepts no writes at the moment (out of space); retry later.',
};

export const serviceUnavailable = (reason: Unavailability) =>
  new AppError(ErrorCode.SERVICE_UNAVAILABLE, UNAVAILABLE_MESSAGES[reason], { reason });

/** Node socket errors and pg/pg-pool messages meaning "no usable connection". */
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// TypeORM releases a transaction's connection when the connection fails (the session was
// terminated or the server went away); the transaction's next statement then reports it as
// "already released".
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Query read timeout|Connection is not established|ended by the server|runner (was )?already released/i;

/**
 * The AppError a database failure stands for, or null when it is not one we can name. SQLSTATE
 * classes: 08 connection exception, 57P0x shutdown or not accepting connections, 53 insufficient
 * resources; 57014 is a statement cancelled by `statement_timeout` (or the request's budget), 55P03
 * a lock not obtained within `lock_timeout`, 25P03 a transaction ended for idling.
 */
export function databaseFailure(err: unknown): AppError | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    if (e instanceof AppError)
      return e.code === ErrorCode.REQUEST_TIMEOUT || e.code === ErrorCode.SERVICE_UNAVAILABLE
        ? e
        : null;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (code === '25006') return serviceUnavailable('DATABASE_READ_ONLY');
      if (code === '53100') return serviceUnavailable('DATABASE_FULL');
      if (code === '57014' || code === '55P03' || code === '25P03') return requestTimeout();
      if (/^08/.test(code) || /^57P0[1-4]$/.test(code) || /^53[023]00$/.test(code)) {
        return serviceUnavailable('DATABASE_UNREACHABLE');
      }
      if (CONNECTION_ERRNOS.has(code)) return serviceUnavailable('DATABASE_UNREACHABLE');
    }
    if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) {
      return serviceUnavailable('DATABASE_UNREACHABLE');
    }
    e =
      (e as { driverError?: unknown; cause?: unknown; originalError?: unknown }).driverError ??
      (e as { cause?: unknown }).cause ??
      (e as { originalError?: unknown }).originalError;
  }
  return null;
}
