/**
 * Hand-built bearer tokens for authentication tests. `signToken()` with no options makes a token
 * the test server accepts (HS256, the test secret, the configured issuer and audience, one hour
 * of validity); each option changes exactly one thing, so a refused token shows which check fired.
 */
import { SignJWT, type JWTPayload } from 'jose';
import { TEST_JWT_SECRET } from './server';

export const TOKEN_ISSUER = 'enforcement-priorities';
export const TOKEN_AUDIENCE = 'enforcement-priorities-api';

export interface TokenOptions {
  /** The subject (user id); `null` leaves `sub` out. */
  sub: string | null;
  /** HMAC secret; default the test server's. */
  secret?: string;
  /** Default HS256 (the only algorithm the test server accepts). */
  alg?: 'HS256' | 'HS384' | 'HS512';
  /** Default TOKEN_ISSUER; `null` leaves `iss` out. */
  issuer?: string | null;
  /** Default TOKEN_AUDIENCE; `null` leaves `aud` out. */
  audience?: string | string[] | null;
  /** Seconds from now until `exp` (negative: already expired); default 3600; `null` leaves `exp` out. */
  expiresIn?: number | null;
  /** Seconds from now until `nbf`; default: no `nbf`. */
  notBefore?: number;
  /** Seconds from now of `iat` (positive: issued in the future); default 0. */
  issuedIn?: number;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export async function signToken(options: TokenOptions): Promise<string> {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' });
  if (options.sub !== null) jwt.setSubject(options.sub);
  const issuer = options.issuer === undefined ? TOKEN_ISSUER : options.issuer;
  if (issuer !== null) jwt.setIssuer(issuer);
  const audience = options.audience === undefined ? TOKEN_AUDIENCE : options.audience;
  if (audience !== null) jwt.setAudience(audience);
  jwt.setIssuedAt(nowSeconds() + (options.issuedIn ?? 0));
  const expiresIn = options.expiresIn === undefined ? 3600 : options.expiresIn;
  if (expiresIn !== null) jwt.setExpirationTime(nowSeconds() + expiresIn);
  if (options.notBefore !== undefined) jwt.setNotBefore(nowSeconds() + options.notBefore);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

const base64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** A complete, otherwise valid claim set. */
export function validClaims(sub: string): JWTPayload {
  const now = nowSeconds();
  return { sub, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: now, exp: now + 3600 };
}

/** An unsecured JWT (`alg: none`, empty signature) carrying `claims`. */
export function unsecuredToken(claims: JWTPayload): string {
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
}

/** `token` with its payload replaced by `claims` and the original signature kept. */
export function withSwappedPayload(token: string, claims: JWTPayload): string {
  const [header, , signature] = token.split('.');
  return `${header}.${base64url(claims)}.${signature}`;
}
