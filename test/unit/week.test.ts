/**
 * Week arithmetic in an office's time zone (src/modules/weekly-reports/week.ts): Monday 00:00 local
 * to the next Monday 00:00 local, in each demo zone, across both 2021 daylight-saving changes
 * (14 March and 7 November 2021), and at the local week boundary.
 */
import { DateTime, IANAZone } from 'luxon';
import fc from 'fast-check';
import { localTime, mondaysBetween } from '../../src/modules/weekly-reports/week';
import { addDays, isMonday, weekStartOf, weekWindow } from '../../src/common/calendar';

const HOUR = 3600_000;
const at = (iso: string) => new Date(iso);
const hours = (w: { start: Date; end: Date }) => (w.end.getTime() - w.start.getTime()) / HOUR;

/** UTC offsets (hours) of each zone in winter (standard time) and summer (daylight time). */
const ZONES = [
  { zone: 'America/New_York', standard: 5, daylight: 4 },
  { zone: 'America/Chicago', standard: 6, daylight: 5 },
  { zone: 'America/Los_Angeles', standard: 8, daylight: 7 },
] as const;

/** The instant at `hh:mm` UTC on `date` plus `offset` hours: local wall time `hh:mm` at that offset. */
const localToUtc = (date: string, hhmm: string, offset: number) =>
  new Date(Date.parse(`${date}T${hhmm}:00Z`) + offset * HOUR);

describe.each(ZONES)('$zone', ({ zone, standard, daylight }) => {
  test('an ordinary winter week lasts 168 hours, Monday 00:00 local to the next Monday 00:00', () => {
    const w = weekWindow('2021-03-01', zone);
    expect(w).toEqual({
      weekStart: '2021-03-01',
      start: localToUtc('2021-03-01', '00:00', standard),
      end: localToUtc('2021-03-08', '00:00', standard),
    });
    expect(hours(w)).toBe(168);
  });

  test('the week of 2021-03-08 (clocks forward on Sunday 14 March) lasts 167 hours', () => {
    const w = weekWindow('2021-03-08', zone);
    expect(w.start).toEqual(localToUtc('2021-03-08', '00:00', standard));
    expect(w.end).toEqual(localToUtc('2021-03-15', '00:00', daylight));
    expect(hours(w)).toBe(167);
    expect(localTime(w.start, zone)).toBe(`2021-03-08T00:00:00-0${standard}:00`);
    expect(localTime(w.end, zone)).toBe(`2021-03-15T00:00:00-0${daylight}:00`);
  });

  test('the week of 2021-11-01 (clocks back on Sunday 7 November) lasts 169 hours', () => {
    const w = weekWindow('2021-11-01', zone);
    expect(w.start).toEqual(localToUtc('2021-11-01', '00:00', daylight));
    expect(w.end).toEqual(localToUtc('2021-11-08', '00:00', standard));
    expect(hours(w)).toBe(169);
    expect(localTime(w.start, zone)).toBe(`2021-11-01T00:00:00-0${daylight}:00`);
    expect(localTime(w.end, zone)).toBe(`2021-11-08T00:00:00-0${standard}:00`);
  });

  test('the weeks on either side of a change last 168 hours and the windows tile without gaps', () => {
    const mondays = mondaysBetween('2021-02-22', '2021-11-22');
    for (let i = 0; i < mondays.length; i++) {
      const w = weekWindow(mondays[i], zone);
      const expected = mondays[i] === '2021-03-08' ? 167 : mondays[i] === '2021-11-01' ? 169 : 168;
      expect([mondays[i], hours(w)]).toEqual([mondays[i], expected]);
      if (i > 0) expect(weekWindow(mondays[i - 1], zone).end).toEqual(w.start);
      // The window's own bounds fall in its week: start inside, end (exclusive) in the next.
      expect(weekStartOf(w.start, zone)).toBe(mondays[i]);
      expect(weekStartOf(new Date(w.end.getTime() - 1), zone)).toBe(mondays[i]);
      expect(weekStartOf(w.end, zone)).toBe(addDays(mondays[i], 7));
    }
  });

  test('23:30 Sunday local, already Monday in UTC, belongs to the local week', () => {
    for (const [sunday, monday, offset] of [
      ['2021-03-14', '2021-03-08', daylight], // the Sunday the clocks go forward
      ['2021-06-13', '2021-06-07', daylight],
      ['2021-11-07', '2021-11-01', standard], // the Sunday the clocks go back
      ['2021-12-12', '2021-12-06', standard],
    ] as const) {
      const instant = localToUtc(sunday, '23:30', offset);
      expect(instant.getUTCDay()).toBe(1); // Monday in UTC
      expect(weekStartOf(instant, 'UTC')).toBe(addDays(monday, 7));
      expect(weekStartOf(instant, zone)).toBe(monday);
      expect(localTime(instant, zone)).toBe(`${sunday}T23:30:00-0${offset}:00`);
    }
  });

  test('Monday 00:00 local starts a new week; the millisecond before is still the old one', () => {
    for (const [monday, offset] of [
      ['2021-03-15', daylight],
      ['2021-11-08', standard],
      ['2021-06-14', daylight],
    ] as const) {
      const midnight = localToUtc(monday, '00:00', offset);
      expect(weekStartOf(midnight, zone)).toBe(monday);
      expect(weekStartOf(new Date(midnight.getTime() - 1), zone)).toBe(addDays(monday, -7));
      expect(weekStartOf(localToUtc(monday, '00:30', offset), zone)).toBe(monday);
      expect(weekWindow(monday, zone).start).toEqual(midnight);
    }
  });

  test('the repeated hour of 7 November (01:00-02:00 twice) is in the week of 1 November', () => {
    const first = localToUtc('2021-11-07', '01:30', daylight);
    const second = localToUtc('2021-11-07', '01:30', standard);
    expect(second.getTime() - first.getTime()).toBe(HOUR);
    expect(weekStartOf(first, zone)).toBe('2021-11-01');
    expect(weekStartOf(second, zone)).toBe('2021-11-01');
    expect(localTime(first, zone)).toBe(`2021-11-07T01:30:00-0${daylight}:00`);
    expect(localTime(second, zone)).toBe(`2021-11-07T01:30:00-0${standard}:00`);
  });
});

describe('weekStartOf: a table of instants', () => {
  test.each([
    // instant (UTC), zone, the local Monday
    ['2021-03-08T04:59:59Z', 'America/New_York', '2021-03-01'], // Sun 23:59:59 EST
    ['2021-03-08T05:00:00Z', 'America/New_York', '2021-03-08'], // Mon 00:00 EST
    ['2021-03-14T06:59:59Z', 'America/New_York', '2021-03-08'], // Sun 01:59:59 EST
    ['2021-03-14T07:00:00Z', 'America/New_York', '2021-03-08'], // Sun 03:00 EDT
    ['2021-03-15T03:30:00Z', 'America/New_York', '2021-03-08'], // Sun 23:30 EDT
    ['2021-03-15T04:00:00Z', 'America/New_York', '2021-03-15'], // Mon 00:00 EDT
    ['2021-03-15T04:00:00Z', 'America/Chicago', '2021-03-08'], // Sun 23:00 CDT
    ['2021-03-15T05:00:00Z', 'America/Chicago', '2021-03-15'], // Mon 00:00 CDT
    ['2021-03-15T06:59:59Z', 'America/Los_Angeles', '2021-03-08'], // Sun 23:59:59 PDT
    ['2021-03-15T07:00:00Z', 'America/Los_Angeles', '2021-03-15'], // Mon 00:00 PDT
    ['2021-11-01T03:59:59Z', 'America/New_York', '2021-10-25'], // Sun 23:59:59 EDT
    ['2021-11-01T04:00:00Z', 'America/New_York', '2021-11-01'], // Mon 00:00 EDT
    ['2021-11-08T04:30:00Z', 'America/New_York', '2021-11-01'], // Sun 23:30 EST
    ['2021-11-08T05:00:00Z', 'America/New_York', '2021-11-08'], // Mon 00:00 EST
    ['2021-11-08T05:30:00Z', 'America/Chicago', '2021-11-01'], // Sun 23:30 CST
    ['2021-11-08T06:00:00Z', 'America/Chicago', '2021-11-08'], // Mon 00:00 CST
    ['2021-11-08T07:30:00Z', 'America/Los_Angeles', '2021-11-01'], // Sun 23:30 PST
    ['2021-11-08T08:00:00Z', 'America/Los_Angeles', '2021-11-08'], // Mon 00:00 PST
    ['2021-01-03T23:00:00Z', 'America/Los_Angeles', '2020-12-28'], // across the year end
    ['2021-06-07T12:00:00Z', 'UTC', '2021-06-07'],
    ['2021-06-13T23:59:59Z', 'UTC', '2021-06-07'],
  ])('%s in %s is in the week of %s', (instant, zone, monday) => {
    expect(weekStartOf(at(instant), zone)).toBe(monday);
    expect(isMonday(monday)).toBe(true);
  });
});

describe('weekWindow: a table of weeks', () => {
  test.each([
    ['2021-03-01', 'America/New_York', '2021-03-01T05:00:00.000Z', '2021-03-08T05:00:00.000Z', 168],
    ['2021-03-08', 'America/New_York', '2021-03-08T05:00:00.000Z', '2021-03-15T04:00:00.000Z', 167],
    ['2021-03-08', 'America/Chicago', '2021-03-08T06:00:00.000Z', '2021-03-15T05:00:00.000Z', 167],
    [
      '2021-03-08',
      'America/Los_Angeles',
      '2021-03-08T08:00:00.000Z',
      '2021-03-15T07:00:00.000Z',
      167,
    ],
    ['2021-03-15', 'America/New_York', '2021-03-15T04:00:00.000Z', '2021-03-22T04:00:00.000Z', 168],
    ['2021-11-01', 'America/New_York', '2021-11-01T04:00:00.000Z', '2021-11-08T05:00:00.000Z', 169],
    ['2021-11-01', 'America/Chicago', '2021-11-01T05:00:00.000Z', '2021-11-08T06:00:00.000Z', 169],
    [
      '2021-11-01',
      'America/Los_Angeles',
      '2021-11-01T07:00:00.000Z',
      '2021-11-08T08:00:00.000Z',
      169,
    ],
    ['2021-11-08', 'America/Chicago', '2021-11-08T06:00:00.000Z', '2021-11-15T06:00:00.000Z', 168],
    ['2021-06-07', 'UTC', '2021-06-07T00:00:00.000Z', '2021-06-14T00:00:00.000Z', 168],
  ])('week of %s in %s: %s to %s (%d hours)', (monday, zone, start, end, length) => {
    const w = weekWindow(monday, zone);
    expect({
      weekStart: w.weekStart,
      start: w.start.toISOString(),
      end: w.end.toISOString(),
    }).toEqual({ weekStart: monday, start, end });
    expect(hours(w)).toBe(length);
  });

  test('an impossible date is refused', () => {
    expect(() => weekWindow('2021-02-30', 'America/New_York')).toThrow(/invalid week start/);
  });
});

describe('isMonday', () => {
  test.each([
    ['2021-03-08', true],
    ['2021-03-15', true],
    ['2021-11-01', true],
    ['2021-11-08', true],
    ['2021-01-04', true],
    ['2020-12-28', true],
    ['2021-03-07', false],
    ['2021-03-09', false],
    ['2021-03-14', false],
    ['2021-11-07', false],
    ['2021-06-13', false],
    ['2021-06-12', false],
    ['2021-02-30', false],
    ['not a date', false],
  ])('%s: %s', (date, expected) => {
    expect(isMonday(date)).toBe(expected);
  });

  test('agrees with the JavaScript calendar for every day of 2021', () => {
    for (let d = '2021-01-01'; d <= '2021-12-31'; d = addDays(d, 1)) {
      expect([d, isMonday(d)]).toEqual([d, new Date(`${d}T00:00:00Z`).getUTCDay() === 1]);
    }
  });
});

describe('mondaysBetween', () => {
  test('inclusive at both ends, one per week, across both changes', () => {
    expect(mondaysBetween('2021-03-01', '2021-03-22')).toEqual([
      '2021-03-01',
      '2021-03-08',
      '2021-03-15',
      '2021-03-22',
    ]);
    expect(mondaysBetween('2021-10-25', '2021-11-15')).toEqual([
      '2021-10-25',
      '2021-11-01',
      '2021-11-08',
      '2021-11-15',
    ]);
  });

  test('one Monday; none when the range is reversed; across the year end', () => {
    expect(mondaysBetween('2021-03-08', '2021-03-08')).toEqual(['2021-03-08']);
    expect(mondaysBetween('2021-03-15', '2021-03-08')).toEqual([]);
    expect(mondaysBetween('2020-12-21', '2021-01-11')).toEqual([
      '2020-12-21',
      '2020-12-28',
      '2021-01-04',
      '2021-01-11',
    ]);
  });

  test('the whole of 2021: 52 Mondays, every one a Monday, 7 days apart', () => {
    const all = mondaysBetween('2021-01-04', '2021-12-27');
    expect(all).toHaveLength(52);
    expect(all.every(isMonday)).toBe(true);
    for (let i = 1; i < all.length; i++) expect(addDays(all[i - 1], 7)).toBe(all[i]);
  });
});

describe('localTime', () => {
  test.each([
    ['2021-03-14T06:59:59Z', 'America/New_York', '2021-03-14T01:59:59-05:00'],
    ['2021-03-14T07:00:00Z', 'America/New_York', '2021-03-14T03:00:00-04:00'],
    ['2021-03-14T08:00:00Z', 'America/Chicago', '2021-03-14T03:00:00-05:00'],
    ['2021-03-14T10:00:00Z', 'America/Los_Angeles', '2021-03-14T03:00:00-07:00'],
    ['2021-11-07T05:30:00Z', 'America/New_York', '2021-11-07T01:30:00-04:00'],
    ['2021-11-07T06:30:00Z', 'America/New_York', '2021-11-07T01:30:00-05:00'],
    ['2021-11-07T06:30:00Z', 'America/Chicago', '2021-11-07T01:30:00-05:00'],
    ['2021-11-07T07:30:00Z', 'America/Chicago', '2021-11-07T01:30:00-06:00'],
    ['2021-11-07T09:00:00Z', 'America/Los_Angeles', '2021-11-07T01:00:00-08:00'],
    ['2021-06-14T03:30:00Z', 'America/New_York', '2021-06-13T23:30:00-04:00'],
    ['2021-06-14T04:30:00Z', 'America/New_York', '2021-06-14T00:30:00-04:00'],
    ['2021-06-14T03:30:00.250Z', 'America/New_York', '2021-06-13T23:30:00.250-04:00'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(localTime(at(instant), zone)).toBe(expected);
    // The text names the same instant.
    expect(Date.parse(expected)).toBe(Date.parse(instant));
  });
});

describe('localTime', () => {
  /** Luxon's own formatting, the reference the fast path must equal. */
  const reference = (d: Date, zone: string) =>
    DateTime.fromJSDate(d, { zone: IANAZone.create(zone) }).toISO({ suppressMilliseconds: true });
  const ODD_ZONES = [
    ...ZONES.map((z) => z.zone),
    'America/Phoenix',
    'Pacific/Honolulu',
    'America/St_Johns', // -03:30 / -02:30
    'Asia/Kolkata', // +05:30
    'Asia/Kathmandu', // +05:45
    'Australia/Lord_Howe', // a 30-minute clock change
    'Pacific/Chatham', // +12:45 / +13:45
    'Europe/London', // +00:00 in winter
    'Pacific/Guam',
  ];

  test('equals luxon for random instants in zones with odd offsets and changes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ODD_ZONES),
        fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2040-01-01') }),
        (zone, ms) => {
          expect(localTime(new Date(ms), zone)).toBe(reference(new Date(ms), zone));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('equals luxon every few minutes around every clock change of 2021', () => {
    for (const zone of ODD_ZONES) {
      const iana = IANAZone.create(zone);
      const start = Date.parse('2021-01-01T00:00:00Z');
      // Find each change by stepping hours, then check each minute (and odd seconds) around it.
      for (let day = start; day < start + 366 * 24 * HOUR; day += 24 * HOUR) {
        if (iana.offset(day) === iana.offset(day + 24 * HOUR)) continue;
        for (let ms = day; ms < day + 24 * HOUR; ms += HOUR) {
          if (iana.offset(ms) === iana.offset(ms + HOUR)) continue;
          for (let t = ms - 2 * HOUR; t <= ms + 3 * HOUR; t += 60_000 + 7) {
            expect([zone, localTime(new Date(t), zone)]).toEqual([
              zone,
              reference(new Date(t), zone),
            ]);
          }
        }
      }
    }
  });
});
