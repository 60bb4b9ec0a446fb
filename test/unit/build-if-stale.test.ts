/**
 * scripts/build-if-stale.mjs (issue #13: each `npm run token` rebuilt for 12–22 s): compiles only
 * when something dist/ is built from changed since the last build. Run here on a throwaway copy of
 * the layout, with a stand-in `tsc` that records each call (and fails on request).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../scripts/build-if-stale.mjs');

let root: string;
const calls = () =>
  fs.existsSync(path.join(root, 'calls')) ? fs.readFileSync(path.join(root, 'calls'), 'utf8') : '';

function run(...args: string[]) {
  return spawnSync(process.execPath, [path.join(root, 'scripts/build-if-stale.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
}

/** Sets a file's (or directory's) mtime `seconds` from now (default: now, after the last build). */
function touch(relative: string, seconds = 0) {
  const when = new Date(Date.now() + seconds * 1000);
  fs.utimesSync(path.join(root, relative), when, when);
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ep-build-'));
  for (const dir of ['scripts', 'src/db', 'migrations', 'node_modules/typescript/bin'])
    fs.mkdirSync(path.join(root, dir), { recursive: true });
  fs.copyFileSync(SCRIPT, path.join(root, 'scripts/build-if-stale.mjs'));
  fs.writeFileSync(
    path.join(root, 'node_modules/typescript/bin/tsc'),
    `const fs = require('fs');
     fs.appendFileSync('calls', process.argv.slice(2).join(' ') + '\\n');
     process.exit(fs.existsSync('fail') ? 2 : 0);`,
  );
  for (const file of ['src/main.ts', 'src/db/open.ts', 'migrations/index.ts', 'package.json'])
    fs.writeFileSync(path.join(root, file), '// source\n');
  // Everything older than the first build.
  for (const file of ['src/main.ts', 'src/db/open.ts', 'src/db', 'src', 'migrations/index.ts'])
    touch(file, -60);
  for (const file of ['migrations', 'package.json']) touch(file, -60);
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('builds the first time, then not again until a source changes', () => {
  const first = run();
  expect(first.status).toBe(0);
  expect(first.stderr).toContain('Building (no previous build)');
  expect(calls()).toBe('-p tsconfig.build.json\n');
  expect(fs.existsSync(path.join(root, 'dist/.build-stamp'))).toBe(true);

  expect(run().status).toBe(0);
  expect(calls().split('\n').filter(Boolean)).toHaveLength(1);

  touch('src/db/open.ts');
  const edited = run();
  expect(edited.stderr).toContain('Building (src changed)');
  expect(calls().split('\n').filter(Boolean)).toHaveLength(2);
  expect(run().stderr).toBe('');
  expect(calls().split('\n').filter(Boolean)).toHaveLength(2);
});

test('a file deleted or added (its directory changes), or package.json changed, rebuilds', () => {
  run();
  fs.rmSync(path.join(root, 'src/db/open.ts'));
  touch('src/db');
  expect(run().stderr).toContain('Building (src changed)');
  touch('migrations');
  expect(run().stderr).toContain('Building (migrations changed)');
  touch('package.json');
  expect(run().stderr).toContain('Building (package.json changed)');
  expect(calls().split('\n').filter(Boolean)).toHaveLength(4);
});

test('--force (npm run build) always compiles; a failed build fails and does not count as current', () => {
  run();
  run('--force');
  expect(calls().split('\n').filter(Boolean)).toHaveLength(2);

  fs.writeFileSync(path.join(root, 'fail'), '');
  touch('src/main.ts');
  const failed = run();
  expect(failed.status).toBe(2);
  // Not current: the next run tries again.
  fs.rmSync(path.join(root, 'fail'));
  expect(run().stderr).toContain('Building (src changed)');
  expect(calls().split('\n').filter(Boolean)).toHaveLength(4);
});
