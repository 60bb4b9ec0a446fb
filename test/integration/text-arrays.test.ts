/**
 * `text[]` and `uuid[]` parsing (src/db/text-arrays.ts): whatever strings and nulls an array holds, what the
 * service reads back from PostgreSQL is the array it holds: plain elements split on commas,
 * quoted, escaped, empty and NULL-looking ones through pg's own parser, enum arrays included.
 */
import fc from 'fast-check';
import { Client } from 'pg';
import { createDataSource } from '../../src/db/data-source';
import { plainTextArray } from '../../src/db/text-arrays';
import { ADMIN_URL } from '../helpers/database';

let client: Client;

beforeAll(async () => {
  // The service's data source registers the parsers (as the service does).
  createDataSource({ url: ADMIN_URL, poolSize: 1 });
  client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

test('any array of strings and nulls reads back as it was written', async () => {
  const element = fc.oneof(
    fc.constantFrom('a', 'NULL', 'null', '', ' ', ',', '{', '}', '"', '\\', 'a b', 'é’'),
    fc.string({ maxLength: 12 }),
    fc.constant(null),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(element, { maxLength: 8 }), async (values) => {
      const { rows } = await client.query<{ a: (string | null)[] }>(`SELECT $1::text[] AS a`, [
        values,
      ]);
      expect(rows[0].a).toEqual(values);
    }),
    { numRuns: 300 },
  );
});

test('uuid arrays read back as written, nulls included', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.option(fc.uuid(), { nil: null }), { maxLength: 60 }),
      async (ids) => {
        const { rows } = await client.query<{ a: (string | null)[] }>(`SELECT $1::uuid[] AS a`, [
          ids,
        ]);
        expect(rows[0].a).toEqual(ids);
      },
    ),
    { numRuns: 100 },
  );
});

test('enum arrays cast to text[], as the lean reads do, and the forms left to pg', async () => {
  const { rows } = await client.query<{ a: string[]; e: string[]; n: null; d: string[] }>(
    `SELECT ARRAY['PUBLIC_SAFETY', 'BORDER_SECURITY']::text[] AS a, ARRAY[]::text[] AS e,
            NULL::text[] AS n, '[0:1]={x,y}'::text[] AS d`,
  );
  expect(rows[0]).toEqual({
    a: ['PUBLIC_SAFETY', 'BORDER_SECURITY'],
    e: [],
    n: null,
    d: ['x', 'y'],
  });
  expect(plainTextArray('{a,NULL,b}')).toEqual(['a', null, 'b']);
  for (const text of ['{"a b",c}', '{{a},{b}}', '[0:1]={x,y}', '{a\\,b}', 'x'])
    expect(plainTextArray(text)).toBeUndefined();
});
