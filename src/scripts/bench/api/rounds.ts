/**
 * The load: for each query, a short warm-up of both servers, then rounds of the service and the
 * raw baseline in turn (service, raw, service, raw...), each a fixed number of seconds at a fixed
 * number of connections (autocannon). Around each run, the CPU time of the server's process and of
 * PostgreSQL, so each run also says what one request cost in CPU.
 */
import autocannon from 'autocannon';
import { mainThreadCpuMs, postgresCpuMeter, processCpuMs } from './cpu';
import type { Child } from './processes';
import type { BenchQuery } from './queries';

export type Side = 'service' | 'raw';

export interface Run {
  query: string;
  side: Side;
  round: number;
  requests: number;
  failed: number;
  rps: number;
  p50: number;
  p99: number;
  /** CPU milliseconds per request: the server's Node process, and PostgreSQL. */
  nodeCpu: number;
  pgCpu: number;
  /** Of `nodeCpu`, the main (JavaScript) thread's. */
  mainCpu: number;
  /** When the load ran: microseconds of the monotonic clock (a CPU profile's time base). */
  window: [number, number];
}

export interface LoadOptions {
  connections: number;
  duration: number;
  rounds: number;
  warmup: number;
  /** PostgreSQL CPU counts only this database's backends (and the background processes). */
  database: string;
}

export interface Target {
  child: Child;
  /** The request autocannon repeats for a query on this side. */
  request: (q: BenchQuery) => { url: string; headers: Record<string, string>; body: string };
}

async function once(
  target: Target,
  q: BenchQuery,
  seconds: number,
  o: LoadOptions,
): Promise<Omit<Run, 'query' | 'side' | 'round'>> {
  const { url, headers, body } = target.request(q);
  const node0 = processCpuMs(target.child.pid);
  const main0 = mainThreadCpuMs(target.child.pid);
  const from = Number(process.hrtime.bigint() / 1000n);
  const pgMeter = postgresCpuMeter(o.database);
  pgMeter.start();
  const r = await autocannon({
    url,
    method: 'POST',
    headers,
    body,
    connections: o.connections,
    duration: seconds,
    timeout: 30,
  });
  const to = Number(process.hrtime.bigint() / 1000n);
  const node = processCpuMs(target.child.pid) - node0;
  const main = mainThreadCpuMs(target.child.pid) - main0;
  const pgMs = pgMeter.elapsedMs();
  const ok = r['2xx'];
  return {
    requests: ok,
    failed: r.non2xx + r.errors,
    rps: ok / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    nodeCpu: ok ? node / ok : NaN,
    pgCpu: ok ? pgMs / ok : NaN,
    mainCpu: ok ? main / ok : NaN,
    window: [from, to],
  };
}

export async function runQuery(
  q: BenchQuery,
  sides: Record<Side, Target>,
  o: LoadOptions,
  onRun: (run: Run) => void,
): Promise<Run[]> {
  // Warm-up: V8 compiles the hot paths, pools open their connections, PostgreSQL caches pages.
  if (o.warmup > 0)
    for (const side of ['service', 'raw'] as const) await once(sides[side], q, o.warmup, o);
  const runs: Run[] = [];
  for (let round = 1; round <= o.rounds; round++) {
    for (const side of ['service', 'raw'] as const) {
      const run = { query: q.name, side, round, ...(await once(sides[side], q, o.duration, o)) };
      runs.push(run);
      onRun(run);
    }
  }
  return runs;
}
