/**
 * Request rate limits on /graphql: each user (keyed by the id in a verified token) and, for calls
 * without a valid token, each client address gets `RATE_LIMIT_PER_MINUTE` requests a minute. With a
 * real PostgreSQL the counts live in the `rate_limits` table, so every service process draws on the
 * same budget; if that store fails, an in-process limiter takes over (limits stay on, an outage never
 * turns into refusals or 500s). The embedded database keeps them in memory (one process).
 */
import type { RequestHandler } from 'express';
import type { Pool } from 'pg';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { TokenVerifier } from '../auth/jwt';
import { ErrorCode } from '../common/errors';
import { requestLocals, sendError } from './http';

const WINDOW_SECONDS = 60;

/**
 * The limiter for `perMinute` requests a minute per key, or null when limits are off (0). `shared`:
 * the real PostgreSQL whose pool (TypeORM's pg Pool) holds the shared counts.
 */
export function createRateLimiter(
  perMinute: number,
  shared: DataSource | undefined,
): RateLimiterAbstract | null {
  if (perMinute === 0) return null;
  const options = { keyPrefix: 'graphql', points: perMinute, duration: WINDOW_SECONDS };
  const memory = new RateLimiterMemory(options);
  if (!shared) return memory;
  return new RateLimiterPostgres({
    ...options,
    storeClient: (shared.driver as PostgresDriver).master as Pool,
    storeType: 'pool',
    tableName: 'rate_limits',
    // Created by a migration: the service needs no DDL rights.
    tableCreated: true,
    insuranceLimiter: memory,
  });
}

/** Whom a request counts against: the verified token's user, else the client address. */
async function limitKey(
  verifier: TokenVerifier,
  authorization: string | undefined,
  address: string | undefined,
): Promise<{ key: string; by: 'user' | 'address' }> {
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (match) {
    try {
      return { key: `user:${await verifier.verify(match[1])}`, by: 'user' };
    } catch {
      // An invalid token is an unauthenticated call: it counts against its address.
    }
  }
  return { key: `addr:${address ?? 'unknown'}`, by: 'address' };
}

/**
 * In front of /graphql (before the body is read): one point per request; over the limit, HTTP 429
 * with `Retry-After` and a RATE_LIMITED error carrying `retryAfterSeconds`.
 */
export function rateLimit(limiter: RateLimiterAbstract, verifier: TokenVerifier): RequestHandler {
  return async (req, res, next) => {
    const { key, by } = await limitKey(verifier, req.headers.authorization, req.ip);
    try {
      await limiter.consume(key);
    } catch (rejection) {
      const { log } = requestLocals(res);
      if (!(rejection instanceof RateLimiterRes)) {
        // Both the store and the in-process limiter failed: let the request through, say so.
        log.error({ err: rejection }, 'rate limiter failed; request not counted');
        next();
        return;
      }
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      log.warn({ limitedBy: by, key, retryAfterSeconds }, 'rate limited');
      res.setHeader('retry-after', String(retryAfterSeconds));
      sendError(
        res,
        429,
        ErrorCode.RATE_LIMITED,
        `Too many requests: at most ${limiter.points} a minute. Retry after ${retryAfterSeconds} s.`,
        { retryAfterSeconds },
      );
      return;
    }
    next();
  };
}
