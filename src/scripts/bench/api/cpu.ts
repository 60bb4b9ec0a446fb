/**
 * CPU time of processes from /proc (Linux): the service's and the raw baseline's own processes, and
 * PostgreSQL's. Read before and after a round; the difference over the requests served is the
 * CPU a request costs, whatever else the machine runs on its other core.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Clock ticks per second (`getconf CLK_TCK`): the unit of utime and stime. */
let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** User and system time of the process itself, in ticks. */
  utime: number;
  stime: number;
  /** Of its children that ended and were waited for, in ticks. */
  cutime: number;
  cstime: number;
}

/**
 * One line of /proc/<pid>/stat. The command name is in parentheses and may itself hold spaces or
 * parentheses, so the fields are counted from the last ')'.
 */
export function parseProcStat(line: string): ProcStat {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc stat line: ${line.slice(0, 80)}`);
  // Fields after the name: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17).
  const rest = line
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const field = (n: number) => Number(rest[n - 3]);
  return {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    ppid: field(4),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
  };
}

/** A process's /proc stat, or one of its threads' (`task/<tid>/stat`); undefined once it ended. */
function readStat(pid: number, tid?: number): ProcStat | undefined {
  const file = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  try {
    return parseProcStat(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined; // Ended meanwhile.
  }
}

const ms = (ticks: number) => (ticks * 1000) / clockTicks();

/** CPU milliseconds (user + system) of one process so far, all its threads; NaN once it has ended. */
export function processCpuMs(pid: number): number {
  const s = readStat(pid);
  return s ? ms(s.utime + s.stime) : NaN;
}

/**
 * CPU milliseconds of a process's main thread alone (the JavaScript thread of a Node process; the
 * rest is V8's helpers, parallel garbage collection mostly, and libuv's pool); NaN once it ended.
 */
export function mainThreadCpuMs(pid: number): number {
  const s = readStat(pid, pid);
  return s ? ms(s.utime + s.stime) : NaN;
}

/**
 * CPU milliseconds of a PostgreSQL cluster so far: every process named `postgres` (postmaster,
 * backends, background workers), plus what the postmaster's children that already ended used
 * (its cutime and cstime), so a backend that exits mid-round is still counted. `database`: only
 * backends of that database (the title PostgreSQL gives them names it) and the cluster's
 * background processes, leaving out other databases' sessions (tests of other work on the machine).
 */
export function postgresCpuMs(database?: string): number {
  let ticks = 0;
  for (const [, t] of postgresCpuTicks(database)) ticks += t;
  return ms(ticks);
}

/** Ticks so far of each PostgreSQL process `postgresCpuMs` counts, by pid. */
function postgresCpuTicks(database?: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (!s || s.comm !== 'postgres') continue;
    const postmaster = readStat(s.ppid)?.comm !== 'postgres';
    if (database !== undefined && !postmaster && !isBackgroundOrOf(s.pid, database)) continue;
    let ticks = s.utime + s.stime;
    if (postmaster && database === undefined) ticks += s.cutime + s.cstime;
    out.set(s.pid, ticks);
  }
  return out;
}

/**
 * CPU milliseconds PostgreSQL spent since `start()`, process by process: a backend that ended
 * meanwhile (a pool closing an idle connection) takes none of what it used before away from the
 * sum, and one that started counts from zero. What an ended backend used after the start is lost:
 * a slight undercount, never a negative one.
 */
export function postgresCpuMeter(database?: string): { start(): void; elapsedMs(): number } {
  let before = new Map<number, number>();
  return {
    start() {
      before = postgresCpuTicks(database);
    },
    elapsedMs() {
      let ticks = 0;
      for (const [pid, t] of postgresCpuTicks(database)) ticks += t - (before.get(pid) ?? 0);
      return ms(ticks);
    },
  };
}

/**
 * A backend's database from its process title ("postgres: [cluster: ]user database host(port)
 * activity"), or null for the postmaster and background processes (checkpointer, walwriter...).
 */
export function backendDatabase(title: string): string | null {
  const m = /^postgres: (?:\S+: )?\S+ (\S+) (?:\S+\(\d+\)|\[local\])/.exec(title);
  return m ? m[1] : null;
}

function isBackgroundOrOf(pid: number, database: string): boolean {
  let title: string;
  try {
    title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return false;
  }
  const of = backendDatabase(title);
  return of === null || of === database;
}
