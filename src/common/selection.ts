/**
 * What an operation selects, type by type: `Assessment` → {id, summary, …}. Worked out once per
 * compiled operation (server/jit.ts) and handed to the request, so a loader can leave out columns
 * no field of the operation reads (an assessment's `reasons` are 1.3 KB of jsonb a row).
 * Fragments are included whether or not the operation spreads them: a superset only reads more.
 */
import {
  getNamedType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/** Field names selected on each object type. */
export type Selection = ReadonlyMap<string, ReadonlySet<string>>;

export function selectionOf(schema: GraphQLSchema, document: DocumentNode): Selection {
  const out = new Map<string, Set<string>>();
  const info = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(info, {
      Field(node) {
        const parent = info.getParentType();
        if (!parent) return;
        const name = getNamedType(parent).name;
        let fields = out.get(name);
        if (!fields) out.set(name, (fields = new Set()));
        fields.add(node.name.value);
      },
    }),
  );
  return out;
}

/** Whether `type.field` may be read: always, when the request has no selection (scripts, tests). */
export function selects(selection: Selection | null, type: string, field: string): boolean {
  return selection === null || (selection.get(type)?.has(field) ?? false);
}

/**
 * The properties of heavy columns no selected field reads, to leave out of a loader's select:
 * `heavy` maps each such property to the field of `type` that needs it.
 */
export function unselected(
  selection: Selection | null,
  type: string,
  heavy: Readonly<Record<string, string>>,
): string[] {
  return Object.entries(heavy)
    .filter(([, field]) => !selects(selection, type, field))
    .map(([property]) => property);
}

/**
 * What a type's fields read of its entity's row, so that a loader can leave every other column
 * out. `always` is read whatever is selected: keys, office scope, and what other types' resolvers
 * read of these rows through the loader. A selected field reads `fields[name]` when listed, else
 * the property of its own name; a selected field that is neither (a resolver not described here)
 * makes the whole row read, as does a request with no selection or none of this type.
 */
export interface ColumnNeeds {
  type: string;
  always: readonly string[];
  fields: Readonly<Record<string, readonly string[]>>;
}

/** The entity properties (of `properties`) no selected field of `needs.type` reads. */
export function unreadProperties(
  selection: Selection | null,
  needs: ColumnNeeds,
  properties: readonly string[],
): string[] {
  const selected = selection?.get(needs.type);
  if (!selected) return [];
  const read = new Set(needs.always);
  for (const field of selected) {
    if (field === '__typename') continue;
    const reads = needs.fields[field] ?? (properties.includes(field) ? [field] : undefined);
    if (!reads) return [];
    for (const p of reads) read.add(p);
  }
  return properties.filter((p) => !read.has(p));
}
