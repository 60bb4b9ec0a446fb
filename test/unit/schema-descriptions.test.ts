/**
 * Every type, field, argument, input field and enum value of the schema the service serves has a
 * description: clients read them in their tools, and a new field without one fails here, named.
 * Built from the code (not from schema/schema.graphql), so it cannot drift from what is served.
 */
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLEnumType,
  type GraphQLInputObjectType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { buildServedSchema } from '../../src/server/schema';

/** `Type`, `Type.field`, `Type.field(arg)` and `Enum.VALUE` of every element without a description. */
export function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (what: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(what);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    // Introspection types and the built-in scalars (String, Int, Float, Boolean, ID) are graphql's.
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) {
          check(`${type.name}.${field.name}(${arg.name})`, arg.description);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
    // A union's members are object types, checked on their own; a scalar has only its own.
  }
  return missing.sort();
}

test('every type, field, argument, input field and enum value is described', async () => {
  const schema = await buildServedSchema();
  expect(undescribed(schema)).toEqual([]);
});

test('the check names each kind of element left undescribed', async () => {
  // A schema of its own: the blanks below never reach another test.
  const schema = await buildServedSchema();
  const office = schema.getType('Office') as GraphQLObjectType;
  const cases = schema.getQueryType()!.getFields().cases;
  const filter = schema.getType('CaseFilter') as GraphQLInputObjectType;
  const status = schema.getType('CaseStatus') as GraphQLEnumType;
  office.description = undefined;
  office.getFields().name.description = '';
  cases.args.find((a) => a.name === 'first')!.description = '  ';
  filter.getFields().status.description = null;
  status.getValue('OPEN')!.description = undefined;
  expect(undescribed(schema)).toEqual([
    'CaseFilter.status',
    'CaseStatus.OPEN',
    'Office',
    'Office.name',
    'Query.cases(first)',
  ]);
});
