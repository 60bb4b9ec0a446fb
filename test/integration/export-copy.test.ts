/**
 * The two ways an export's file is written agree byte for byte: PostgreSQL's own COPY (CSV with
 * its LF line ends turned into CRLF, NDJSON through `row_to_json`) and the service's formatter
 * over the same rows (the cursor path, used on the embedded database). Text that needs quoting,
 * quotes, line breaks inside a field, backslashes, commas, non-ASCII, numbers and nulls; chunks
 * cut at every byte, so a line end split from its quotes is still right.
 */
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { inlineParams } from '../../src/common/sql-literal';
import {
  copyStatement,
  crlfLines,
  lineFormat,
  type ExportFormat,
} from '../../src/server/exports/format';
import { ADMIN_URL } from '../helpers/database';

let client: Client;
beforeAll(async () => {
  client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`SET DateStyle = 'ISO, YMD'`);
});
afterAll(() => client?.end());

const TEXTS = [
  'plain',
  'Queens, NY',
  'the "JFK" gate',
  'two\nlines',
  'cr\r\nlf',
  'back\\slash \\N',
  'Ñandú – 東京',
  "it's",
  '"',
  ',',
];

/** Each text with a number, a date and a null, in the given order, as one statement. */
const SQL = `SELECT t.text, t.n::bigint AS count, DATE '2024-01-01' + t.n::int AS week, NULL::text AS missing
               FROM unnest($1::text[]) WITH ORDINALITY AS t(text, n)
              ORDER BY t.n`;
const COLUMNS = ['text', 'count', 'week', 'missing'];

async function copied(format: ExportFormat, cut: number): Promise<string> {
  const stream = client.query(copyTo(copyStatement(inlineParams(SQL, [TEXTS]), format)));
  const whole: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) whole.push(chunk);
  // Fed again in pieces of `cut` bytes: the line ends' state carries across pieces.
  const bytes = Buffer.concat(whole);
  const text = format === 'csv' ? crlfLines() : (b: Buffer) => b;
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += cut) out.push(text(bytes.subarray(i, i + cut)));
  return Buffer.concat(out).toString('utf8');
}

async function formatted(format: ExportFormat): Promise<string> {
  const { rows } = await client.query<Record<string, string | null>>(SQL, [TEXTS]);
  const lines = lineFormat(format, COLUMNS);
  return (
    lines.header +
    rows
      .map((r) => {
        const week = r.week as unknown as Date;
        const day = `${week.getFullYear()}-${String(week.getMonth() + 1).padStart(2, '0')}-${String(week.getDate()).padStart(2, '0')}`;
        return lines.line([r.text, Number(r.count), day, r.missing]);
      })
      .join('')
  );
}

test.each(['csv', 'ndjson'] as const)(
  '%s: COPY writes what the formatter writes',
  async (format) => {
    const expected = await formatted(format);
    for (const cut of [1, 2, 3, 7, 64, 1 << 20]) expect(await copied(format, cut)).toBe(expected);
  },
);

test('a literal written into a statement reads back as the value itself', async () => {
  const values = [...TEXTS, "'; DROP TABLE x; --", "E'\\'", '$1'];
  const { rows } = await client.query<{ v: string[] }>(
    inlineParams('SELECT $1::text[] AS v', [values]),
  );
  expect(rows[0].v).toEqual(values);
  const { rows: scalars } = await client.query(
    inlineParams('SELECT $1::text AS a, $2::int AS b, $3::text AS c, $4::uuid[] AS d', [
      'x\\y',
      42,
      null,
      [],
    ]),
  );
  expect(scalars[0]).toEqual({ a: 'x\\y', b: 42, c: null, d: [] });
});

test('crlfLines leaves an LF inside quotes and turns every other into CRLF', () => {
  const f = crlfLines();
  const parts = ['a,"x', '\ny",b\n', 'c\n'].map((s) => f(Buffer.from(s)).toString());
  expect(parts.join('')).toBe('a,"x\ny",b\r\nc\r\n');
});
