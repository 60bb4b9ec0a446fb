/**
 * Values for the leaves of GraphQL inputs (scalars and enums), plausible or hostile: the pieces
 * test/helpers/fuzz.ts assembles into whole inputs. Plausible values are chosen by the field's name
 * (an A-number for `aNumber`, a sentence for a `reason`, a real case id for `caseId`, a Monday for
 * a `weekStart`) so that calls succeed often enough for the success paths to run.
 */
import fc from 'fast-check';
import type { GraphQLEnumType, GraphQLScalarType } from 'graphql';

/** What an answer must never contain: the marks of a stack trace or of the server's files. */
export const STACK_MARKERS = ['    at ', 'node_modules', '.ts:'];

/** Real ids and codes of the test database, by kind, in a stable order. */
export interface Pools {
  cases: string[];
  requests: string[];
  actions: string[];
  users: string[];
  offices: string[];
  convictions: string[];
  officeCodes: string[];
  policyCodes: string[];
}

export interface FuzzContext {
  pools: Pools;
  /** The service's clock: plausible instants lie before it. */
  now: Date;
}

const HOSTILE_TEXT = [
  '',
  ' ',
  '\t\n\r',
  "'; DROP TABLE cases; --",
  "' OR '1'='1",
  '" OR ""="',
  '$1',
  '\\',
  '\\x00',
  '%s%s%s%n',
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../etc/passwd',
  'null',
  'undefined',
  '0',
  '-1',
  'NaN',
  '\u202eevil',
  'zero\u200bwidth',
  '😀👨‍👩‍👧‍👦',
  'Ωmega ünïcödé 名前',
  '\ud800 lone surrogate',
  'nul\u0000inside',
  '\u0000',
  'A123-456-789\u0000',
];

const words = (min: number, max: number) =>
  fc
    .array(
      fc.constantFrom(...'lorem ipsum dolor sit amet queens laredo port entry warrant'.split(' ')),
      {
        minLength: min,
        maxLength: max,
      },
    )
    .map((w) => w.join(' '));

const sentence = words(14, 40).map((s) => `The subject ${s}.`);

const digits = (n: number) =>
  fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));

const aNumber = digits(9).chain((d) =>
  fc.constantFrom(`A${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`, d, `A${d}`),
);

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DAY = 86400_000;

/** A plausible string for a field, by its name. */
function plausibleText(field: string, mutation: string, ctx: FuzzContext): fc.Arbitrary<string> {
  const f = field.toLowerCase();
  const { officeCodes, policyCodes } = ctx.pools;
  if (f === 'anumber') return aNumber;
  if (f.includes('citizenship')) return fc.constantFrom('MX', 'GT', 'HN', 'CN', 'SV', 'IN');
  if (f === 'timezone')
    return fc.constantFrom('America/New_York', 'Europe/Paris', 'UTC', 'Asia/Kolkata', 'Mars/Base');
  if (f === 'email')
    return fc.integer({ min: 0, max: 1_000_000 }).map((n) => `fuzz.${n}@example.gov`);
  if (f === 'aggravatedfelonysubparagraph') return fc.constantFrom(...'ABCGKMU'.split(''));
  if (f === 'officecode' || f === 'officecodes') return fc.constantFrom(...officeCodes);
  if (f === 'code' && /polic/i.test(mutation)) return fc.constantFrom(...policyCodes);
  if (f === 'code') return fc.stringMatching(/^[A-Z]{2,8}$/);
  if (/justification|narrative|rationale|reason|note/.test(f)) return sentence;
  return words(1, 4).map((s) => s || 'x');
}

const hostileText: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(...HOSTILE_TEXT),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    // Long, but the whole body stays well under the 1 MB limit.
    fc.integer({ min: 201, max: 30_000 }).map((n) => 'x'.repeat(n)),
    fc.integer({ min: 1, max: 2_000 }).map((n) => 'é\u0000'.repeat(n)),
    // An echo of the input in a message must not pass for a stack trace.
  )
  .filter((s) => !STACK_MARKERS.some((m) => s.includes(m)));

/** A Monday in the year before the clock (weeks to report on). */
function monday(ctx: FuzzContext): fc.Arbitrary<string> {
  const now = ctx.now.getTime();
  const lastMonday = now - (((new Date(now).getUTCDay() + 6) % 7) + 7) * DAY;
  return fc.integer({ min: 0, max: 52 }).map((w) => isoDay(lastMonday - w * 7 * DAY));
}

/** Days from `from` to `to`, as 'YYYY-MM-DD' (births long before the events that follow them). */
function days(from: number, to: number): fc.Arbitrary<string> {
  return fc
    .integer({ min: 0, max: Math.floor((to - from) / DAY) })
    .map((d) => isoDay(from + d * DAY));
}

function plausibleDate(field: string, ctx: FuzzContext): fc.Arbitrary<string> {
  const now = ctx.now.getTime();
  if (/week/i.test(field)) return monday(ctx);
  if (/effective/i.test(field)) return days(now - 400 * DAY, now + 400 * DAY);
  if (/birth/i.test(field)) return days(Date.UTC(1940, 0, 1), Date.UTC(2000, 0, 1));
  return days(Date.UTC(2005, 0, 1), now - DAY);
}

const HOSTILE_DATES = [
  '1900-01-01',
  '2199-12-31',
  '1899-12-31',
  '2200-01-01',
  '9999-12-31',
  '0000-01-01',
  '2021-02-29',
  '2020-02-29',
  '2021-13-01',
  '2021-00-10',
  '2021-6-1',
  '20210601',
  '2021-06-01T00:00:00Z',
  '+010000-01-01',
  '-000001-01-01',
  ' 2021-06-01',
  '２０２１-06-01',
];

function plausibleInstant(ctx: FuzzContext): fc.Arbitrary<string> {
  const now = ctx.now.getTime();
  return fc
    .tuple(
      fc.oneof(
        fc.integer({ min: 60_000, max: 7 * DAY }),
        fc.integer({ min: 60_000, max: 500 * DAY }),
      ),
      fc.constantFrom('Z', '-04:00', '+05:30'),
    )
    .map(([back, zone]) => {
      const iso = new Date(now - back).toISOString();
      if (zone === 'Z') return iso;
      const shift = zone === '-04:00' ? -4 * 3600_000 : 5.5 * 3600_000;
      return new Date(now - back + shift).toISOString().replace('Z', zone);
    });
}

const HOSTILE_INSTANTS = [
  '1900-01-01T00:00:00Z',
  '2199-12-31T23:59:59.999Z',
  '1899-12-31T23:59:59.999Z',
  '2200-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '9999-12-31T23:59:59Z',
  '2021-06-01T14:00:00+14:00',
  '2021-06-01T14:00:00-12:00',
  '2030-01-01T00:00:00Z',
  '2016-12-31T23:59:60Z',
  '2021-06-01',
  '2021-06-01T25:00:00Z',
  '2021-13-01T00:00:00Z',
  '2021-06-01T14:00:00',
  'yesterday',
  '1622556000000',
];

const HOSTILE_INTS = [
  0,
  -1,
  1,
  2147483647,
  -2147483648,
  2147483648,
  -2147483649,
  2 ** 53,
  -(2 ** 53),
  1e308,
  -1e308,
  0.5,
  -0,
  1e-300,
  131,
  32768,
];

const WRONG_TYPES: unknown[] = [null, true, false, 0, -1, 1.5, '', 'x', '1', [], {}, [null]];

function idPool(field: string, mutation: string, ctx: FuzzContext): string[] {
  const p = ctx.pools;
  const hint = `${field} ${field === 'id' ? mutation : ''}`.toLowerCase();
  if (hint.includes('conviction')) return p.convictions;
  if (hint.includes('case')) return p.cases;
  if (hint.includes('request')) return p.requests;
  if (hint.includes('action')) return p.actions;
  if (hint.includes('user') || hint.includes('officer')) return p.users;
  if (hint.includes('office')) return p.offices;
  return [...p.cases, ...p.requests, ...p.actions];
}

/** plausible: realistic; hostile: edge and wrong values only; wild: a mix of both. */
export type Mode = 'plausible' | 'hostile' | 'wild';

function mixed(
  mode: Mode,
  plausible: fc.Arbitrary<unknown>,
  hostile: fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  if (mode === 'plausible') return plausible;
  const bad = fc.oneof(
    { arbitrary: hostile, weight: 3 },
    { arbitrary: fc.constantFrom(...WRONG_TYPES), weight: 1 },
  );
  return mode === 'hostile' ? bad : fc.oneof(plausible, bad);
}

function idArbitrary(field: string, mutation: string, ctx: FuzzContext, mode: Mode) {
  const hinted = idPool(field, mutation, ctx);
  const all = Object.values(ctx.pools).flat() as string[];
  const real = hinted.length ? fc.constantFrom(...hinted) : fc.uuid();
  const hostile = fc.oneof(
    // Real ids of another kind of record, unknown ones, and ids written differently.
    { arbitrary: fc.constantFrom(...all), weight: 3 },
    { arbitrary: fc.uuid(), weight: 3 },
    { arbitrary: real.map((id) => id.toUpperCase()), weight: 1 },
    { arbitrary: real.map((id) => ` ${id}`), weight: 1 },
    {
      arbitrary: fc.constantFrom<unknown>(
        'not-a-uuid',
        '00000000-0000-0000-0000-000000000000',
        'ffffffff-ffff-ffff-ffff-ffffffffffff',
        '{00000000-0000-0000-0000-000000000000}',
        12345,
        -1,
        "' OR '1'='1",
        'x'.repeat(5000),
      ),
      weight: 3,
    },
    { arbitrary: hostileText, weight: 1 },
  );
  return mixed(mode, real, hostile);
}

/** Values for a scalar: by its name, and for plausible ones by the field's name. */
export function scalarArbitrary(
  scalar: GraphQLScalarType,
  field: string,
  mutation: string,
  ctx: FuzzContext,
  mode: Mode,
): fc.Arbitrary<unknown> {
  switch (scalar.name) {
    case 'String':
      return mixed(mode, plausibleText(field, mutation, ctx), hostileText);
    case 'ID':
      return idArbitrary(field, mutation, ctx, mode);
    case 'Int':
      return mixed(
        mode,
        // Versions of the records start at 1 and move a step per change.
        /age/i.test(field)
          ? fc.integer({ min: 10, max: 80 })
          : /version/i.test(field)
            ? fc.integer({ min: 1, max: 3 })
            : fc.integer({ min: 0, max: 6 }),
        fc.oneof(fc.constantFrom(...HOSTILE_INTS), fc.integer()),
      );
    case 'Float':
      return mixed(
        mode,
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.oneof(
          fc.constantFrom(...HOSTILE_INTS),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
      );
    case 'Boolean':
      return mixed(mode, fc.boolean(), fc.constantFrom<unknown>('true', 1, 0, 'yes'));
    case 'Date':
      return mixed(
        mode,
        plausibleDate(field, ctx),
        fc.oneof(fc.constantFrom<unknown>(...HOSTILE_DATES), hostileText),
      );
    case 'DateTime':
      return mixed(
        mode,
        plausibleInstant(ctx),
        fc.oneof(fc.constantFrom<unknown>(...HOSTILE_INSTANTS), hostileText),
      );
    default:
      // An unknown scalar (JSON, ...): anything JSON can carry.
      return mixed(mode, fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 4 }));
  }
}

export function enumArbitrary(type: GraphQLEnumType, mode: Mode): fc.Arbitrary<unknown> {
  const values = type.getValues().map((v) => v.name);
  const valid = fc.constantFrom(...values);
  const hostile = fc.oneof(
    valid.map((v) => v.toLowerCase()),
    fc.constantFrom<unknown>('NOPE', '', 0, `${values[0]} `),
  );
  return mixed(mode, valid, hostile);
}

export const WRONG_TYPE_VALUES: readonly unknown[] = WRONG_TYPES;
