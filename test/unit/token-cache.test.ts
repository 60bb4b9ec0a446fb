import { ALWAYS, TokenCache, validityAround } from '../../src/common/token-cache';

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

describe('TokenCache', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i) }));

  test('a hit needs the same token and a clock inside the span', () => {
    const cache = new TokenCache<{ id: string }[]>(100);
    const value = rows(2);
    cache.set('o/2021-06-07', '7', value, 3, { after: 10, until: 20 });
    expect(cache.get('o/2021-06-07', '7', 15)).toBe(value);
    expect(cache.get('o/2021-06-07', '8', 15)).toBeUndefined();
    expect(cache.get('o/2021-06-07', '7', 10)).toBeUndefined();
    expect(cache.get('o/2021-06-07', '7', 21)).toBeUndefined();
    expect(cache.get('o/2021-06-14', '7', 15)).toBeUndefined();
    expect(cache.hits).toBe(1);
    expect(cache.misses).toBe(4);
  });

  test('with a limit of 0 it keeps nothing (REPORT_DRAFT_CACHE_ROWS=0)', () => {
    const cache = new TokenCache<{ id: string }[]>(0);
    cache.set('k', '1', rows(1), 1);
    expect(cache.get('k', '1', 0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test('freezes what it keeps, so no reader can change it for the next', () => {
    const cache = new TokenCache<{ id: string }[]>(100);
    const value = rows(2);
    cache.set('k', '1', value, 2);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value[1])).toBe(true);
  });

  test('drops the least recently used entries once the kept weight exceeds the limit', () => {
    const cache = new TokenCache<{ id: string }[]>(10);
    cache.set('a', '1', rows(1), 4);
    cache.set('b', '1', rows(1), 4);
    expect(cache.get('a', '1', 0)).toBeDefined(); // a is now the most recent
    cache.set('c', '1', rows(1), 4); // weight 12: b goes
    expect(cache.get('b', '1', 0)).toBeUndefined();
    expect(cache.get('a', '1', 0)).toBeDefined();
    expect(cache.get('c', '1', 0)).toBeDefined();
    cache.set('d', '1', rows(1), 11); // heavier than the whole cache: not kept
    expect(cache.get('d', '1', 0)).toBeUndefined();
    cache.set('a', '2', rows(1), 4); // a new token replaces the entry
    expect(cache.get('a', '1', 0)).toBeUndefined();
    expect(cache.size).toBe(2);
  });
});
