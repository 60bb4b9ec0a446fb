/** The exports' CSV (RFC 4180) and NDJSON lines, and their query parameters. */
import { csvField, lineFormat } from '../../src/server/exports/format';
import { reportParams, statsParams } from '../../src/server/exports/params';
import { parseCsv } from '../helpers/exports';

describe('CSV by RFC 4180', () => {
  test('fields with a comma, a double quote, CR or LF are quoted, quotes doubled; null is empty', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Queens, NY')).toBe('"Queens, NY"');
    expect(csvField('the "JFK" gate')).toBe('"the ""JFK"" gate"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(null)).toBe('');
    expect(csvField(12)).toBe('12');
    expect(csvField(0.5)).toBe('0.5');
    expect(csvField('Ñandú – 東京')).toBe('Ñandú – 東京');
  });

  test('a header row and CRLF line ends; what is written parses back to the same values', () => {
    const f = lineFormat('csv', ['a', 'b', 'c']);
    const values = [
      ['Queens, NY', 'say "hi"', null],
      ['line\r\nbreak', '', '東京'],
    ];
    const text = f.header + values.map((v) => f.line(v)).join('');
    expect(text.startsWith('a,b,c\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['Queens, NY', 'say "hi"', ''],
      ['line\r\nbreak', '', '東京'],
    ]);
  });

  test('NDJSON: one object a line, keys in column order, nulls and numbers kept', () => {
    const f = lineFormat('ndjson', ['week', 'count', 'rate']);
    expect(f.header).toBe('');
    const line = f.line(['2024-01-01', 3, null]);
    expect(line).toBe('{"week":"2024-01-01","count":3,"rate":null}\n');
  });
});

describe('query parameters', () => {
  const base = { from: '2024-01-01', to: '2024-12-31' };
  const field = (run: () => unknown) => {
    try {
      run();
    } catch (err) {
      return (err as { code: string; details: { field: string } }).details.field;
    }
    throw new Error('accepted');
  };

  test('the figures: lists comma-separated, csv by default', () => {
    expect(
      statsParams({ ...base, groupBy: 'WEEK,OFFICE', officeCodes: 'NYC,LAX', format: 'ndjson' }),
    ).toEqual({
      filter: {
        ...base,
        officeCodes: ['NYC', 'LAX'],
        categories: undefined,
        actionTypes: undefined,
        bases: undefined,
      },
      groupBy: ['WEEK', 'OFFICE'],
      format: 'ndjson',
    });
    expect(statsParams(base).format).toBe('csv');
    expect(statsParams(base).groupBy).toEqual([]);
  });

  test.each([
    [{ to: '2024-12-31' }, 'from'],
    [{ ...base, from: '2024-02-30' }, 'from'],
    [{ ...base, to: 'soon' }, 'to'],
    [{ from: '2024-12-31', to: '2024-01-01' }, 'from'],
    [{ ...base, groupBy: 'WEEK,COLOUR' }, 'groupBy'],
    [{ ...base, groupBy: 'WEEK,,OFFICE' }, 'groupBy'],
    [{ ...base, categories: 'PUBLIC_SAFETY,nope' }, 'categories'],
    [{ ...base, actionTypes: 'ARREST,JAIL' }, 'actionTypes'],
    [{ ...base, bases: 'EXIGENT,HUNCH' }, 'bases'],
    [{ ...base, format: 'xlsx' }, 'format'],
    [{ ...base, groupby: 'WEEK' }, 'groupby'],
    [{ ...base, from: ['2024-01-01', '2024-02-01'] }, 'from'],
    [
      { ...base, officeCodes: Array.from({ length: 101 }, (_, i) => `X${i}`).join(',') },
      'officeCodes',
    ],
  ])('%j is refused naming %s', (query, name) => {
    expect(field(() => statsParams(query as Record<string, unknown>))).toBe(name);
  });

  test('the weekly report: officeCode, weekStart, an optional revision', () => {
    expect(reportParams({ officeCode: 'NYC', weekStart: '2024-06-03' })).toEqual({
      officeCode: 'NYC',
      weekStart: '2024-06-03',
      revision: null,
      format: 'csv',
    });
    expect(
      reportParams({ officeCode: 'NYC', weekStart: '2024-06-03', revision: '2' }).revision,
    ).toBe(2);
    expect(field(() => reportParams({ weekStart: '2024-06-03' }))).toBe('officeCode');
    expect(field(() => reportParams({ officeCode: 'NYC' }))).toBe('weekStart');
    expect(
      field(() => reportParams({ officeCode: 'NYC', weekStart: '2024-06-03', revision: '0' })),
    ).toBe('revision');
    expect(
      field(() => reportParams({ officeCode: 'NYC', weekStart: '2024-06-03', from: 'x' })),
    ).toBe('from');
  });
});
