/**
 * The query parameters of the exports, checked before anything runs: each at most once, known
 * names only (a misspelt filter must not widen an export silently), lists comma-separated, enum
 * values as the GraphQL schema spells them. A bad one is BAD_USER_INPUT naming the parameter.
 */
import { isCalendarDate } from '../../common/calendar';
import { badInput } from '../../common/errors';
import { PriorityCategory } from '../../modules/assessments/policy/types';
import { ActionType, EnforcementBasis } from '../../modules/enforcement-actions/action-type';
import { StatsDimension, type StatsFilter } from '../../modules/weekly-reports/stats.service';
import type { ExportFormat } from './format';

type Query = Record<string, unknown>;

const FORMATS: readonly ExportFormat[] = ['csv', 'ndjson'];

/** At most this many offices named (as the GraphQL StatsFilter). */
const MAX_OFFICE_CODES = 100;

function checkNames(query: Query, allowed: readonly string[]): void {
  for (const name of Object.keys(query))
    if (!allowed.includes(name))
      throw badInput(
        name.slice(0, 64),
        `is not a parameter of this export (it takes ${allowed.join(', ')})`,
      );
}

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badInput(name, 'is given more than once');
  return value;
}

function required(query: Query, name: string): string {
  const value = single(query, name);
  if (value === undefined || value === '') throw badInput(name, 'is required');
  return value;
}

function date(query: Query, name: string): string {
  const value = required(query, name);
  if (!isCalendarDate(value))
    throw badInput(name, 'is not a date (YYYY-MM-DD) in the years 1900–2199');
  return value;
}

/** A comma-separated list; each item one of `values` when given. Absent or empty: none. */
function list<T extends string>(
  query: Query,
  name: string,
  values?: readonly T[],
  max = 100,
): T[] | undefined {
  const value = single(query, name);
  if (value === undefined || value === '') return undefined;
  const items = value.split(',').map((s) => s.trim());
  if (items.length > max) throw badInput(name, `names more than ${max} values`);
  for (const item of items) {
    if (item === '') throw badInput(name, 'has an empty item (comma-separated, no blanks)');
    if (values && !values.includes(item as T))
      throw badInput(name, `${item.slice(0, 64)} is not one of ${values.join(', ')}`);
  }
  return items as T[];
}

export function formatOf(query: Query): ExportFormat {
  const value = single(query, 'format');
  if (value === undefined) return 'csv';
  if (!FORMATS.includes(value as ExportFormat))
    throw badInput('format', `${value.slice(0, 64)} is not one of ${FORMATS.join(', ')}`);
  return value as ExportFormat;
}

const STATS_PARAMS = [
  'from',
  'to',
  'groupBy',
  'officeCodes',
  'categories',
  'actionTypes',
  'bases',
  'format',
] as const;

/** The figures' parameters: StatsFilter's fields, `groupBy` (default: none, one total row) and `format`. */
export function statsParams(query: Query): {
  filter: StatsFilter;
  groupBy: StatsDimension[];
  format: ExportFormat;
} {
  checkNames(query, STATS_PARAMS);
  const from = date(query, 'from');
  const to = date(query, 'to');
  if (from > to) throw badInput('from', 'is after to');
  const groupBy = list(query, 'groupBy', Object.values(StatsDimension)) ?? [];
  const filter: StatsFilter = {
    from,
    to,
    officeCodes: list(query, 'officeCodes', undefined, MAX_OFFICE_CODES),
    categories: list(query, 'categories', Object.values(PriorityCategory)),
    actionTypes: list(query, 'actionTypes', Object.values(ActionType)),
    bases: list(query, 'bases', Object.values(EnforcementBasis)),
  };
  return { filter, groupBy, format: formatOf(query) };
}

const REPORT_PARAMS = ['officeCode', 'weekStart', 'revision', 'format'] as const;

/** The weekly report's parameters: `officeCode`, `weekStart` (a Monday), `revision` (optional). */
export function reportParams(query: Query): {
  officeCode: string;
  weekStart: string;
  revision: number | null;
  format: ExportFormat;
} {
  checkNames(query, REPORT_PARAMS);
  const officeCode = required(query, 'officeCode');
  const weekStart = date(query, 'weekStart');
  const rev = single(query, 'revision');
  let revision: number | null = null;
  if (rev !== undefined) {
    if (!/^[1-9][0-9]{0,8}$/.test(rev))
      throw badInput('revision', 'is not a positive whole number');
    revision = Number(rev);
  }
  return { officeCode, weekStart, revision, format: formatOf(query) };
}
