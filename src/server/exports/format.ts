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
