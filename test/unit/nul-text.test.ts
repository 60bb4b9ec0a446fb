/**
 * The NUL check (src/server/nul-text.ts) names the first string holding U+0000, wherever it is:
 * in a variable's nested objects and lists, or in a literal argument of the document.
 */
import { parse, type OperationDefinitionNode } from 'graphql';
import { nulCharacterError } from '../../src/server/nul-text';

const operation = (source: string) => parse(source).definitions[0] as OperationDefinitionNode;
const field = (source: string, variables: Record<string, unknown> = {}) =>
  nulCharacterError(operation(source), variables)?.details?.field ?? null;

test.each([
  ['a variable', { name: 'a\u0000' }, 'name'],
  ['a nested field', { input: { subject: { name: 'x\u0000y' } } }, 'input.subject.name'],
  ['a list position', { input: { tags: ['ok', 'fine', '\u0000'] } }, 'input.tags.2'],
  ['an object in a list', { input: { rows: [{ a: 'ok' }, { a: '\u0000' }] } }, 'input.rows.1.a'],
  ['nothing', { input: { name: 'plain', n: 3, none: null, tags: ['a'] } }, null],
])('in variables: %s', (_label, variables, expected) => {
  expect(field('query Q { me { id } }', variables)).toBe(expected);
});

test.each([
  ['an argument', '{ a(x: "b\\u0000") }', 'x'],
  [
    'an object field',
    '{ a(input: { name: "ok", place: { city: "\\u0000" } }) }',
    'input.place.city',
  ],
  ['a list position', '{ a(tags: ["ok", "\\u0000"]) }', 'tags.1'],
  ['a nested selection', '{ a { b(note: "\\u0000") } }', 'note'],
  ['nothing', '{ a(x: "plain", y: ["u0000"]) }', null],
])('in the document: %s', (_label, source, expected) => {
  expect(field(source)).toBe(expected);
});

test('the message names the field and the character', () => {
  expect(nulCharacterError(operation('{ a }'), { note: '\u0000' })?.message).toBe(
    'note: must not contain the NUL character (U+0000)',
  );
});

test.each([
  ['a lone high surrogate', 'a\ud800b', true],
  ['a lone high surrogate at the end', 'ab\ud800', true],
  ['a lone low surrogate', '\udc00ab', true],
  ['two high surrogates', '\ud83d\ud83d\ude00', true],
  ['a surrogate pair (an emoji)', 'a😀b', false],
  ['accents and CJK', 'Ωmega ünïcödé 名前', false],
])('an unpaired surrogate is refused, a pair is not: %s', (_label, text, refused) => {
  const error = nulCharacterError(operation('{ a }'), { input: { name: text } });
  expect(error?.details?.field ?? null).toBe(refused ? 'input.name' : null);
  if (refused)
    expect(error?.message).toBe(
      'input.name: must be well-formed Unicode (no unpaired surrogate such as \\ud800)',
    );
});
