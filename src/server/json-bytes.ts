/**
 * An answer's JSON as UTF-8 bytes, written a few kilobytes at a time.
 *
 * Why not `JSON.stringify` and let Express encode the string: on Node 20, an answer holding any
 * character outside Latin-1 (a `’` in an assessment's summary is enough) comes out of
 * `JSON.stringify` as a tree of two-byte pieces, and the first thing that reads it whole (Express
 * turning it into bytes) copies it into one flat string of two bytes a character. Past 64 K
 * characters that copy lands in V8's large-object space, freshly mapped memory each time: about
 * 0.7 ms for a 75 KB page of 50 cases on the machines we measure on, against 0.14 ms when the
 * answer is ASCII (docs/benchmarks.md, "The read path"). Encoding the text in pieces of at most
 * `PIECE` characters never builds the big string: the same bytes in about a third of the time.
 *
 * The bytes are exactly `JSON.stringify(value)`'s, encoded as UTF-8: `toJSON` is honoured (with
 * its key), `undefined`, functions and symbols are left out of objects and written `null` in
 * arrays, keys keep `Object.keys` order, and anything that is not a plain object or an array is
 * handed to `JSON.stringify` whole; `end` is written after it (Apollo ends its answers with a line
 * break). Circular values are not JSON: they fail here too (a RangeError rather than a TypeError).
 */

/** Characters gathered before they are encoded: far below the 64 K of a large two-byte string. */
const PIECE = 8192;

/** Keys written without escaping: GraphQL names (and most others) are of this form. */
const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

export function jsonBytes(value: unknown, end = ''): Buffer {
  const pieces: Buffer[] = [];
  let size = 0;
  let text = '';
  const put = (s: string) => {
    text += s;
    if (text.length >= PIECE) {
      const piece = Buffer.from(text, 'utf8');
      pieces.push(piece);
      size += piece.length;
      text = '';
    }
  };
  const skipped = (v: unknown) =>
    v === undefined || typeof v === 'function' || typeof v === 'symbol';

  const write = (input: unknown, key: string): void => {
    let v = input;
    if (
      v !== null &&
      typeof v === 'object' &&
      typeof (v as { toJSON?: unknown }).toJSON === 'function'
    )
      v = (v as { toJSON: (key: string) => unknown }).toJSON(key);
    if (v === null || typeof v !== 'object') {
      // Strings, numbers (non-finite ones as null), booleans; undefined only at the top.
      put(JSON.stringify(v) ?? 'null');
      return;
    }
    if (Array.isArray(v)) {
      put('[');
      for (let i = 0; i < v.length; i++) {
        if (i) put(',');
        const item: unknown = v[i];
        if (skipped(item)) put('null');
        else write(item, String(i));
      }
      put(']');
      return;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      // Boxed primitives, maps and other classes: as JSON.stringify writes them.
      put(JSON.stringify(v) ?? 'null');
      return;
    }
    const record = v as Record<string, unknown>;
    put('{');
    let first = true;
    for (const k of Object.keys(record)) {
      const item = record[k];
      if (skipped(item)) continue;
      put(`${first ? '' : ','}${PLAIN_KEY.test(k) ? `"${k}"` : JSON.stringify(k)}:`);
      first = false;
      write(item, k);
    }
    put('}');
  };

  write(value, '');
  text += end;
  if (text) {
    const piece = Buffer.from(text, 'utf8');
    pieces.push(piece);
    size += piece.length;
  }
  return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, size);
}
