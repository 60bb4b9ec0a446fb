/**
 * `Date` is a calendar date ('YYYY-MM-DD', no time, no zone), kept a string end to end so no time
 * zone can shift it. `DateTime` is an instant (ISO 8601 with offset), from graphql-scalars.
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    y >= 1800
  );
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw new GraphQLError(
      `Date must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}`,
      {
        extensions: { code: 'BAD_USER_INPUT' },
      },
    );
  }
  return value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: "A calendar date, 'YYYY-MM-DD', with no time of day and no time zone.",
  serialize: (value) => parseDate(value),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

export const DateTimeScalar = DateTimeResolver;
