/** Opaque Relay cursors: base64url of a JSON array of the sort key's values. */
import { badInput } from './errors';
import { isUuid } from './ids';

export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * What one value of a sort key may be. A cursor is client input: each value is checked to be what
 * the list encoded, so none reaches SQL as something the database refuses (a server error).
 */
export type CursorPart = 'instant' | 'uuid' | 'seq';

/** `Date.toISOString()` as the lists encode it (Date.parse alone accepts '1' as 2001). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** 1 to 2^63 - 1: a positive PostgreSQL bigint. */
const MAX_BIGINT = 9223372036854775807n;

function partOk(kind: CursorPart, value: string): boolean {
  switch (kind) {
    case 'instant':
      return ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
    case 'uuid':
      return isUuid(value);
    case 'seq':
      return /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= MAX_BIGINT;
  }
}

export function decodeCursor(cursor: string, field: string, parts: CursorPart[]): string[] {
  return decodeCursorWith(
    cursor,
    field,
    parts.map((kind) => (v) => partOk(kind, v)),
  );
}

/**
 * The values of a cursor whose key has its own checks, one a value (each value a string): for a
 * list whose key is not made of the common parts (figures keyed by week, office code and enums).
 */
export function decodeCursorWith(
  cursor: string,
  field: string,
  checks: ((value: string) => boolean)[],
): string[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(values) &&
      values.length === checks.length &&
      values.every((v, i) => typeof v === 'string' && checks[i](v))
    ) {
      return values as string[];
    }
  } catch {
    // fall through
  }
  throw badInput(field, 'is not a cursor from this list');
}

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw badInput('first', `must be from 1 to ${MAX_PAGE}`);
  }
  return first;
}
