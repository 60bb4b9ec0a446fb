/**
 * The two file formats of the exports: CSV by RFC 4180 (a header row, CRLF line ends, a field
 * quoted when it holds a comma, a double quote, CR or LF, quotes doubled; null is an empty field)
 * and NDJSON (one JSON object a line, keys in column order, null kept). Both UTF-8.
 */
export type ExportFormat = 'csv' | 'ndjson';

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

type Value = string | number | boolean | null;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: Value): string {
  if (value === null) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** How one export's rows become text: the first line, and each row's line. */
export interface LineFormat {
  header: string;
  line(values: Value[]): string;
}

export function lineFormat(format: ExportFormat, columns: readonly string[]): LineFormat {
  if (format === 'csv')
    return {
      header: `${columns.map(csvField).join(',')}\r\n`,
      line: (values) => `${values.map(csvField).join(',')}\r\n`,
    };
  // A key list fixed once: JSON.stringify of a fresh object per row keeps the column order.
  return {
    header: '',
    line: (values) => {
      const o: Record<string, Value> = {};
      for (let i = 0; i < columns.length; i++) o[columns[i]] = values[i];
      return `${JSON.stringify(o)}\n`;
    },
  };
}

/**
 * `sql` (a statement whose columns are the file's, `RowExport.copy`) as the COPY that writes the
 * file. CSV: PostgreSQL's own CSV with a header row (the same quoting rules, a line end of LF that
 * `crlfLines` turns into CRLF). NDJSON: each row's `row_to_json`, written through the CSV format
 * with a quote and a delimiter JSON text never holds (it escapes every control character), so
 * each line is the JSON text as it is.
 */
export function copyStatement(sql: string, format: ExportFormat): string {
  if (format === 'csv') return `COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER true)`;
  return `COPY (SELECT row_to_json(f)::text FROM (${sql}) f) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`;
}

/**
 * PostgreSQL's CSV as RFC 4180 wants it: each line end (an LF outside quotes; an LF inside a
 * quoted field is data) as CRLF. Keeps whether it is inside quotes from one chunk to the next.
 */
export function crlfLines(): (chunk: Buffer) => Buffer {
  let quoted = false;
  return (chunk) => {
    // The line ends of this chunk, found first: the copy is then one buffer, written in place (a
    // view per line would be 160,000 small objects a file for the collector).
    const ends: number[] = [];
    if (!quoted && chunk.indexOf(0x22) < 0) {
      // No quote in the chunk (figures: codes, enums, dates, numbers): every LF ends a line.
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) ends.push(i);
    } else {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b === 0x22) quoted = !quoted;
        else if (b === 0x0a && !quoted) ends.push(i);
      }
    }
    if (!ends.length) return chunk;
    const out = Buffer.allocUnsafe(chunk.length + ends.length);
    let from = 0;
    let at = 0;
    for (const end of ends) {
      at += chunk.copy(out, at, from, end);
      out[at++] = 0x0d;
      out[at++] = 0x0a;
      from = end + 1;
    }
    chunk.copy(out, at, from);
    return out;
  };
}
