/**
 * The HTTP layer around GraphQL: request ids, security headers, and JSON answers (with a code) for
 * everything that never reaches Apollo: bad bodies, unknown paths, wrong methods, crashes.
 */
import crypto from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { Logger } from '../logger';
import { ErrorCode } from '../common/errors';

/** Largest request body accepted (JSON on /graphql). */
export const BODY_LIMIT = '1mb';

/** A client's `x-request-id` is kept only in this bounded, log- and header-safe form. */
export const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

interface RequestLocals {
  requestId: string;
  log: Logger;
}

/** The request id and the logger carrying it, set by `requestIds` before anything else runs. */
export function requestLocals(res: Response): RequestLocals {
  return res.locals as RequestLocals;
}

/** Every request gets an id (the client's when it is safe, else a new UUID), echoed in `x-request-id`. */
export function requestIds(log: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId =
      typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    res.setHeader('x-request-id', requestId);
    Object.assign(res.locals, { requestId, log: log.child({ requestId }) } satisfies RequestLocals);
    next();
  };
}

/**
 * Helmet's headers for a JSON API: nothing may be framed, loaded or run from our answers (CSP
 * `default-src 'none'`), HSTS, nosniff, no referrer. The IDE's page (server/ide) replaces the CSP
 * with its own, which lets it run the scripts it is served from here and nothing else.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: { action: 'deny' },
  });
}

/** A GraphQL-shaped error body, so clients read every failure the same way. */
export function sendError(
  res: Response,
  status: number,
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/** The last route: any path no route answered. */
export const notFound: RequestHandler = (req, res) => {
  sendError(res, 404, ErrorCode.NOT_FOUND, `No such path: ${req.method} ${req.path}`.slice(0, 200));
};

/** For a path that exists only for other methods. */
export function methodNotAllowed(allow: string[]): RequestHandler {
  return (req, res) => {
    res.setHeader('allow', allow.join(', '));
    sendError(res, 405, ErrorCode.METHOD_NOT_ALLOWED, `Use ${allow.join(' or ')} on this path.`);
  };
}

/** Errors of body-parser (express.json), by their `type`, with a message safe to show. */
const BODY_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  'entity.parse.failed': {
    status: 400,
    code: ErrorCode.BAD_REQUEST,
    message: 'The request body is not valid JSON.',
  },
  'entity.too.large': {
    status: 413,
    code: ErrorCode.PAYLOAD_TOO_LARGE,
    message: 'The request body is larger than 1 MB.',
  },
  'encoding.unsupported': {
    status: 415,
    code: ErrorCode.BAD_REQUEST,
    message: 'The request body has an unsupported content encoding.',
  },
  'charset.unsupported': {
    status: 415,
    code: ErrorCode.BAD_REQUEST,
    message: 'The request body has an unsupported charset; send UTF-8.',
  },
  'request.aborted': {
    status: 400,
    code: ErrorCode.BAD_REQUEST,
    message: 'The request was aborted.',
  },
  'request.size.invalid': {
    status: 400,
    code: ErrorCode.BAD_REQUEST,
    message: 'The request body does not match its content-length.',
  },
};

/**
 * The last handler: an error that reached Express answers JSON with a code, never Express's HTML
 * page (which shows a stack trace and file paths). A client error (4xx) says what was wrong; anything
 * else is INTERNAL_SERVER_ERROR, logged in full with the request id.
 */
export const jsonErrors: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  const e = (err ?? {}) as { type?: unknown; status?: unknown; expose?: unknown };
  const known = typeof e.type === 'string' ? BODY_ERRORS[e.type] : undefined;
  if (known) {
    sendError(res, known.status, known.code, known.message);
    return;
  }
  const status = typeof e.status === 'number' ? e.status : 500;
  if (status >= 400 && status < 500 && e.expose === true) {
    // Another client error Express or a parser raised (e.g. a malformed path encoding).
    sendError(res, status, ErrorCode.BAD_REQUEST, 'The request is malformed.');
    return;
  }
  const log = requestLocals(res).log;
  log.error({ err, method: req.method, path: req.path }, 'unexpected error');
  sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error.');
};

/** What a cross-origin caller may send and read (CORS). */
const CORS_METHODS = 'GET, POST, OPTIONS';
const CORS_HEADERS =
  'authorization, content-type, idempotency-key, apollo-require-preflight, x-apollo-operation-name';
const CORS_EXPOSED = 'retry-after, x-request-id, idempotency-replayed';

/**
 * CORS for /graphql: a request from an origin in `origins` (CORS_ORIGINS, exact matches) gets
 * `Access-Control-Allow-Origin` with that origin, and its preflight is answered 204 with the
 * methods and headers allowed (`authorization` among them). A preflight from any other origin is
 * refused 403 with a JSON error; its other requests get no CORS headers, so the browser withholds
 * the answer. Apollo's CSRF prevention is untouched: a simple request (no preflight) from anywhere
 * is still refused before it runs.
 */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    const preflight =
      req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (origin === undefined) return next();
    res.vary('Origin');
    if (!allowed.has(origin)) {
      if (preflight)
        return sendError(
          res,
          403,
          ErrorCode.FORBIDDEN,
          `Origin ${origin.slice(0, 100)} may not call this API (CORS_ORIGINS).`,
        );
      return next();
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED);
    if (!preflight) return next();
    res.setHeader('Access-Control-Allow-Methods', CORS_METHODS);
    res.setHeader('Access-Control-Allow-Headers', CORS_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
