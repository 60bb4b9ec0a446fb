/**
 * What `bench:api` prints: a line per run as it ends, then a Markdown table of the medians over
 * the rounds, and the goals computed from them.
 */
import { median } from '../harness';
import type { BenchQuery } from './queries';
import type { Run } from './rounds';

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');

/** One run, as it ends; a raw run with the same round's service req/s says the ratio. */
export function runLine(run: Run, serviceRps?: number): string {
  const ratio = run.side === 'raw' && serviceRps ? ` service/raw ${f2(serviceRps / run.rps)},` : '';
  const failed = run.failed ? ` FAILED ${run.failed}` : '';
  return (
    `  ${run.query.padEnd(20)} ${run.side.padEnd(7)} round ${run.round}: ${f0(run.rps).padStart(5)} req/s, ` +
    `p50 ${f1(run.p50)} ms, p99 ${f1(run.p99)} ms,${ratio} CPU/request: ${run.side === 'service' ? 'service' : 'raw'} ` +
    `${f2(run.nodeCpu)} ms (main thread ${f2(run.mainCpu)}) + PostgreSQL ${f2(run.pgCpu)} ms${failed}`
  );
}

export interface Summary {
  query: string;
  title: string;
  service: Medians;
  raw: Medians;
  /** Per round: service req/s over the same round's raw req/s. */
  ratios: number[];
}

interface Medians {
  rps: number;
  rpsRange: [number, number];
  p50: number;
  p99: number;
  nodeCpu: number;
  mainCpu: number;
  pgCpu: number;
  failed: number;
}

function medians(runs: Run[]): Medians {
  const of = (k: keyof Run) => median(runs.map((r) => r[k] as number));
  const rps = runs.map((r) => r.rps);
  return {
    rps: of('rps'),
    rpsRange: [Math.min(...rps), Math.max(...rps)],
    p50: of('p50'),
    p99: of('p99'),
    nodeCpu: of('nodeCpu'),
    mainCpu: of('mainCpu'),
    pgCpu: of('pgCpu'),
    failed: runs.reduce((s, r) => s + r.failed, 0),
  };
}

export function summarize(q: BenchQuery, runs: Run[]): Summary {
  const service = runs.filter((r) => r.side === 'service');
  const raw = runs.filter((r) => r.side === 'raw');
  return {
    query: q.name,
    title: q.title,
    service: medians(service),
    raw: medians(raw),
    ratios: service.map((s) => s.rps / (raw.find((r) => r.round === s.round)?.rps ?? NaN)),
  };
}

export function markdownTable(rows: Summary[]): string {
  const range = ([a, b]: [number, number]) => (a === b ? f0(a) : `${f0(a)}–${f0(b)}`);
  const ratios = (xs: number[]) => {
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    return lo === hi ? f2(lo) : `${f2(lo)}–${f2(hi)}`;
  };
  return [
    '| query | service req/s | raw req/s | ratio to raw | service p50 / p99 ms | raw p50 / p99 ms | CPU ms per request, service (Node (its main thread) + PostgreSQL) | raw (Node + PostgreSQL) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.query}: ${r.title} | ${range(r.service.rpsRange)} | ${range(r.raw.rpsRange)} | ${ratios(r.ratios)} | ` +
        `${f1(r.service.p50)} / ${f1(r.service.p99)} | ${f1(r.raw.p50)} / ${f1(r.raw.p99)} | ` +
        `${f2(r.service.nodeCpu)} (${f2(r.service.mainCpu)}) + ${f2(r.service.pgCpu)} | ${f2(r.raw.nodeCpu)} + ${f2(r.raw.pgCpu)} |` +
        (r.service.failed || r.raw.failed
          ? ` FAILED: ${r.service.failed} service, ${r.raw.failed} raw`
          : ''),
    ),
  ].join('\n');
}

/** The goals, from the medians (only those whose queries ran). */
export function goals(rows: Summary[]): string[] {
  const by = (name: string) => rows.find((r) => r.query === name);
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const out: string[] = [];
  const page = by('page50');
  if (page) {
    const ratio = median(page.ratios);
    const cpu = page.service.nodeCpu;
    out.push(
      `- page50 at ≥ 0.5× raw: ${f2(ratio)} (${met(ratio >= 0.5)}); service CPU ≤ 4 ms per request: ${f2(cpu)} ms (${met(cpu <= 4)})`,
    );
  }
  const identity = by('page50-identity');
  if (page && identity) {
    const x = identity.service.rps / page.service.rps;
    out.push(`- with identity at ≥ 0.8× the page without: ${f2(x)} (${met(x >= 0.8)})`);
  }
  const p10 = by('page10');
  const p100 = by('page100');
  if (p10 && p100) {
    // Service CPU (Node + PostgreSQL) of first: 100, less what the raw baseline's grows by.
    const total = (m: Medians) => m.nodeCpu + m.pgCpu;
    const beyond = total(p100.service) - (total(p100.raw) - total(p10.raw));
    const x = beyond / total(p10.service);
    out.push(
      `- first: 100 at ≤ 1.5× first: 10 in service CPU beyond the raw difference: ` +
        `${f2(total(p100.service))} − (${f2(total(p100.raw))} − ${f2(total(p10.raw))}) = ${f2(beyond)} ms against ${f2(total(p10.service))} ms: ${f2(x)}× (${met(x <= 1.5)})`,
    );
  }
  const big = by('page50-big');
  if (page && big) {
    const x = big.service.p50 / page.service.p50;
    out.push(
      `- page50 p50 in the big office within 1.2× of the small one's: ${f1(big.service.p50)} against ${f1(page.service.p50)} ms: ${f2(x)}× (${met(x <= 1.2)})`,
    );
  }
  return out;
}
