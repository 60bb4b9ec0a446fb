/**
 * The check that makes the baseline a baseline: the raw server's `data` must be the service's,
 * value for value. Key order is not compared (JSON objects have none); list order is.
 */

/** Where two JSON values first differ, as a path and both values; null when they are equal. */
export function firstDifference(a: unknown, b: unknown, path = 'data'): string | null {
  if (a === b) return null;
  const show = (v: unknown) => JSON.stringify(v)?.slice(0, 120) ?? String(v);
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (kind(a) !== kind(b) || (kind(a) !== 'array' && kind(a) !== 'object')) {
    return `${path}: ${show(a)} ≠ ${show(b)}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} items ≠ ${b.length} items`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const k of [...keys].sort()) {
    if (!(k in x) || !(k in y))
      return `${path}.${k}: ${k in x ? 'only in the first' : 'only in the second'}`;
    const d = firstDifference(x[k], y[k], `${path}.${k}`);
    if (d) return d;
  }
  return null;
}
