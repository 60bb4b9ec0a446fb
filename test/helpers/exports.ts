/** Calls the file exports (GET /exports/...) and reads their CSV and NDJSON answers. */
import http from 'node:http';
import type { Client, TestServer } from './server';

export interface ExportResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON error body of a refusal (null for a file). */
  json: { errors: { message: string; extensions: { code: string; field?: string } }[] } | null;
}

/** The export's address: the service's origin, `path`, and the query parameters. */
export function exportUrl(client: Client, path: string, query: Record<string, string>): string {
  const url = new URL(path, client.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.append(k, v);
  return url.toString();
}

export async function getExport(
  client: Client,
  path: string,
  query: Record<string, string>,
): Promise<ExportResponse> {
  const res = await fetch(exportUrl(client, path, query), {
    headers: client.token ? { authorization: `Bearer ${client.token}` } : {},
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.startsWith('application/json')
    ? (JSON.parse(text) as ExportResponse['json'])
    : null;
  return { status: res.status, headers: res.headers, text, json };
}

/** RFC 4180 parsing (quoted fields, doubled quotes, CRLF), for checking what the exports write. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length) throw new Error('CSV does not end with CRLF');
  return rows;
}

/** The CSV as objects keyed by its header, empty fields as null. */
export function csvObjects(text: string): Record<string, string | null>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] === '' ? null : r[i]])));
}

export function ndjsonObjects(text: string): Record<string, unknown>[] {
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * Starts an export with node:http and hands back the response paused after its first chunk: the
 * client reads nothing more until `resume`, or goes away with `abort`.
 */
export function openExport(
  url: string,
  token: string,
): Promise<{
  status: number;
  received: () => number;
  resume: () => Promise<number>;
  abort: () => void;
}> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      res.once('data', (chunk: Buffer) => {
        bytes += chunk.length;
        res.pause();
        resolve({
          status: res.statusCode ?? 0,
          received: () => bytes,
          resume: () =>
            new Promise((done, fail) => {
              let ended = false;
              res.on('data', (c: Buffer) => (bytes += c.length));
              res.on('end', () => {
                ended = true;
                done(bytes);
              });
              res.on('error', fail);
              // Cut off by the server: the transfer never ended.
              res.on('close', () => {
                if (!ended) fail(new Error(`cut off after ${bytes} bytes`));
              });
              res.resume();
            }),
          abort: () => req.destroy(),
        });
      });
    });
    req.on('error', reject);
  });
}

/**
 * Waits until every export has written its closing audit record. An export's `ENDED` record is
 * written after its last byte, so a client can read a whole file before it commits; a test that
 * fingerprints the database next must not count it as a write of the call it checks.
 */
export async function exportsSettled(server: TestServer): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [{ open }] = await server.sql<{ open: number }>(
      `SELECT (count(*) FILTER (WHERE change ->> 'phase' = 'STARTED')
             - count(*) FILTER (WHERE change ->> 'phase' = 'ENDED'))::int AS open
         FROM audit_log WHERE operation LIKE 'export%'`,
    );
    if (open <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('an export never wrote its closing audit record');
}
