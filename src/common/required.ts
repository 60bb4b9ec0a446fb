/** A row a foreign key guarantees: its absence is a bug (INTERNAL_SERVER_ERROR), not a client error. */
export function required<T>(value: T | undefined | null): T {
  if (value === undefined || value === null) throw new Error('referenced row missing');
  return value;
}
