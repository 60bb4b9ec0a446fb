/**
 * Each table has one owner, and a module touches only the tables it owns (README "Architecture"):
 * another module's records are read through that module (its service, loaders or `.queries.ts`).
 * The owners are derived from the `@Entity('table')` declarations (a table declared under
 * `src/modules/<x>/` is module x's) plus the tables migrations create without an entity, listed
 * below. Every module's sources are then read as TypeScript: a table named in SQL (after FROM,
 * JOIN, INTO, UPDATE, DELETE FROM, TABLE) in a string or template literal, a string that is a
 * table's name, and another module's entity class handed to a call (a repository, a join, a
 * loader) each count as touching that table.
 */
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'src');
const MODULES = path.join(SRC, 'modules');

/** Tables that migrations create and no entity declares, and the folder that owns each. */
const WITHOUT_ENTITY: Record<string, string> = {
  rate_limits: 'server', // the rate limiter's store (server/rate-limit.ts)
  readiness_probe: 'server', // the write probe of /readyz (server/readiness.ts)
};

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourcesUnder(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

const parse = (file: string) =>
  ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

/** The module (or, outside src/modules, the top folder of src) a file belongs to. */
function ownerOf(file: string): string {
  const [top, name] = path.relative(SRC, file).split(path.sep);
  return top === 'modules' ? name : top;
}

interface Owners {
  /** Table → owner: the entities' tables, then those without an entity. */
  tables: Map<string, string>;
  /** The tables an entity declares. */
  declared: Set<string>;
  /** Entity class name → its table. */
  entities: Map<string, string>;
}

function owners(): Owners {
  const tables = new Map<string, string>();
  const entities = new Map<string, string>();
  for (const file of sourcesUnder(SRC)) {
    walk(parse(file), (n) => {
      if (!ts.isClassDeclaration(n) || !n.name) return;
      for (const d of ts.getDecorators(n) ?? []) {
        const call = d.expression;
        if (!ts.isCallExpression(call) || call.expression.getText() !== 'Entity') continue;
        const [table] = call.arguments;
        if (!table || !ts.isStringLiteral(table)) continue;
        const owner = ownerOf(file);
        if (tables.has(table.text) && tables.get(table.text) !== owner)
          throw new Error(`${table.text} is declared by ${tables.get(table.text)} and ${owner}`);
        tables.set(table.text, owner);
        entities.set(n.name.text, table.text);
      }
    });
  }
  const declared = new Set(tables.keys());
  for (const [table, owner] of Object.entries(WITHOUT_ENTITY)) tables.set(table, owner);
  return { tables, declared, entities };
}

/** The tables `CREATE TABLE` makes in the migrations. */
function migrationTables(): string[] {
  const dir = path.join(ROOT, 'migrations');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [
      ...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/CREATE TABLE "?([a-z_][a-z0-9_]*)/g),
    ])
    .map((m) => m[1]);
}

const SQL_TABLE =
  /\b(?:FROM|JOIN|INTO|UPDATE|DELETE\s+FROM|TABLE)\s+(?:ONLY\s+)?"?([a-z_][a-z0-9_]*)"?/gi;

/** The names SQL text reads or writes as tables (and any other word in such a place). */
export function namedInSql(text: string): string[] {
  return [...text.matchAll(SQL_TABLE)].map((m) => m[1].toLowerCase());
}

/** The text of each string and template literal in a file; an interpolation reads as `${}`. */
function literals(source: ts.SourceFile): string[] {
  const out: string[] = [];
  walk(source, (n) => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.push(n.text);
    else if (ts.isTemplateExpression(n))
      out.push(n.head.text + n.templateSpans.map((s) => ` \${} ${s.literal.text}`).join(''));
  });
  return out;
}

/** The identifiers handed to calls as arguments (`getRepository(X)`, `leftJoin(X, ...)`). */
function callArguments(source: ts.SourceFile): string[] {
  const out: string[] = [];
  walk(source, (n) => {
    if (!ts.isCallExpression(n)) return;
    for (const a of n.arguments) if (ts.isIdentifier(a)) out.push(a.text);
  });
  return out;
}

interface Touch {
  file: string;
  table: string;
  owner: string;
}

/** Every place a module touches a table it does not own. */
function foreignTouches({ tables, entities }: Owners): Touch[] {
  const found: Touch[] = [];
  for (const file of sourcesUnder(MODULES)) {
    const module = ownerOf(file);
    const source = parse(file);
    const rel = path.relative(ROOT, file);
    const touched = new Set<string>();
    for (const text of literals(source)) {
      for (const name of namedInSql(text)) if (tables.has(name)) touched.add(name);
      if (tables.has(text.trim())) touched.add(text.trim());
    }
    for (const table of touched) {
      const owner = tables.get(table) as string;
      if (owner !== module) found.push({ file: rel, table, owner });
    }
    for (const name of new Set(callArguments(source))) {
      const table = entities.get(name);
      const owner = table && tables.get(table);
      if (owner && owner !== module) found.push({ file: rel, table: `${table} (${name})`, owner });
    }
  }
  return found;
}

test('the reader finds the tables SQL names', () => {
  expect(
    namedInSql(`SELECT 1 FROM approval_requests r LEFT JOIN LATERAL (SELECT 1) x ON true
                 JOIN "users" u ON u.id = r.decided_by_id, unnest($1::uuid[]) AS k
                 WHERE NOT EXISTS (SELECT 1 FROM enforcement_action_voids v)`),
  ).toEqual(['approval_requests', 'lateral', 'users', 'enforcement_action_voids']);
  expect(namedInSql(`insert into audit_log (seq) VALUES ($1)`)).toEqual(['audit_log']);
  expect(namedInSql(`UPDATE ${'cases'} SET version = 2; DELETE FROM convictions`)).toEqual([
    'cases',
    'convictions',
  ]);
});

test('every table the migrations create has one owner', () => {
  const { tables, declared } = owners();
  const created = new Set(migrationTables());
  expect([...created].filter((t) => !tables.has(t))).toEqual([]);
  // The list of tables without an entity stays true: each is created, and none has an entity.
  const listed = Object.keys(WITHOUT_ENTITY);
  expect(listed.filter((t) => !created.has(t) || declared.has(t))).toEqual([]);
});

test("no module touches another's tables", () => {
  const found = foreignTouches(owners()).map(
    ({ file, table, owner }) => `${file}: ${table} (owned by ${owner})`,
  );
  expect(found).toEqual([]);
});
