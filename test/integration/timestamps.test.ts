/**
 * `timestamptz` parsing (src/db/timestamps.ts): the instant read from PostgreSQL's text is the
 * instant PostgreSQL holds, whatever the session's time zone (offsets of hours, of minutes, and
 * the seconds of local mean time before 1900), for fractions of any length; forms the fast path
 * does not read (infinity, BC, years past 9999 or before 100) give what pg's own parser gives.
 */
import fc from 'fast-check';
import { Client } from 'pg';
import { createDataSource } from '../../src/db/data-source';
import { fastTimestamptz, timestamptzParser } from '../../src/db/timestamps';
import { ADMIN_URL } from '../helpers/database';

const ZONES = ['UTC', 'America/New_York', 'Asia/Kolkata', 'America/St_Johns', 'Europe/Amsterdam'];

describe('fastTimestamptz', () => {
  it('reads any instant of years 100-9999 written with any offset and fraction', () => {
    fc.assert(
      fc.property(
        fc.record({
          ms: fc.integer({ min: Date.UTC(100, 0, 1), max: Date.UTC(9999, 11, 31) }),
          micro: fc.integer({ min: 0, max: 999 }),
          digits: fc.integer({ min: 0, max: 6 }),
          offset: fc.integer({ min: -15 * 3600, max: 15 * 3600 }),
          width: fc.constantFrom(1, 2, 3),
        }),
        ({ ms, micro, digits, offset, width }) => {
          // The wall time at `offset`, written as PostgreSQL writes it.
          const wall = new Date(ms + offset * 1000);
          const pad = (v: number, n = 2) => String(v).padStart(n, '0');
          const fraction = `${pad(wall.getUTCMilliseconds(), 3)}${pad(micro, 3)}`.slice(0, digits);
          const abs = Math.abs(offset);
          const parts = [
            pad(Math.floor(abs / 3600)),
            pad(Math.floor(abs / 60) % 60),
            pad(abs % 60),
          ];
          const text =
            `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ` +
            `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}` +
            `${digits ? `.${fraction}` : ''}${offset < 0 ? '-' : '+'}${parts.slice(0, width).join(':')}`;
          const shown = Math.floor(abs / 60) % 60 || abs % 60 ? 3 : 1;
          if (width < shown) return; // Not a form PostgreSQL writes for this offset.
          const fractionMs = digits >= 3 ? 0 : wall.getUTCMilliseconds() % [1000, 100, 10][digits];
          const year = wall.getUTCFullYear();
          const parsed = fastTimestamptz(text);
          if (year < 100 || year > 9999) {
            expect(parsed).toBeUndefined();
            return;
          }
          expect(parsed?.getTime()).toBe(ms - fractionMs);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('leaves other forms to the slow parser', () => {
    const slow = (text: string) => `slow:${text}`;
    const parse = timestamptzParser(slow);
    for (const text of [
      'infinity',
      '-infinity',
      '2020-01-01 00:00:00+00 BC',
      '12020-01-01 00:00:00+00',
      '0099-01-01 00:00:00+00',
      '2020-01-01 00:00:00',
      '2020-01-01 00:00:00.+00',
      '2020-01-01 00:00:00.1234567+00',
      '2020-01-01 00:00:00+0',
      '2020-01-01 00:00:00+00:3',
      '2020-01-01 00:00:00+00:30:00:00',
      '2020-0a-01 00:00:00+00',
    ])
      expect(parse(text)).toBe(`slow:${text}`);
  });
});

describe('timestamps read from PostgreSQL', () => {
  it('are the instants PostgreSQL holds, in any session time zone', async () => {
    // The service's data source registers the parser (as the service does).
    createDataSource({ url: ADMIN_URL, poolSize: 1 });
    const client = new Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      for (const zone of ZONES) {
        await client.query(`SELECT set_config('TimeZone', $1, false)`, [zone]);
        const { rows } = await client.query<{ at: Date | number; ms: string }>(
          `SELECT at, floor(extract(epoch FROM at) * 1000)::bigint::text AS ms
             FROM (VALUES (timestamptz '2026-12-02 23:51:48.123456+00'),
                          (timestamptz '2026-03-08 07:00:00.5+00'),
                          (timestamptz '1850-06-01 12:00:00+00'),
                          (timestamptz '0150-01-01 00:00:00.999+00'),
                          (timestamptz '9999-12-31 23:59:59.999999+00'),
                          (timestamptz '1999-12-31 23:59:59.0005+00'),
                          (timestamptz '2026-12-02 23:51:48+00')) v(at)
           UNION ALL SELECT t, floor(extract(epoch FROM t) * 1000)::bigint::text
             FROM generate_series(1, 300) g,
                  LATERAL (SELECT now() - g * interval '17 days 37 minutes 13.4567 seconds' AS t) x`,
        );
        for (const row of rows) {
          expect(row.at).toBeInstanceOf(Date);
          expect((row.at as Date).getTime()).toBe(Number(row.ms));
        }
        const { rows: special } = await client.query<{ a: unknown; b: unknown }>(
          `SELECT timestamptz 'infinity' AS a, timestamptz '-infinity' AS b`,
        );
        expect(special[0]).toEqual({ a: Infinity, b: -Infinity });
      }
    } finally {
      await client.end();
    }
  });
});
