import { ManualClock, offsetClock } from '../../src/clock';

test('an offset clock starts at the given instant and runs at real speed', async () => {
  const start = new Date('2021-06-01T14:00:00Z');
  const clock = offsetClock(start);
  const first = clock.now().getTime();
  expect(Math.abs(first - start.getTime())).toBeLessThan(1000);
  await new Promise((r) => setTimeout(r, 20));
  expect(clock.now().getTime()).toBeGreaterThan(first);
});

test('a manual clock moves only when told', () => {
  const clock = new ManualClock(new Date('2021-01-01T00:00:00Z'));
  expect(clock.now().toISOString()).toBe('2021-01-01T00:00:00.000Z');
  clock.advance(1000);
  expect(clock.now().toISOString()).toBe('2021-01-01T00:00:01.000Z');
  clock.set(new Date('2022-01-01T00:00:00Z'));
  expect(clock.now().toISOString()).toBe('2022-01-01T00:00:00.000Z');
});
