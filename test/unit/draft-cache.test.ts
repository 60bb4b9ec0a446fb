import { DraftCache, validityAround } from '../../src/modules/weekly-reports/draft-cache';
import type { WeeklyReportContent } from '../../src/modules/weekly-reports/weekly-report.content';

const ALWAYS = { after: -Infinity, until: Infinity };

function content(actions: number): WeeklyReportContent {
  return {
    actions: Array.from({ length: actions }, (_, i) => ({ actionId: String(i) })),
    exigent: [],
  } as unknown as WeeklyReportContent;
}

describe('validityAround', () => {
  test('spans from the last due time passed to the next one ahead', () => {
    expect(validityAround(100, [50, 80, 100, 150, 120])).toEqual({ after: 80, until: 100 });
    expect(validityAround(100, [])).toEqual(ALWAYS);
    expect(validityAround(100, [20])).toEqual({ after: 20, until: Infinity });
  });

  test('holds exactly where `now > due` answers as it did when compiled', () => {
    const dues = [10, 20, 30];
    for (let compiledAt = 0; compiledAt <= 40; compiledAt++) {
      const v = validityAround(compiledAt, dues);
      for (let now = 0; now <= 40; now++) {
        const same = dues.every((d) => now > d === compiledAt > d);
        expect(now > v.after && now <= v.until).toBe(same);
      }
    }
  });
});

describe('DraftCache', () => {
  test('a hit needs the same version and a clock inside the span', () => {
    const cache = new DraftCache();
    const c = content(2);
    cache.set('o', '2021-06-07', '7', { after: 10, until: 20 }, c);
    expect(cache.get('o', '2021-06-07', '7', 15)).toBe(c);
    expect(cache.get('o', '2021-06-07', '8', 15)).toBeUndefined();
    expect(cache.get('o', '2021-06-07', '7', 10)).toBeUndefined();
    expect(cache.get('o', '2021-06-07', '7', 21)).toBeUndefined();
    expect(cache.get('o', '2021-06-14', '7', 15)).toBeUndefined();
    expect(Object.isFrozen(c.actions[0])).toBe(true);
  });

  test('drops the least recently used drafts once the rows kept exceed the limit', () => {
    const cache = new DraftCache(10);
    cache.set('a', 'w', '1', ALWAYS, content(3)); // 4 rows with its summary
    cache.set('b', 'w', '1', ALWAYS, content(3));
    expect(cache.get('a', 'w', '1', 0)).toBeDefined(); // a is now the most recent
    cache.set('c', 'w', '1', ALWAYS, content(3)); // 12 rows: b goes
    expect(cache.get('b', 'w', '1', 0)).toBeUndefined();
    expect(cache.get('a', 'w', '1', 0)).toBeDefined();
    expect(cache.get('c', 'w', '1', 0)).toBeDefined();
    cache.set('d', 'w', '1', ALWAYS, content(20)); // larger than the whole cache: not kept
    expect(cache.get('d', 'w', '1', 0)).toBeUndefined();
    expect(cache.size).toBe(2);
  });
});
