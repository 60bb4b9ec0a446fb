/**
 * Bearer tokens: HS256 with a shared secret (development), or RS256/ES256 keys from a JWKS address
 * (production). Algorithms are pinned; issuer, audience and expiry are always checked.
 */
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config';
import { localSecret } from './local-secret';

export interface TokenVerifier {
  /** The user id (`sub`) of a valid token; throws on anything else. */
  verify(token: string): Promise<string>;
}

export interface TokenSettings {
  secret: Uint8Array | undefined;
  jwksUrl: string | undefined;
  issuer: string;
  audience: string;
}

const SECRET_FILE = 'jwt-secret';

/** How far ahead of this machine's clock a token's `iat` may be (the issuer's clock may run fast). */
export const MAX_CLOCK_SKEW_SECONDS = 60;

/** A user id exactly as the database writes it: a token naming it any other way names no one. */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The HS256 secret: `JWT_SECRET`, or outside production one generated once and kept in the data
 * directory, so tokens survive restarts and `npm run token` signs with the same key.
 */
export function resolveTokenSettings(config: Config): TokenSettings {
  let secret: string | undefined = config.jwtSecret;
  if (secret === undefined && config.jwksUrl === undefined && !config.production) {
    secret = localSecret(config.dataDir, SECRET_FILE);
  }
  return {
    secret: secret === undefined ? undefined : new TextEncoder().encode(secret),
    jwksUrl: config.jwksUrl,
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
  };
}

/** Tokens verified lately, kept so a client's next requests skip the signature check. */
const VERIFIED_TOKENS = 10_000;
/** How long a verified token is taken on trust at most (a key removed from the JWKS counts after this). */
const VERIFIED_FOR_MS = 60_000;

export function createVerifier(settings: TokenSettings): TokenVerifier {
  // By the whole token (signature included): the same text always verifies the same way, except
  // for time, so an entry is used only before the token's expiry and for at most a minute.
  const verified = new Map<string, { sub: string; until: number }>();
  const jwks: JWTVerifyGetKey | undefined = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl))
    : undefined;
  const options = {
    issuer: settings.issuer,
    audience: settings.audience,
    requiredClaims: ['sub', 'exp'],
  };
  return {
    async verify(token: string): Promise<string> {
      const now = Date.now();
      const known = verified.get(token);
      if (known && now < known.until) return known.sub;
      const { payload } = jwks
        ? await jwtVerify(token, jwks, { ...options, algorithms: ['RS256', 'ES256'] })
        : await jwtVerify(token, requireSecret(settings), { ...options, algorithms: ['HS256'] });
      // jose checks `iat` against the clock only with maxTokenAge; a token issued in the future is
      // a forged or mis-clocked one either way.
      if (
        payload.iat !== undefined &&
        payload.iat > Math.floor(Date.now() / 1000) + MAX_CLOCK_SKEW_SECONDS
      )
        throw new Error('token issued in the future');
      // PostgreSQL compares uuids case-insensitively; the token must name the id exactly.
      if (typeof payload.sub !== 'string' || !CANONICAL_UUID.test(payload.sub))
        throw new Error('token has no subject');
      if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value!);
      verified.set(token, {
        sub: payload.sub,
        until: Math.min((payload.exp ?? 0) * 1000, now + VERIFIED_FOR_MS),
      });
      return payload.sub;
    },
  };
}

export async function signDevelopmentToken(
  settings: TokenSettings,
  userId: string,
  ttlSeconds = 12 * 3600,
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(requireSecret(settings));
}

function requireSecret(settings: TokenSettings): Uint8Array {
  if (!settings.secret)
    throw new Error(
      'no JWT secret configured (JWKS_URL is set: tokens come from the identity provider)',
    );
  return settings.secret;
}
