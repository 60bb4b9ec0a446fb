/**
 * `jsonBytes` (src/server/json-bytes.ts) writes exactly the bytes of `JSON.stringify` in UTF-8,
 * whatever the value: checked on generated JSON values, on the shapes JSON.stringify treats
 * specially, and on an answer large enough to need many pieces.
 */
import fc from 'fast-check';
import { jsonBytes } from '../../src/server/json-bytes';

const same = (value: unknown) =>
  expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value));

describe('jsonBytes', () => {
  it('writes what JSON.stringify writes, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonBytes(value).equals(Buffer.from(JSON.stringify(value), 'utf8'))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('writes any text, lone surrogates and control characters included, as JSON.stringify escapes it', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ unit: 'binary' }),
          fc.array(fc.string({ unit: 'binary', maxLength: 200 })),
        ),
        (value) => same(value),
      ),
      { numRuns: 300 },
    );
  });

  it('treats undefined, functions, symbols, toJSON, dates, boxes, maps and non-finite numbers as JSON.stringify does', () => {
    const special = {
      a: undefined,
      b: () => 1,
      c: Symbol('s'),
      list: [undefined, () => 1, Symbol('t'), NaN, Infinity, -0, null],
      date: new Date('2021-06-01T14:00:00.000Z'),
      keyed: { toJSON: (key: string) => `key was ${key}` },
      nested: [{ toJSON: (key: string) => ({ index: key }) }],
      boxed: [new String('s'), new Number(3), new Boolean(false)],
      map: new Map([['k', 1]]),
      bare: Object.assign(Object.create(null) as object, { x: 1 }),
      'needs "escaping"\n': 'é’\u2028\u0000',
      2: 'integer keys first',
    };
    same(special);
    same([special, special]);
    same(null);
    same('top-level text ’');
    same(12.5);
  });

  it('writes a large answer with text outside Latin-1 in several pieces, byte for byte', () => {
    const node = (i: number) => ({
      id: `case-${i}`,
      summary: `An enforcement action needs a supervisor’s pre-approval (${i}). ${'x'.repeat(900)}`,
      categories: ['PUBLIC_SAFETY'],
      convictions: [
        { offense: 'Robbery — armed', convictedOn: '2014-11-10', aggravatedFelony: true },
      ],
    });
    const answer = {
      data: { cases: { edges: Array.from({ length: 200 }, (_, i) => ({ node: node(i) })) } },
    };
    const bytes = jsonBytes(answer);
    expect(bytes.length).toBeGreaterThan(200_000);
    expect(bytes.equals(Buffer.from(JSON.stringify(answer), 'utf8'))).toBe(true);
  });

  it('fails on a circular value, as JSON.stringify does', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => jsonBytes(loop)).toThrow(RangeError);
  });
});
