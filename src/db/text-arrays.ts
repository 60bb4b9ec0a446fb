/**
 * `text[]` and `uuid[]` values (and enum arrays, which the lean reads cast to `text[]`) from
 * PostgreSQL's text format, split without a character-by-character parser when nothing in them is
 * quoted (a uuid never is).
 *
 * PostgreSQL quotes an element that is empty, holds a delimiter, brace, quote, backslash or space,
 * or reads `NULL` as a word; it writes a null element as an unquoted `NULL`. So a value with no `"`,
 * no `\` and no inner brace is `{a,b,c}` with plain elements, split on commas here; anything else
 * (quoted elements, nested arrays, dimension decorations such as `[0:1]={…}`) goes to pg's own
 * parser. Enum arrays were a few per cent of a page's main thread in that parser, and the audit
 * chainer reads every record's ids.
 */

const OPEN = 123;
const CLOSE = 125;

/** pg's `text[]` parser with plain values split here first; `slow` reads the rest. */
export function textArrayParser<T>(
  slow: (text: string) => T,
): (text: string) => (string | null)[] | T {
  return (text) => plainTextArray(text) ?? slow(text);
}

/** The elements of a one-dimensional array with no quoted element; undefined for any other form. */
export function plainTextArray(s: string): (string | null)[] | undefined {
  const n = s.length;
  if (n < 2 || s.charCodeAt(0) !== OPEN || s.charCodeAt(n - 1) !== CLOSE) return undefined;
  if (n === 2) return [];
  const inner = s.slice(1, -1);
  for (const special of ['"', '\\', '{', '}']) if (inner.includes(special)) return undefined;
  const parts: (string | null)[] = inner.split(',');
  for (let i = 0; i < parts.length; i++) if (parts[i] === 'NULL') parts[i] = null;
  return parts;
}
