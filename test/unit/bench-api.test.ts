import { firstDifference } from '../../src/scripts/bench/api/compare';
import {
  backendDatabase,
  mainThreadCpuMs,
  parseProcStat,
  postgresCpuMs,
  processCpuMs,
} from '../../src/scripts/bench/api/cpu';
import { phasesOf, phaseTable, type CpuProfile } from '../../src/scripts/bench/api/profile';
import { caseTemplates } from '../../src/scripts/bench/api/case-templates';
import { CriterionStatus } from '../../src/modules/assessments/policy/types';

describe('the /proc reader of bench:api', () => {
  test('reads utime, stime and the children’s times after a name with spaces and parentheses', () => {
    const line =
      '4242 (node (bench) x) S 17 4242 4242 0 -1 4194304 100 0 0 0 1234 567 89 10 20 0 11 0 999 1000000 2000 18446744073709551615';
    expect(parseProcStat(line)).toEqual({
      pid: 4242,
      comm: 'node (bench) x',
      ppid: 17,
      utime: 1234,
      stime: 567,
      cutime: 89,
      cstime: 10,
    });
  });

  test('tells a backend’s database from its title, with or without a cluster name', () => {
    expect(
      backendDatabase('postgres: 15/main: ep_bench_service ep_bench_api 127.0.0.1(54242) idle'),
    ).toBe('ep_bench_api');
    expect(backendDatabase('postgres: postgres ep_dev [local] SELECT')).toBe('ep_dev');
    expect(backendDatabase('postgres: 15/main: checkpointer')).toBeNull();
    expect(backendDatabase('postgres: 15/main: background writer')).toBeNull();
    expect(backendDatabase('/usr/lib/postgresql/15/bin/postgres -D /var/lib/x')).toBeNull();
  });

  test('this process has spent some CPU, and it only grows', () => {
    const before = processCpuMs(process.pid);
    let x = 0;
    for (let i = 0; i < 1e6; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    expect(processCpuMs(process.pid)).toBeGreaterThanOrEqual(before);
    expect(Number.isNaN(processCpuMs(2 ** 30))).toBe(true);
    expect(postgresCpuMs('no_such_database')).toBeGreaterThanOrEqual(0);
  });

  test('reads the main thread’s CPU apart, never more than the whole process’s', () => {
    const main = mainThreadCpuMs(process.pid);
    expect(main).toBeGreaterThan(0);
    expect(main).toBeLessThanOrEqual(processCpuMs(process.pid));
    expect(Number.isNaN(mainThreadCpuMs(2 ** 30))).toBe(true);
  });
});

describe('the profile phases of bench:api --profile', () => {
  const frame = (functionName: string, url = '') => ({ functionName, url });
  // (root) → ticks → pg's submit → writev; (root) → ticks → a row parser; (root) → GC; (root) → idle;
  // (root) → ticks → a compiled resolver (no url) → graphql-jit's runtime.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 6, 7] },
      {
        id: 2,
        callFrame: frame('processTicksAndRejections', 'node:internal/process/task_queues'),
        children: [3, 5, 8],
      },
      {
        id: 3,
        callFrame: frame('submit', 'file:///x/node_modules/pg/lib/query.js'),
        children: [4],
      },
      { id: 4, callFrame: frame('writev') },
      { id: 5, callFrame: frame('parse', 'file:///x/node_modules/postgres-date/index.js') },
      { id: 6, callFrame: frame('(garbage collector)') },
      { id: 7, callFrame: frame('(idle)') },
      {
        id: 8,
        callFrame: frame('safeMap', 'file:///x/node_modules/graphql-jit/dist/runtime.js'),
        children: [9],
      },
      { id: 9, callFrame: frame('Case__fieldassessmentsHandler') },
    ],
    startTime: 1_000,
    // Samples every 100 µs, at 1,100 to 2,000: the window below ends before the last four.
    samples: [4, 4, 5, 6, 7, 9, 4, 4, 6, 6],
    timeDeltas: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
  };

  test('puts each sample in the phase of its innermost known frame, within the windows, idle left out', () => {
    const phases = phasesOf(profile, [[1_000, 1_650]]);
    const round = (x: number) => Math.round(x * 1000) / 1000;
    expect(phases.map((p) => [p.phase, round(p.ms), round(p.share)])).toEqual([
      ['SQL sent (pg)', 0.2, 0.4],
      ['rows received and parsed (pg)', 0.1, 0.2],
      ['garbage collection (main thread)', 0.1, 0.2],
      ['GraphQL execution (graphql-jit)', 0.1, 0.2],
    ]);
    expect(phasesOf(profile, [])).toEqual([]);
    // Two windows: the samples of both count.
    expect(
      phasesOf(profile, [
        [1_000, 1_250],
        [1_750, 1_850],
      ])[0],
    ).toMatchObject({ phase: 'SQL sent (pg)', share: 1 });
    const table = phaseTable(phases, 2);
    expect(table).toContain('| SQL sent (pg) | 40.0% | 0.10 |');
    expect(phaseTable(phases)).not.toContain('ms per request');
  });
});

describe('the equality check of bench:api', () => {
  test('ignores key order and names the first difference', () => {
    expect(firstDifference({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBeNull();
    expect(firstDifference({ a: [1, { c: 'x' }] }, { a: [1, { c: 'y' }] })).toBe(
      'data.a[1].c: "x" ≠ "y"',
    );
    expect(firstDifference({ a: [1, 2] }, { a: [1] })).toBe('data.a: 2 items ≠ 1 items');
    expect(firstDifference({ a: null }, { a: {} })).toBe('data.a: null ≠ {}');
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 })).toBe('data.b: only in the second');
    expect(firstDifference({ a: '1' }, { a: 1 })).toBe('data.a: "1" ≠ 1');
  });
});

describe('the case templates of bench:api', () => {
  test('three assessments each, one per version, dated in its period, by the engine', () => {
    const schedule = [
      { code: 'DHS-2021-01-20', from: '2021-01-20', to: '2021-02-17' },
      { code: 'ICE-2021-02-18', from: '2021-02-18', to: '2021-11-28' },
      { code: 'DHS-2021-09-30', from: '2021-11-29', to: null },
    ];
    const templates = caseTemplates(schedule);
    expect(templates).toHaveLength(32);
    for (const t of templates) {
      expect(t.assessments.map((a) => a.versionCode)).toEqual(schedule.map((s) => s.code));
      t.assessments.forEach((a, i) => {
        expect(a.asOfDate >= addTwelve(schedule[i].from)).toBe(true);
        expect(schedule[i].to === null || a.asOfDate <= schedule[i].to!).toBe(true);
        expect(a.outcome.reasons.length).toBeGreaterThan(0);
        expect(a.outcome.reasons.every((r) => r.detail && r.description)).toBe(true);
      });
    }
    const statuses = new Set(
      templates.flatMap((t) =>
        t.assessments.flatMap((a) => a.outcome.reasons.map((r) => r.status)),
      ),
    );
    expect(statuses.has(CriterionStatus.MET)).toBe(true);
  });
});

const addTwelve = (d: string) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + 12 * 86_400_000).toISOString().slice(0, 10);
