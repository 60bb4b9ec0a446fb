/**
 * `Date` is a calendar date ('YYYY-MM-DD', no time, no zone), kept a string end to end so no time
 * zone can shift it. `DateTime` is an instant (RFC 3339 with offset), from graphql-scalars.
 *
 * Both are bounded to the years 1900–2199 on input: every loop and query over dates is bounded by
 * the scalars themselves, before any resolver runs (a far date once drove a week loop to the date
 * library's last year), and every instant the service computes from them stays a four-digit year.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { isCalendarDate, MAX_YEAR, MIN_YEAR } from './calendar';

const badInput = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw badInput(
      `Date must be a calendar date written YYYY-MM-DD in the years ${MIN_YEAR}–${MAX_YEAR}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: `A calendar date, 'YYYY-MM-DD', with no time of day and no time zone, in the years ${MIN_YEAR}–${MAX_YEAR} (anything else is BAD_USER_INPUT).`,
  serialize: (value) => parseDate(value),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

const FIRST_INSTANT = Date.UTC(MIN_YEAR, 0, 1);
const AFTER_LAST_INSTANT = Date.UTC(MAX_YEAR + 1, 0, 1);

function inRange(value: Date): Date {
  const ms = value.getTime();
  if (!(ms >= FIRST_INSTANT && ms < AFTER_LAST_INSTANT)) {
    throw badInput(
      `DateTime must fall in the years ${MIN_YEAR}–${MAX_YEAR} (UTC), got ${JSON.stringify(value.toISOString?.() ?? String(value))}`,
    );
  }
  return value;
}

/** The instants answers can hold: RFC 3339 allows four-digit years only. */
const FIRST_SERIALIZABLE = Date.parse('0000-01-01T00:00:00Z');
const AFTER_LAST_SERIALIZABLE = Date.parse('+010000-01-01T00:00:00Z');

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  specifiedByURL: DateTimeResolver.specifiedByURL,
  description: `An instant, written in RFC 3339 with a UTC offset (e.g. 2021-06-01T14:00:00Z); answers are always UTC with milliseconds. Inputs fall in the years ${MIN_YEAR}–${MAX_YEAR} (anything else is BAD_USER_INPUT).`,
  serialize(value) {
    const instant = value instanceof Date ? value : new Date(value as string);
    const ms = instant.getTime();
    // Out-of-range instants cannot come from inputs; refusing beats writing a non-RFC 3339 year.
    if (!(ms >= FIRST_SERIALIZABLE && ms < AFTER_LAST_SERIALIZABLE)) {
      throw new GraphQLError(`DateTime cannot represent ${String(value)}`);
    }
    return instant.toISOString();
  },
  parseValue: (value) => inRange(DateTimeResolver.parseValue(value) as Date),
  parseLiteral: (ast: ValueNode, variables) =>
    inRange(DateTimeResolver.parseLiteral(ast, variables) as Date),
});
