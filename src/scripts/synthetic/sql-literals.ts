/** Literals written into the generator's SQL (the values are ours, never a client's). */

export const lit = {
  text: (s: string) => `'${s.replace(/'/g, "''")}'`,
  textArray: (list: readonly string[]) =>
    `ARRAY[${list.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]::text[]`,
  intArray: (list: readonly number[]) =>
    `ARRAY[${list.map((n) => String(Math.trunc(n))).join(',')}]::int[]`,
  boolArray: (list: readonly boolean[]) => `ARRAY[${list.map(String).join(',')}]::boolean[]`,
  date: (d: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new Error(`not a date: ${d}`);
    return `DATE '${d}'`;
  },
};

/** `list[1 + floor(r * n)]` in SQL, for a literal list. */
export const pickSql = (list: readonly string[], r: string) =>
  `(${lit.textArray(list)})[1 + floor(${r} * ${list.length})::int]`;
