/**
 * Schema-driven fuzzing: values for any GraphQL input type, walked from the served schema, so a
 * new mutation or input field is fuzzed without touching the test. Each value is either plausible
 * (the right type, a realistic shape, real ids: so that calls succeed often enough for the success
 * paths to run) or hostile (wrong types, edge numbers, far and malformed dates, NUL bytes, huge
 * strings, long lists, unknown fields), mixed field by field.
 */
import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from 'graphql';
import { deny } from 'graphql-shield';
import { hasPermission, Permission } from '../../src/auth/permissions';
import { can, ruleOf } from '../../src/auth/shield';
import { Role } from '../../src/modules/users/role';

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

/** The roles whose permissions pass the shield rule of `type.field` (none: nobody may call it). */
export function rolesAllowed(type: string, field: string): Role[] {
  const rule = ruleOf(type, field);
  if (rule === deny) return [];
  const permission = Object.values(Permission).find((p) => can(p) === rule);
  // Rules other than a permission (signedIn, allow) let every signed-in role through.
  if (!permission) return Object.values(Role);
  return Object.values(Role).filter((role) => hasPermission(role, permission));
}

/**
 * A selection of `type` two levels deep, leaves only, without the fields `role` may not read (the
 * shield would refuse them with a partial answer) and without fields that need arguments.
 */
export function selectionFor(type: GraphQLOutputType, role: Role, depth = 2): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return '';
  const parts: string[] = [];
  for (const [name, field] of Object.entries((named as GraphQLObjectType).getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    if (!rolesAllowed(named.name, name).includes(role)) continue;
    if (isLeafType(getNamedType(field.type))) parts.push(name);
    else if (depth > 1) {
      const inner = selectionFor(field.type, role, depth - 1);
      if (inner) parts.push(`${name} { ${inner} }`);
    }
  }
  return parts.length ? parts.join(' ') : '__typename';
}

const ABSENT = Symbol('absent');

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
function plausibleText(field: string, ctx: FuzzContext): fc.Arbitrary<string> {
  const f = field.toLowerCase();
  const { officeCodes, policyCodes } = ctx.pools;
  if (f === 'anumber') return aNumber;
  if (f.includes('citizenship')) return fc.constantFrom('MX', 'GT', 'HN', 'CN', 'US', 'XX', 'mx');
  if (f === 'timezone')
    return fc.constantFrom('America/New_York', 'Europe/Paris', 'UTC', 'Asia/Kolkata', 'Mars/Base');
  if (f === 'email')
    return fc.integer({ min: 0, max: 1_000_000 }).map((n) => `fuzz.${n}@example.gov`);
  if (f === 'aggravatedfelonysubparagraph') return fc.constantFrom(...'ABCGKMU'.split(''));
  if (f === 'officecode' || f === 'officecodes') return fc.constantFrom(...officeCodes);
  if (f === 'code')
    return fc.oneof(
      fc.constantFrom(...policyCodes, ...officeCodes),
      fc.stringMatching(/^[A-Z]{2,8}$/),
    );
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

function plausibleDate(field: string, ctx: FuzzContext): fc.Arbitrary<string> {
  if (/week/i.test(field)) return monday(ctx);
  const now = ctx.now.getTime();
  if (/effective/i.test(field))
    return fc.integer({ min: -400, max: 400 }).map((d) => isoDay(now + d * DAY));
  const from = Date.UTC(1950, 0, 1);
  return fc
    .integer({ min: 0, max: Math.floor((now - from) / DAY) })
    .map((d) => isoDay(from + d * DAY));
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

function idArbitrary(field: string, mutation: string, ctx: FuzzContext, wild: boolean) {
  const hinted = idPool(field, mutation, ctx);
  const all = Object.values(ctx.pools).flat() as string[];
  const real = hinted.length ? fc.constantFrom(...hinted) : fc.uuid();
  if (!wild) return real;
  return fc.oneof(
    { arbitrary: real, weight: 4 },
    { arbitrary: fc.constantFrom(...all), weight: 2 },
    { arbitrary: fc.uuid(), weight: 2 },
    { arbitrary: real.map((id) => id.toUpperCase()), weight: 1 },
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
      weight: 2,
    },
    { arbitrary: hostileText, weight: 1 },
  );
}

function scalarArbitrary(
  scalar: GraphQLScalarType,
  field: string,
  mutation: string,
  ctx: FuzzContext,
  wild: boolean,
): fc.Arbitrary<unknown> {
  let plausible: fc.Arbitrary<unknown>;
  let hostile: fc.Arbitrary<unknown>;
  switch (scalar.name) {
    case 'String':
      plausible = plausibleText(field, ctx);
      hostile = hostileText;
      break;
    case 'ID':
      return idArbitrary(field, mutation, ctx, wild);
    case 'Int':
      // Versions of the records start at 1 and move a step per change.
      plausible = /age/i.test(field)
        ? fc.integer({ min: 10, max: 80 })
        : /version/i.test(field)
          ? fc.integer({ min: 1, max: 3 })
          : fc.integer({ min: 0, max: 6 });
      hostile = fc.oneof(fc.constantFrom(...HOSTILE_INTS), fc.integer());
      break;
    case 'Float':
      plausible = fc.double({ min: -1000, max: 1000, noNaN: true });
      hostile = fc.oneof(
        fc.constantFrom(...HOSTILE_INTS),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      );
      break;
    case 'Boolean':
      plausible = fc.boolean();
      hostile = fc.constantFrom<unknown>('true', 1, 0, 'yes');
      break;
    case 'Date':
      plausible = plausibleDate(field, ctx);
      hostile = fc.oneof(fc.constantFrom<unknown>(...HOSTILE_DATES), hostileText);
      break;
    case 'DateTime':
      plausible = plausibleInstant(ctx);
      hostile = fc.oneof(fc.constantFrom<unknown>(...HOSTILE_INSTANTS), hostileText);
      break;
    default:
      // An unknown scalar (JSON, ...): anything JSON can carry.
      plausible = fc.jsonValue({ maxDepth: 2 });
      hostile = fc.jsonValue({ maxDepth: 4 });
  }
  if (!wild) return plausible;
  return fc.oneof(
    { arbitrary: plausible, weight: 3 },
    { arbitrary: hostile, weight: 3 },
    { arbitrary: fc.constantFrom(...WRONG_TYPES), weight: 1 },
  );
}

function enumArbitrary(type: GraphQLEnumType, wild: boolean): fc.Arbitrary<unknown> {
  const values = type.getValues().map((v) => v.name);
  const valid = fc.constantFrom(...values);
  if (!wild) return valid;
  return fc.oneof(
    { arbitrary: valid, weight: 4 },
    { arbitrary: valid.map((v) => v.toLowerCase()), weight: 1 },
    { arbitrary: fc.constantFrom<unknown>('NOPE', '', 0, `${values[0]} `), weight: 1 },
  );
}

export interface Walk {
  ctx: FuzzContext;
  mutation: string;
  wild: boolean;
  /** Inside a list: no huge strings (a hundred of them would pass the body limit). */
  inList?: boolean;
}

/** Values for a (possibly non-null, possibly list) input type, `field` naming where it goes. */
export function valueArbitrary(
  type: GraphQLInputType,
  field: string,
  walk: Walk,
): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    const inner = valueArbitrary((type as GraphQLNonNull<GraphQLInputType>).ofType, field, walk);
    if (!walk.wild) return inner;
    return fc.oneof({ arbitrary: inner, weight: 19 }, { arbitrary: fc.constant(null), weight: 1 });
  }
  const nullable = walk.wild
    ? fc.oneof(
        { arbitrary: nonNullValue(type, field, walk), weight: 9 },
        { arbitrary: fc.constant(null), weight: 1 },
      )
    : nonNullValue(type, field, walk);
  return nullable;
}

function nonNullValue(type: GraphQLInputType, field: string, walk: Walk): fc.Arbitrary<unknown> {
  const t = getNullableType(type);
  if (isListType(t)) {
    const of = (t as GraphQLList<GraphQLInputType>).ofType;
    const item = valueArbitrary(of, field, { ...walk, inList: true });
    if (!walk.wild) return fc.array(item, { maxLength: 3 });
    return fc.oneof(
      { arbitrary: fc.array(item, { maxLength: 6 }), weight: 6 },
      // Long lists, and more than 50 coercion errors in one variable (a finding of issue #10).
      { arbitrary: fc.array(item, { minLength: 51, maxLength: 150 }), weight: 1 },
      {
        arbitrary: fc.array(fc.constantFrom(...WRONG_TYPES), { minLength: 51, maxLength: 120 }),
        weight: 1,
      },
      // A single value where a list is expected (GraphQL coerces it).
      { arbitrary: item, weight: 1 },
    );
  }
  if (isEnumType(t)) return enumArbitrary(t, walk.wild);
  if (isInputObjectType(t)) return objectArbitrary(t, walk);
  const scalar = scalarArbitrary(t as GraphQLScalarType, field, walk.mutation, walk.ctx, walk.wild);
  return walk.inList && walk.wild
    ? scalar.filter((v) => typeof v !== 'string' || v.length < 2_000)
    : scalar;
}

function objectArbitrary(type: GraphQLInputObjectType, walk: Walk): fc.Arbitrary<unknown> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, f] of Object.entries(type.getFields())) {
    const value = valueArbitrary(f.type, name, walk);
    const required = isNonNullType(f.type) && f.defaultValue === undefined;
    if (required && !walk.wild) fields[name] = value;
    else if (required)
      fields[name] = fc.oneof({ arbitrary: value, weight: 19 }, fc.constant(ABSENT));
    else fields[name] = fc.oneof({ arbitrary: value, weight: 2 }, fc.constant(ABSENT));
  }
  const record = fc
    .record(fields)
    .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== ABSENT)));
  if (!walk.wild) return record;
  return fc.oneof(
    { arbitrary: record, weight: 18 },
    { arbitrary: record.map((r) => ({ ...r, unknownField: 'x' })), weight: 1 },
    { arbitrary: fc.constantFrom<unknown>('x', 1, [], true), weight: 1 },
  );
}

/** The variables of one call: plausible as a whole, or hostile field by field. */
export function variablesArbitrary(
  args: readonly { name: string; type: GraphQLInputType }[],
  mutation: string,
  ctx: FuzzContext,
): fc.Arbitrary<Record<string, unknown>> {
  const build = (wild: boolean) =>
    fc.record(
      Object.fromEntries(
        args.map((a) => [a.name, valueArbitrary(a.type, a.name, { ctx, mutation, wild })]),
      ),
    );
  return fc.oneof({ arbitrary: build(false), weight: 2 }, { arbitrary: build(true), weight: 3 });
}

/** `mutation($input: T!) { name(input: $input) { ... } }` for a mutation field. */
export function mutationDocument(
  name: string,
  args: readonly { name: string; type: GraphQLInputType }[],
  selection: string,
): string {
  const defs = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const uses = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const sel = selection ? ` { ${selection} }` : '';
  return `mutation Fuzz${defs ? `(${defs})` : ''} { ${name}${uses ? `(${uses})` : ''}${sel} }`;
}
