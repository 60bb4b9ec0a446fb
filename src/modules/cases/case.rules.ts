/**
 * Checks of case facts that need more than one field or the office's calendar (class-validator on
 * the inputs covers each field alone). Pure: "today" is an argument.
 */
import { badInput } from '../../common/errors';
import type { ConvictionInput } from './case.inputs';

export function notInFuture(field: string, date: string | null | undefined, today: string): void {
  if (date && date > today)
    throw badInput(field, `${date} is in the future (today is ${today} in the office's time zone)`);
}

export function notBeforeBirth(
  field: string,
  date: string | null | undefined,
  dateOfBirth: string,
): void {
  if (date && date < dateOfBirth) throw badInput(field, `${date} is before the date of birth`);
}

export function checkConviction(
  field: string,
  c: ConvictionInput,
  today: string,
  dateOfBirth: string,
): void {
  notInFuture(`${field}.convictedOn`, c.convictedOn, today);
  notBeforeBirth(`${field}.convictedOn`, c.convictedOn, dateOfBirth);
  if (c.aggravatedFelony && !c.aggravatedFelonySubparagraph) {
    throw badInput(`${field}.aggravatedFelonySubparagraph`, 'is required for an aggravated felony');
  }
  if (!c.aggravatedFelony && c.aggravatedFelonySubparagraph) {
    throw badInput(`${field}.aggravatedFelonySubparagraph`, 'applies only to an aggravated felony');
  }
}

/** Nine digits from any accepted spelling. */
export function normalizeANumber(value: string): string {
  return value.replace(/[^0-9]/g, '');
}

/** 'A123-456-789'. */
export function formatANumber(digits: string): string {
  return `A${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)}`;
}
