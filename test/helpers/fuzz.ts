/**
 * Schema-driven fuzzing: values for any GraphQL input type, walked from the served schema, so a
 * new mutation or input field is fuzzed without touching the test. Each value is either plausible
 * (the right type, a realistic shape, real ids: so that calls succeed often enough for the success
 * paths to run) or hostile (wrong types, edge numbers, far and malformed dates, NUL bytes, huge
 * strings, long lists, unknown fields), mixed field by field; the leaves come from fuzz-values.ts.
 */
import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  GraphQLInputObjectType,
  GraphQLList,
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
import { Role } from '../../src/auth/role';
import {
  enumArbitrary,
  scalarArbitrary,
  WRONG_TYPE_VALUES,
  type FuzzContext,
  type Mode,
} from './fuzz-values';

export { STACK_MARKERS, type FuzzContext, type Pools } from './fuzz-values';

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

export interface Walk {
  ctx: FuzzContext;
  mutation: string;
  mode: Mode;
  /** Inside a list: no huge strings (a hundred of them would pass the body limit). */
  inList?: boolean;
}

/** Values for a (possibly non-null, possibly list) input type, `field` naming where it goes. */
export function valueArbitrary(
  type: GraphQLInputType,
  field: string,
  walk: Walk,
): fc.Arbitrary<unknown> {
  const value = nonNullValue(type, field, walk);
  if (walk.mode === 'plausible') return value;
  return fc.oneof({ arbitrary: value, weight: 12 }, { arbitrary: fc.constant(null), weight: 1 });
}

function nonNullValue(type: GraphQLInputType, field: string, walk: Walk): fc.Arbitrary<unknown> {
  const t = getNullableType(type);
  if (isListType(t)) {
    const of = (t as GraphQLList<GraphQLInputType>).ofType;
    const item = valueArbitrary(of, field, { ...walk, inList: true });
    if (walk.mode === 'plausible') return fc.array(item, { maxLength: 3 });
    return fc.oneof(
      { arbitrary: fc.array(item, { maxLength: 6 }), weight: 6 },
      // Long lists, and more than 50 coercion errors in one variable (a finding of issue #10).
      { arbitrary: fc.array(item, { minLength: 51, maxLength: 150 }), weight: 1 },
      {
        arbitrary: fc.array(fc.constantFrom(...WRONG_TYPE_VALUES), {
          minLength: 51,
          maxLength: 120,
        }),
        weight: 1,
      },
      // A single value where a list is expected (GraphQL coerces it).
      { arbitrary: item, weight: 1 },
    );
  }
  if (isEnumType(t)) return enumArbitrary(t, walk.mode);
  if (isInputObjectType(t)) return objectArbitrary(t, walk);
  const scalar = scalarArbitrary(t as GraphQLScalarType, field, walk.mutation, walk.ctx, walk.mode);
  return walk.inList && walk.mode !== 'plausible'
    ? scalar.filter((v) => typeof v !== 'string' || v.length < 2_000)
    : scalar;
}

function objectArbitrary(type: GraphQLInputObjectType, walk: Walk): fc.Arbitrary<unknown> {
  // Inside a hostile node, its fields are a mix: all-hostile objects stop at the first field.
  const inner: Walk = walk.mode === 'hostile' ? { ...walk, mode: 'wild' } : walk;
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, f] of Object.entries(type.getFields())) {
    const value = valueArbitrary(f.type, name, inner);
    const required = isNonNullType(f.type) && f.defaultValue === undefined;
    if (required && walk.mode === 'plausible') fields[name] = value;
    else if (required)
      fields[name] = fc.oneof({ arbitrary: value, weight: 19 }, fc.constant(ABSENT));
    else fields[name] = fc.oneof({ arbitrary: value, weight: 2 }, fc.constant(ABSENT));
  }
  const record = fc
    .record(fields)
    .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== ABSENT)));
  if (walk.mode === 'plausible') return record;
  return fc.oneof(
    { arbitrary: record, weight: 18 },
    { arbitrary: record.map((r) => ({ ...r, unknownField: 'x' })), weight: 1 },
    { arbitrary: fc.constantFrom<unknown>('x', 1, [], true), weight: 1 },
  );
}

interface Node {
  path: (string | number)[];
  type: GraphQLInputType;
  field: string;
}

/** Every place in `value` a hostile value may go: each value present, and each field left out. */
function nodesOf(
  value: unknown,
  type: GraphQLInputType,
  field: string,
  path: Node['path'],
): Node[] {
  const here: Node = { path, type, field };
  const t = getNullableType(type);
  if (value === null || value === undefined) return [here];
  if (isListType(t) && Array.isArray(value)) {
    const of = (t as GraphQLList<GraphQLInputType>).ofType;
    return [here, ...value.flatMap((v, i) => nodesOf(v, of, field, [...path, i]))];
  }
  if (isInputObjectType(t) && typeof value === 'object') {
    const fields = Object.entries(t.getFields());
    return [
      here,
      ...fields.flatMap(([name, f]) =>
        nodesOf((value as Record<string, unknown>)[name], f.type, name, [...path, name]),
      ),
    ];
  }
  return [here];
}

function setAt(root: Record<string, unknown>, path: Node['path'], value: unknown) {
  const copy = structuredClone(root);
  let node: any = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1];
  if (value === ABSENT) delete node[last];
  else node[last] = value;
  return copy;
}

/**
 * The variables of one call: plausible as a whole (to reach the success paths), plausible but for
 * one hostile value (to reach deep into the service with it), or hostile field by field.
 */
export function variablesArbitrary(
  args: readonly { name: string; type: GraphQLInputType }[],
  mutation: string,
  ctx: FuzzContext,
): fc.Arbitrary<Record<string, unknown>> {
  const build = (mode: Mode) =>
    fc.record(
      Object.fromEntries(
        args.map((a) => [a.name, valueArbitrary(a.type, a.name, { ctx, mutation, mode })]),
      ),
    );
  const plausible = build('plausible');
  const argType = new Map(args.map((a) => [a.name, a.type]));
  const oneHostile = plausible.chain((vars) => {
    const nodes = Object.entries(vars).flatMap(([name, v]) =>
      nodesOf(v, argType.get(name) as GraphQLInputType, name, [name]),
    );
    return fc.constantFrom(...nodes).chain((node) => {
      const leaf = isLeafType(getNamedType(node.type)) && !isListType(getNullableType(node.type));
      const hostile = valueArbitrary(node.type, node.field, {
        ctx,
        mutation,
        mode: leaf ? 'hostile' : 'wild',
      });
      return fc
        .oneof({ arbitrary: hostile, weight: 8 }, fc.constant(null), fc.constant(ABSENT))
        .map((v) => setAt(vars, node.path, v));
    });
  });
  return fc.oneof(
    { arbitrary: plausible, weight: 2 },
    { arbitrary: oneHostile, weight: 3 },
    { arbitrary: build('wild'), weight: 2 },
  );
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
