// `node scripts/build-if-stale.mjs [--force]`: compiles (tsc -p tsconfig.build.json) only when dist/
// is older than something it is built from, so `npm run token`, `npm start` and the other scripts
// start in well under a second when nothing changed. Even a no-op `tsc --incremental` (or `tsc -b`)
// takes 4-13 s here: it loads the compiler and reads every file before it can say "up to date".
//
// Inputs: every file and directory under src/ and migrations/ (a directory's mtime changes when a
// file in it is added, renamed or deleted), ormconfig.ts, the tsconfigs, package.json and
// package-lock.json. The stamp (dist/.build-stamp) gets the time the build *started*, so a file
// saved during a build is seen as newer next time. `--force` (npm run build) always compiles.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const TREES = ['src', 'migrations'];
const FILES = [
  'ormconfig.ts',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
];

/** The newest mtime (ms) under `target`, or 0 when it does not exist. */
function newest(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  let latest = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(target)) {
      latest = Math.max(latest, newest(path.join(target, entry)));
    }
  }
  return latest;
}

/** Why a build is needed, or undefined when dist/ is current. */
function staleReason() {
  let built;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    return 'no previous build';
  }
  for (const input of [...TREES, ...FILES]) {
    if (newest(path.join(root, input)) > built) return `${input} changed`;
  }
  return undefined;
}

function build() {
  const started = new Date();
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) return result.status ?? 1;
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, `${started.toISOString()}\n`);
  fs.utimesSync(stamp, started, started);
  return 0;
}

const force = process.argv.includes('--force');
const reason = force ? undefined : staleReason();
if (force || reason) {
  if (reason) process.stderr.write(`Building (${reason})...\n`);
  process.exit(build());
}
