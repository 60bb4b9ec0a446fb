/**
 * `bench:api --profile DIR`: where the service's main thread spends its time. The service runs with
 * `--cpu-prof` (V8's sampling profiler, written to DIR when the service stops); each sample is put
 * in the phase of the innermost frame that names one, walking from the sampled function out to
 * the root, so `writev` called by pg's query submission counts as sending SQL and a date parsed by
 * the driver as reading rows. Only samples taken during the measured runs count (their windows, on
 * the monotonic clock the profiler stamps samples with), so start-up, warm-up and idle time are
 * left out. The profile covers the main thread only: the CPU of V8's and libuv's helper threads
 * (parallel garbage collection above all) is the difference between a run's "service" and "main
 * thread" figures.
 */
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds of the monotonic clock (process.hrtime's, in any process on the machine). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Phases in the order they are tried on each frame; the first that matches names it. */
const PHASES: [string, (f: CallFrame) => boolean][] = [
  ['garbage collection (main thread)', (f) => f.functionName === '(garbage collector)'],
  ['module loading', (f) => /internal\/modules\//.test(f.url)],
  ['answer encoding (json-bytes)', (f) => f.url.includes('/server/json-bytes')],
  ['HTTP answer written', (f) => /node:_http_outgoing|express\/lib\/response/.test(f.url)],
  ['SQL sent (pg)', (f) => f.functionName === 'submit' && f.url.includes('pg/lib/query')],
  [
    'rows received and parsed (pg)',
    (f) =>
      /node_modules\/(pg|pg-protocol|pg-types|pg-pool|postgres-date|postgres-array)\//.test(f.url),
  ],
  ['TypeORM', (f) => f.url.includes('node_modules/typeorm/')],
  ['token (jose)', (f) => f.url.includes('node_modules/jose/')],
  ['logging (pino)', (f) => /node_modules\/(pino|sonic-boom|@pinojs)/.test(f.url)],
  ['resolvers, loaders, services (src)', (f) => /\/dist\/src\//.test(f.url)],
  ['batching (dataloader)', (f) => f.url.includes('node_modules/dataloader/')],
  ['GraphQL execution (graphql-jit)', (f) => f.url.includes('node_modules/graphql-jit/')],
  ['type-graphql', (f) => f.url.includes('node_modules/type-graphql/')],
  ['shield', (f) => /node_modules\/graphql-(shield|middleware)\//.test(f.url)],
  ['Apollo request pipeline', (f) => f.url.includes('node_modules/@apollo/')],
  ['graphql (parse, validate)', (f) => f.url.includes('node_modules/graphql/')],
  [
    'HTTP request read (node:http, Express, body)',
    (f) =>
      /node:_http_(server|common|incoming)|node_modules\/(express|router|body-parser|raw-body)\//.test(
        f.url,
      ),
  ],
];

export interface PhaseShare {
  phase: string;
  /** Milliseconds of samples in the phase. */
  ms: number;
  /** Of the busy (not idle) time within the windows. */
  share: number;
}

/** The busy time by phase within `windows` (µs, [start, end)), biggest first; idle left out. */
export function phasesOf(profile: CpuProfile, windows: readonly [number, number][]): PhaseShare[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const timeOf = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (windows.some(([from, to]) => at >= from && at < to))
      timeOf.set(id, (timeOf.get(id) ?? 0) + delta);
  });

  const phaseOf = new Map<number, string>();
  const classify = (leaf: number): string => {
    const known = phaseOf.get(leaf);
    if (known) return known;
    let phase = 'other';
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      const hit = PHASES.find(([, test]) => test(frame));
      if (hit) {
        phase = hit[0];
        break;
      }
    }
    phaseOf.set(leaf, phase);
    return phase;
  };

  const us = new Map<string, number>();
  for (const [id, t] of timeOf) {
    const name = byId.get(id)!.callFrame.functionName;
    if (name === '(idle)') continue;
    const phase = classify(id);
    us.set(phase, (us.get(phase) ?? 0) + t);
  }
  const busy = [...us.values()].reduce((a, b) => a + b, 0);
  return [...us]
    .map(([phase, t]) => ({ phase, ms: t / 1000, share: busy ? t / busy : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/** The newest `.cpuprofile` in `dir`. */
export function newestProfile(dir: string): string | undefined {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

/** A Markdown table of the phases, with the milliseconds per request when `requests` is known. */
export function phaseTable(phases: PhaseShare[], requests?: number): string {
  const rows = phases.map(
    (p) =>
      `| ${p.phase} | ${(p.share * 100).toFixed(1)}% |${requests ? ` ${(p.ms / requests).toFixed(2)} |` : ''}`,
  );
  return [
    `| phase (service main thread) | share of busy time |${requests ? ' ms per request |' : ''}`,
    `|---|---:|${requests ? '---:|' : ''}`,
    ...rows,
  ].join('\n');
}
