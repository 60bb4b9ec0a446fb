/**
 * Keeps the documents honest. docs/api.md has a row for every operation the service serves (and
 * none for an operation it does not), of the right kind, and a row for every error code; every
 * relative link of README.md and docs/*.md leads to a file that exists, and a link to a heading
 * (`file.md#heading`) to a heading that exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GraphQLObjectType } from 'graphql';
import { ErrorCode } from '../../src/common/errors';
import { buildServedSchema } from '../../src/server/schema';

const ROOT = path.resolve(__dirname, '../..');
const API = 'docs/api.md';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The Markdown files whose links must resolve: the README and every document under docs/. */
function documents(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs.sort()];
}

/** The text without fenced code blocks: an example's `[x](y)` or `| x |` is not a link or a row. */
function withoutFences(md: string): string {
  return md.replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '');
}

/** The lines under the `## title` heading, up to the next heading of level 2 or above. */
function section(md: string, title: string): string {
  const lines = withoutFences(md).split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${title}`);
  if (start < 0) throw new Error(`${API} has no "## ${title}" section`);
  const end = lines.findIndex((l, i) => i > start && /^#{1,2} /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The cells of each table row whose first cell is one name in backticks: "| `name` | ... |". */
function rows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => /^\|\s*`[^`]+`\s*\|/.test(l))
    .map((l) =>
      l
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim().replace(/^`|`$/g, '')),
    );
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a Markdown file offers (repeated headings get -1, -2...). */
function anchors(md: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(md).split('\n')) {
    const m = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Link targets: inline links and images `[text](target "title")`, and `[label]: target`. */
function linkTargets(md: string): string[] {
  const text = withoutFences(md).replace(/`[^`\n]*`/g, '');
  const inline = [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
    (m) => m[1],
  );
  const defined = [...text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/gm)].map(
    (m) => m[1],
  );
  return [...inline, ...defined];
}

describe('docs/api.md', () => {
  test('has one row for every operation of the served schema, of the right kind, and none for an operation the schema lacks', async () => {
    const schema = await buildServedSchema();
    const kinds: [string, GraphQLObjectType | null | undefined][] = [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
      ['subscription', schema.getSubscriptionType()],
    ];
    const served = new Map<string, string>();
    for (const [kind, type] of kinds)
      for (const field of Object.keys(type?.getFields() ?? {})) served.set(field, kind);
    expect(served.size).toBeGreaterThan(30);

    const documented = new Map<string, string[]>();
    for (const [name, kind] of rows(section(read(API), 'Operations')))
      documented.set(name, [...(documented.get(name) ?? []), kind]);

    const problems: string[] = [];
    for (const [name, kind] of served) {
      const found = documented.get(name);
      if (!found) problems.push(`${kind} ${name} has no row under "## Operations"`);
      else if (found.length > 1) problems.push(`${name} has ${found.length} rows`);
      else if (found[0] !== kind) problems.push(`${name} is a ${kind}, documented as ${found[0]}`);
    }
    for (const name of documented.keys())
      if (!served.has(name)) problems.push(`${name} is documented but not served`);
    expect(problems).toEqual([]);
  });

  test('lists every error code the service answers, and no other', () => {
    // Produced by graphql-js and Apollo themselves, before any resolver runs, and passed through.
    const framework = ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED'];
    const listed = rows(section(read(API), 'Errors')).map(([code]) => code);
    const codes: string[] = Object.values(ErrorCode);
    expect(codes.filter((c) => !listed.includes(c))).toEqual([]);
    expect(listed.filter((c) => !codes.includes(c) && !framework.includes(c))).toEqual([]);
    expect(new Set(listed).size).toBe(listed.length);
  });
});

describe('links', () => {
  test('the README points at the documents in this repository, not outside it', () => {
    const targets = linkTargets(read('README.md'));
    expect(targets).toEqual(expect.arrayContaining(['docs/domain.md', 'docs/api.md']));
    expect(read('README.md')).not.toContain('../shared/');
  });

  test.each(documents())('every relative link in %s resolves', (file) => {
    const dir = path.dirname(path.join(ROOT, file));
    const broken: string[] = [];
    for (const target of linkTargets(read(file))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: ...
      const [rawPath, fragment] = target.split('#', 2);
      const resolved = rawPath ? path.resolve(dir, decodeURI(rawPath)) : path.join(ROOT, file);
      if (!resolved.startsWith(ROOT + path.sep)) {
        broken.push(`${target}: outside the repository`);
        continue;
      }
      if (!fs.existsSync(resolved)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (fragment && resolved.endsWith('.md')) {
        const offered = anchors(fs.readFileSync(resolved, 'utf8'));
        if (!offered.has(fragment.toLowerCase())) broken.push(`${target}: no heading #${fragment}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
