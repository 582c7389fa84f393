// Field rules: which destination fields are standard, and how a source value becomes a ChartMogul value.
// Pure, so workflows may import it. Every rejection says the field, the value and what was expected.

import { COUNTRY_CODES, SUBDIVISION_PATTERN, US_STATES } from './iso3166';

export const CUSTOMER_FIELDS: ReadonlySet<string> = new Set([
  'external_id', 'name', 'email', 'company', 'country', 'state', 'city', 'zip', 'lead_created_at',
  'free_trial_started_at', 'owner', 'website_url',
]);

export const CONTACT_FIELDS: ReadonlySet<string> = new Set([
  'customer_external_id', 'first_name', 'last_name', 'email', 'title', 'phone', 'linked_in', 'twitter', 'notes', 'uuid',
]);

export function isCustomAttributeTarget(object: 'customers' | 'contacts', field: string): boolean {
  return !(object === 'customers' ? CUSTOMER_FIELDS : CONTACT_FIELDS).has(field);
}

/** A source value: what CSV, JSON, DuckDB or Postgres hand over. */
export type SourceValue = string | number | bigint | boolean | Date | null | undefined;

export type Converted<T> = { ok: true; value: T } | { ok: false; expected: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:\s*(?:Z|UTC|[+-]\d{2}:?\d{2}))?$/i;

export function fail<T>(expected: string): Converted<T> {
  return { ok: false, expected };
}

/** Text and keys arrive exactly as written: leading zeros, unicode and inner spaces are kept. */
export function toText(value: SourceValue): Converted<string> {
  if (value instanceof Date) return toTimestamp(value);
  if (typeof value === 'string') return { ok: true, value };
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return { ok: true, value: String(value) };
  return fail('text');
}

export function toEmail(value: SourceValue): Converted<string> {
  const text = toText(value);
  return text.ok && EMAIL.test(text.value.trim()) ? { ok: true, value: text.value.trim() } : fail('an email address such as ada@example.com');
}

export function toCountry(value: SourceValue): Converted<string> {
  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return COUNTRY_CODES.has(code) ? { ok: true, value: code } : fail('an ISO 3166-1 alpha-2 country code such as US or DE');
}

/** ISO 3166-2 (`US-CA`); a bare US state code becomes `US-XX` when the country is US. */
export function toState(value: SourceValue, country: string | undefined): Converted<string> {
  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (SUBDIVISION_PATTERN.test(code)) {
    if (code.startsWith('US-') && !(code.slice(3) in US_STATES)) return fail('a US state code such as US-CA');
    return { ok: true, value: code };
  }
  if (country === 'US' && code in US_STATES) return { ok: true, value: `US-${code}` };
  return fail('an ISO 3166-2 subdivision code such as US-CA (a bare state code is accepted when country is US)');
}

export function toUrl(value: SourceValue): Converted<string> {
  const text = typeof value === 'string' ? value.trim() : '';
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return { ok: true, value: text };
  } catch {
    // fall through
  }
  return fail('a URL such as https://example.com');
}

/** ISO 8601 in UTC (`2024-01-31T00:00:00.000Z`), from a date or timestamp value or an ISO string. */
export function toTimestamp(value: SourceValue): Converted<string> {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? fail('a valid date') : { ok: true, value: value.toISOString() };
  if (typeof value !== 'string' || !ISO_DATE.test(value.trim())) return fail('an ISO 8601 date or timestamp such as 2024-01-31 or 2024-01-31T12:00:00Z');
  const [year, month, day] = value.trim().slice(0, 10).split('-').map(Number) as [number, number, number];
  // JavaScript rolls 2024-02-30 over to March 1st; a real calendar date is wanted.
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return fail('a real calendar date');
  const text = value.trim().replace(/\s*UTC$/i, 'Z').replace(' ', 'T');
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? fail('a real calendar date') : { ok: true, value: date.toISOString() };
}

export function toInteger(value: SourceValue): Converted<number> {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? { ok: true, value: Number(value) } : fail('an Integer within ±9007199254740991');
  }
  const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? { ok: true, value: number } : fail('an Integer');
}

export function toDecimal(value: SourceValue): Converted<number> {
  if (typeof value === 'bigint') return { ok: true, value: Number(value) };
  const number = typeof value === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? { ok: true, value: number } : fail('a Decimal number');
}

const TRUE_WORDS = new Set(['true', 't', '1', 'yes', 'y']);
const FALSE_WORDS = new Set(['false', 'f', '0', 'no', 'n']);

export function toBoolean(value: SourceValue): Converted<boolean> {
  if (typeof value === 'boolean') return { ok: true, value };
  const word = typeof value === 'string' || typeof value === 'number' ? String(value).trim().toLowerCase() : '';
  if (TRUE_WORDS.has(word)) return { ok: true, value: true };
  if (FALSE_WORDS.has(word)) return { ok: true, value: false };
  return fail('a Boolean (true/false, t/f, 1/0, yes/no)');
}

export function toAttributeString(value: SourceValue): Converted<string> {
  const text = toText(value);
  if (!text.ok) return text;
  return text.value.length <= 255 ? text : fail(`a String of at most 255 characters (it has ${text.value.length})`);
}
