/**
 * The README's examples run as written. The test reads the README's sections "First query",
 * "Walk-through: pre-approval and the exigent path" and "Weekly reports and figures" and does what
 * a reader does, in order: starts the service at each `DEMO_CLOCK=… npm start` (a restart keeps the
 * data), signs in for each `X=$(npm run -s token -- <email>)`, and runs each
 * `examples/run.sh examples/NN-….graphql "$X" …` line itself with bash (so run.sh, curl and jq too),
 * keeping `ID=$(… | jq -r …)` captures for later lines. Each answer must contain what the README's
 * `# =>` line under it shows (a "$ID" string there stands for a captured value); a refused
 * operation must leave the database as it was. The README and `examples/` cannot drift: every
 * example file is run, in file order, exactly once; the README shows each one's text; each file
 * holds one named operation and names the token the README gives it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse } from 'graphql';
import { signDevelopmentToken } from '../../src/auth/jwt';
import { offsetClock } from '../../src/clock';
import { createTestDatabase, dropTestDatabase } from '../helpers/database';
import { fingerprint, startTestServer, type TestServer } from '../helpers/server';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = path.join(ROOT, 'examples');
const SECTIONS = [
  'First query',
  'Walk-through: pre-approval and the exigent path',
  'Weekly reports and figures',
];

type Step =
  | { kind: 'start'; line: number; clock: string }
  | { kind: 'token'; line: number; name: string; email: string }
  | {
      kind: 'run';
      line: number;
      command: string;
      file: string;
      token: string;
      capture?: { name: string; jq: string };
      outcome?: string;
    };

const NAME = '[A-Z][A-Z0-9_]*';
const START = /^DEMO_CLOCK=(\S+) npm start$/;
const TOKEN = new RegExp(`^(${NAME})=\\$\\(npm run -s token -- (\\S+)\\)(?:\\s+#.*)?$`);
const RUN = new RegExp(
  `^(?:(${NAME})=\\$\\()?(examples/run\\.sh (examples/[\\w-]+\\.graphql) "\\$(${NAME})"(?: [a-z]\\w*="\\$${NAME}")*)(?: \\| (jq -r \\S+)\\))?$`,
);

/** The lines of the three sections, with their line numbers. */
function sectionLines(readme: string): { text: string; line: number }[] {
  const lines = readme.split('\n');
  const out: { text: string; line: number }[] = [];
  const seen = new Set<string>();
  let inside = false;
  lines.forEach((text, i) => {
    if (text.startsWith('## ')) {
      inside = SECTIONS.includes(text.slice(3));
      if (inside) seen.add(text.slice(3));
    } else if (inside) out.push({ text, line: i + 1 });
  });
  for (const s of SECTIONS) if (!seen.has(s)) throw new Error(`README has no section "## ${s}"`);
  return out;
}

interface Readme {
  steps: Step[];
  /** The texts of the sections' graphql code blocks, in order. */
  operations: string[];
}

function readReadme(): Readme {
  const steps: Step[] = [];
  const operations: string[] = [];
  let fence: { lang: string; lines: string[] } | null = null;
  let lastRun: Extract<Step, { kind: 'run' }> | null = null;
  let inOutcome = false;
  for (const { text, line } of sectionLines(
    fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'),
  )) {
    if (fence === null) {
      const open = /^```(\w*)/.exec(text);
      if (open) fence = { lang: open[1], lines: [] };
      continue;
    }
    if (text.startsWith('```')) {
      if (fence.lang === 'graphql') operations.push(fence.lines.join('\n').trim());
      fence = null;
      inOutcome = false;
      continue;
    }
    fence.lines.push(text);
    if (fence.lang !== 'sh') continue;
    const start = START.exec(text);
    const token = TOKEN.exec(text);
    const run = RUN.exec(text);
    if (text.startsWith('# => ')) {
      if (!lastRun || lastRun.outcome !== undefined)
        throw new Error(`README line ${line}: "# =>" follows no examples/run.sh line`);
      lastRun.outcome = text.slice(5);
      inOutcome = true;
    } else if (inOutcome && /^# {3,}/.test(text)) {
      lastRun!.outcome += ` ${text.slice(1).trim()}`;
    } else {
      inOutcome = false;
      if (start) steps.push({ kind: 'start', line, clock: start[1] });
      else if (token) steps.push({ kind: 'token', line, name: token[1], email: token[2] });
      else if (run) {
        if (run[1] !== undefined && run[5] === undefined)
          throw new Error(`README line ${line}: a capture must end "| jq -r <path>)"`);
        lastRun = {
          kind: 'run',
          line,
          command: run[2],
          file: run[3],
          token: run[4],
          capture: run[1] !== undefined ? { name: run[1], jq: run[5] } : undefined,
        };
        steps.push(lastRun);
      } else if (text.includes('examples/run.sh') && !text.trimStart().startsWith('#')) {
        throw new Error(`README line ${line}: an examples/run.sh line this test cannot read`);
      }
    }
  }
  return { steps, operations };
}

const exampleFiles = (): string[] =>
  fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => `examples/${f}`);

/** Runs `script` with bash at the repository's root, in an environment of exactly `env` (and PATH). */
function bash(
  script: string,
  env: Record<string, string>,
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'bash',
      ['-c', script],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number')
          return reject(new Error(`bash could not run: ${err.message}`));
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
      },
    );
    child.stdin!.end(stdin ?? '');
  });
}

/** The README's outcome with each "$NAME" string replaced by the captured value. */
function expected(outcome: string, vars: Record<string, string>, where: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(outcome);
  } catch {
    throw new Error(`${where}: the "# =>" outcome is not JSON: ${outcome}`);
  }
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string' && /^\$[A-Z]/.test(v)) {
      const name = v.slice(1);
      if (!(name in vars)) throw new Error(`${where}: the outcome names $${name}, not set yet`);
      return vars[name];
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(value);
}

test('every example file is run by the README once, in file order, with its text shown', () => {
  const { steps, operations } = readReadme();
  const runs = steps.flatMap((s) => (s.kind === 'run' ? [s.file] : []));
  const files = exampleFiles();
  for (const file of runs)
    expect({ file, exists: fs.existsSync(path.join(ROOT, file)) }).toEqual({ file, exists: true });
  expect(runs).toEqual(files);
  expect(operations).toEqual(files.map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8').trim()));
  // Every variables file belongs to an example.
  for (const json of fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'))) {
    const graphqlFile = `examples/${json.replace(/\.json$/, '.graphql')}`;
    expect({ json, graphqlFile, exists: files.includes(graphqlFile) }).toMatchObject({
      exists: true,
    });
  }
});

test('each example holds one named operation and names the token the README runs it with', () => {
  const { steps } = readReadme();
  const emails = new Map<string, string>();
  for (const step of steps) {
    if (step.kind === 'token') emails.set(step.name, step.email);
    if (step.kind !== 'run') continue;
    const text = fs.readFileSync(path.join(ROOT, step.file), 'utf8');
    const doc = parse(text);
    const ops = doc.definitions.map((d) =>
      d.kind === Kind.OPERATION_DEFINITION ? (d.name?.value ?? '(anonymous)') : d.kind,
    );
    expect({ file: step.file, ops: ops.length, named: ops[0] !== '(anonymous)' }).toEqual({
      file: step.file,
      ops: 1,
      named: true,
    });
    const header = /^# Token: \$([A-Z][A-Z0-9_]*) \(([^\s,)]+)/.exec(text);
    expect({ file: step.file, header: header && [header[1], header[2]] }).toEqual({
      file: step.file,
      header: [step.token, emails.get(step.token)],
    });
  }
});

describe('the README, run as written', () => {
  let database: string | undefined;
  let server: TestServer | undefined;

  afterAll(async () => {
    await server?.stop();
    if (database) await dropTestDatabase(database);
  });

  test('every example answers what the README shows', async () => {
    const { steps } = readReadme();
    const vars: Record<string, string> = {};
    const tokens = new Map<string, string>();
    for (const step of steps) {
      const where = `README line ${step.line}`;
      if (step.kind === 'start') {
        // A restart: the same database, the service's clock started again at the new instant.
        await server?.stop();
        database ??= await createTestDatabase();
        server = await startTestServer({ database, clock: offsetClock(new Date(step.clock)) });
        vars.GRAPHQL_URL = server.url;
        continue;
      }
      if (!server) throw new Error(`${where}: the README runs this before starting the service`);
      if (step.kind === 'token') {
        const token = await signDevelopmentToken(
          server.service.tokens,
          await server.userId(step.email),
        );
        tokens.set(step.name, token);
        vars[step.name] = token;
        continue;
      }
      if (!tokens.has(step.token)) throw new Error(`${where}: $${step.token} is not a token`);
      if (step.outcome === undefined) throw new Error(`${where}: no "# =>" outcome shown`);
      const want = expected(step.outcome, vars, where) as { errors?: unknown[] };
      const before = want.errors ? await fingerprint(server) : undefined;
      const { code, stdout, stderr } = await bash(step.command, vars);
      let answer: unknown;
      try {
        answer = JSON.parse(stdout);
      } catch {
        throw new Error(`${where}: ${step.file} printed no answer (exit ${code}): ${stderr}`);
      }
      expect({ where, file: step.file, answer }).toMatchObject({
        where,
        file: step.file,
        answer: want,
      });
      // run.sh's exit status says whether the answer has errors.
      expect({ where, code }).toEqual({ where, code: want.errors ? 1 : 0 });
      if (before) expect(await fingerprint(server)).toEqual(before);
      if (step.capture) {
        const picked = await bash(step.capture.jq, {}, stdout);
        const value = picked.stdout.trim();
        expect({ where, [step.capture.name]: value }).not.toMatchObject({
          [step.capture.name]: expect.stringMatching(/^(null)?$/),
        });
        vars[step.capture.name] = value;
      }
    }
    expect(steps.filter((s) => s.kind === 'run')).toHaveLength(exampleFiles().length);
  }, 600_000);
});
