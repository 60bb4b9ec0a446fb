/**
 * Reading one environment variable each: a value of the right shape, or a ConfigError naming the
 * variable and what it must be (config.ts puts them together into the Config).
 */

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

/** WEBHOOK_PRIVATE_ADDRESSES: `refuse` or `allow` (any case); refuse in production when unset. */
export function privateAddressPolicy(
  env: NodeJS.ProcessEnv,
  production: boolean,
): 'refuse' | 'allow' {
  const variable = 'WEBHOOK_PRIVATE_ADDRESSES';
  const text = emptyToUndefined(env[variable])?.trim().toLowerCase();
  if (text === undefined) return production ? 'refuse' : 'allow';
  if (text === 'refuse' || text === 'allow') return text;
  throw new ConfigError(variable, `must be refuse or allow, got "${String(env[variable])}"`);
}

/** `true` or `false` (any case), or `fallback` when unset or empty. */
export function flag(env: NodeJS.ProcessEnv, variable: string, fallback: boolean): boolean {
  const text = emptyToUndefined(env[variable])?.trim().toLowerCase();
  if (text === undefined) return fallback;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new ConfigError(variable, `must be true or false, got "${String(env[variable])}"`);
}

export function postgresUrl(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const text = emptyToUndefined(env[variable]);
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(variable, 'must be a URL such as postgres://user@host:5432/db');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(variable, `must use postgres://, got "${url.protocol}"`);
  }
  return text;
}

/** A whole number of milliseconds from `min` to `max`, or `fallback` when unset. */
export function milliseconds(
  env: NodeJS.ProcessEnv,
  variable: string,
  fallback: number,
  min: number,
  max: number,
): number {
  return wholeNumber(
    env,
    variable,
    fallback,
    min,
    max,
    `a whole number of milliseconds from ${min} to ${max}`,
  );
}

/** A whole number from `min` to `max` (`what` says so in the error), or `fallback` when unset. */
export function wholeNumber(
  env: NodeJS.ProcessEnv,
  variable: string,
  fallback: number,
  min: number,
  max: number,
  what = `an integer from ${min} to ${max}`,
): number {
  const text = env[variable] ?? String(fallback);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ConfigError(variable, `must be ${what}, got "${text}"`);
  }
  return value;
}

export function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * CORS_ORIGINS: exact origins, comma-separated (`https://app.example.gov,http://localhost:5173`);
 * each a scheme, host and optional port, nothing more. No wildcard: a token-bearing API answers
 * only the front ends it names.
 */
export function originList(raw: string | undefined): string[] {
  const items = (raw ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const item of items) {
    let origin: string | null = null;
    try {
      const url = new URL(item);
      origin = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
    } catch {
      origin = null;
    }
    if (origin !== item)
      throw new ConfigError(
        'CORS_ORIGINS',
        `holds "${item.slice(0, 100)}", which is not an origin like https://app.example.gov or http://localhost:5173 (scheme, host and port only)`,
      );
  }
  return [...new Set(items)];
}
