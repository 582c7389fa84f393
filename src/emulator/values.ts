// Value checks the emulator applies the way ChartMogul does: emails, countries, timestamps, typed attributes.

import { COUNTRY_CODES, SUBDIVISION_PATTERN, US_STATES } from '../sync-spec/iso3166';
import type { AttributeType } from './store';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return EMAIL.test(value);
}

export function isCountry(value: string): boolean {
  return COUNTRY_CODES.has(value.toUpperCase());
}

/** ChartMogul keeps `state` only for US customers and answers with the bare code (`CA`). */
/** The stored code, `null` outside the US, or `undefined` when the code is not a US state. */
export function normaliseState(state: string, country: string | null): string | null | undefined {
  if (country?.toUpperCase() !== 'US') return null;
  const upper = state.toUpperCase();
  const match = SUBDIVISION_PATTERN.exec(upper);
  const code = match ? (match[1] === 'US' ? match[2] : undefined) : upper;
  return code !== undefined && code in US_STATES ? code : undefined;
}

/** ISO 8601 in, ChartMogul's response form (`2016-01-01T14:30:00.000Z`) out; undefined if unparseable. */
export function toTimestamp(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const parsed = new Date(value.replace(/ UTC$/, 'Z').replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T'));
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

const TRUE_WORDS = new Set(['true', 't', '1']);
const FALSE_WORDS = new Set(['false', 'f', '0']);

/** Converts a custom attribute value to its stored form, or says why it does not fit the type. */
export function coerceAttribute(type: AttributeType, value: unknown): { value: unknown } | { error: string } {
  if (value === null) return { value: null };
  switch (type) {
    case 'String': {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        return { error: 'is not a String' };
      const text = String(value);
      return text.length > 255 ? { error: 'is longer than 255 characters' } : { value: text };
    }
    case 'Integer': {
      const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      return typeof number === 'number' && Number.isInteger(number)
        ? { value: number }
        : { error: 'is not an Integer' };
    }
    case 'Decimal': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof number === 'number' && Number.isFinite(number) ? { value: number } : { error: 'is not a Decimal' };
    }
    case 'Timestamp': {
      const timestamp = toTimestamp(value);
      return timestamp ? { value: timestamp } : { error: 'is not an ISO 8601 Timestamp' };
    }
    case 'Boolean': {
      if (typeof value === 'boolean') return { value };
      if (typeof value !== 'string' && typeof value !== 'number') return { error: 'is not a Boolean' };
      const word = String(value).toLowerCase();
      if (TRUE_WORDS.has(word)) return { value: true };
      if (FALSE_WORDS.has(word)) return { value: false };
      return { error: 'is not a Boolean' };
    }
  }
}

/** A date ChartMogul requires or allows: its stored form, or its refusal in ChartMogul's words. */
export function checkedDate(value: unknown, required: boolean): { value: string | null } | { error: string } {
  if (value === undefined || value === null || value === '')
    return required ? { error: "can't be blank" } : { value: null };
  const time = toTimestamp(value);
  return time ? { value: time } : { error: 'is not a valid date' };
}

/** An amount in cents, when given, is an integer. */
export function isCentsOrAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'number' && Number.isInteger(value));
}

/** An answer's keys, in the recorded order, each null when the record has no value. */
export function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, source[key] ?? null]));
}

/** Which records a read shows by `validation_type` (invoices, transactions): ChartMogul keeps a record it
 * judged invalid, with its `errors`, and shows it only when asked (`invalid` or `all`; `valid` by default). */
export function shownByValidation(validationType: string | null): (record: { errors?: object }) => boolean {
  const invalid = (record: { errors?: object }) => Object.keys(record.errors ?? {}).length > 0;
  if (validationType === 'all') return () => true;
  if (validationType === 'invalid') return invalid;
  return (record) => !invalid(record);
}
