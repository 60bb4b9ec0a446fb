/** Opaque Relay cursors: base64url of a JSON array of the sort key's values. */
import { badInput } from './errors';

export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, field: string, arity: number): string[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string')
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
