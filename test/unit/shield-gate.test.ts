/**
 * The operation gate (auth/shield.ts) decides every rule as the shield itself would: for each
 * rule of the map and each kind of caller, the gate's predicate and graphql-shield's own
 * evaluation of the rule agree. An operation that passes the gate runs without the per-field
 * shield, so a predicate more lenient than its rule would open a field.
 */
import { parse } from 'graphql';
import { allow, deny } from 'graphql-shield';
import type { ShieldRule } from 'graphql-shield/typings/types';
import { Role } from '../../src/auth/role';
import { operationGate, predicateOf, RULES } from '../../src/auth/shield';
import type { RequestContext } from '../../src/common/context';
import { unauthenticated } from '../../src/common/errors';
import { selectionOf } from '../../src/common/selection';
import { buildBareSchema } from '../../src/server/schema';

const callers: [string, () => object][] = [
  ['nobody', () => ({ caller: null, authError: null })],
  ['a bad token', () => ({ caller: null, authError: unauthenticated('expired') })],
  ...Object.values(Role).map((role): [string, () => object] => [
    role,
    () => ({
      caller: { id: 'u', email: 'e', name: 'n', role, officeId: 'o', officeCode: 'NYC' },
      authError: null,
    }),
  ]),
];

/** graphql-shield's own verdict: its rule's `resolve`, as the middleware calls it. */
async function shieldSays(rule: ShieldRule, ctx: object): Promise<boolean> {
  const resolvable = rule as unknown as {
    resolve: (p: unknown, a: unknown, c: unknown, i: unknown, o: unknown) => Promise<unknown>;
  };
  const options = {
    debug: false,
    allowExternalErrors: true,
    fallbackRule: deny,
    hashFunction: String,
  };
  return (
    (await resolvable.resolve(undefined, {}, { ...ctx, _shield: { cache: {} } }, {}, options)) ===
    true
  );
}

const rules = [
  ...new Set<ShieldRule>([allow, deny, ...Object.values(RULES).flatMap((f) => Object.values(f))]),
];

test.each(callers)('every rule decides for %s as the shield does', async (_name, make) => {
  expect(rules.length).toBeGreaterThan(4);
  for (const rule of rules) {
    const predicate = predicateOf(rule);
    expect(predicate).toBeDefined();
    const ctx = make();
    expect(predicate!(ctx as RequestContext)).toBe(await shieldSays(rule, ctx));
  }
});

test('the gate holds every field an operation selects, fragments and nesting included', async () => {
  const schema = await buildBareSchema();
  const gate = (source: string) => operationGate(selectionOf(schema, parse(source)));
  const as = (role: Role) =>
    ({ caller: { id: 'u', role, officeId: 'o' }, authError: null }) as unknown as RequestContext;
  const page = `{ cases(first: 1) { edges { node { id ...S } } } } fragment S on Case { subject { name } }`;
  // An officer may read cases and, through a fragment, the subject's identity; not the audit trail.
  expect(gate('{ me { id } }')(as(Role.FIELD_OFFICER))).toBe(true);
  expect(gate('{ me { id } }')({ caller: null, authError: null } as RequestContext)).toBe(false);
  expect(gate(page)(as(Role.FIELD_OFFICER))).toBe(true);
  expect(gate('{ auditTrail(first: 1) { edges { node { seq } } } }')(as(Role.FIELD_OFFICER))).toBe(
    false,
  );
  // Meta fields are under no rule.
  expect(gate('{ __typename me { __typename id } }')(as(Role.SUPERVISOR))).toBe(true);
});
