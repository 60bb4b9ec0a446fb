/**
 * Parameters written into a statement as literals, for the one kind of statement that takes none:
 * `COPY (query) TO STDOUT` (the exports). Only for values the service made or checked itself
 * (dates, ids, enum names, codes read from the database): strings are quoted by the rules of
 * `standard_conforming_strings` either way (an `E''` literal with doubled backslashes when one
 * holds a backslash), so even text from a client could not end the literal early.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return sqlLiteral(value.toISOString());
  // An empty array has no element to type it: '{}' takes the cast the statement puts after it.
  if (Array.isArray(value))
    return value.length ? `ARRAY[${value.map(sqlLiteral).join(',')}]` : `'{}'`;
  if (typeof value !== 'string') throw new Error(`no literal for a ${typeof value}`);
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

/** `sql` with each `$n` replaced by the literal of `params[n - 1]`. */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new Error(`no parameter $${n}`);
    return sqlLiteral(params[i]);
  });
}
