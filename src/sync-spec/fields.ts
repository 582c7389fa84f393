// Field rules: how a source value becomes a ChartMogul value, by the field's kind (src/objects/).
// Pure, so workflows may import it. Every rejection says the field, the value and what was expected.

import { COUNTRY_CODES, SUBDIVISION_PATTERN, US_STATES } from './iso3166';

/** A source value: what CSV, JSON, DuckDB or Postgres hand over. */
export type SourceValue = string | number | bigint | boolean | Date | null | undefined;

export type Converted<T> = { ok: true; value: T } | { ok: false; expected: string };

/** ChartMogul documents 255 characters for a String attribute; single-line standard fields and keys get the
 * same bound (our choice where ChartMogul is silent), and free-text notes more. Bounded text also keeps every
 * workflow payload small. */
export const MAX_TEXT_LENGTH = 255;
export const MAX_NOTES_LENGTH = 4000;

/** C0 control characters and DEL, but for tab, newline and carriage return, which are text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Text for messages: control characters written as `\u0007`, so a bad value still reads. */
export function escapeControlCharacters(text: string): string {
  return text.replace(
    new RegExp(CONTROL_CHARACTER.source, 'g'),
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Dates before this are typos or placeholders (0000-01-01), not events. */
const EARLIEST_DATE = Date.UTC(1900, 0, 1);
const LATEST_DATE = Date.UTC(2200, 11, 31, 23, 59, 59);

/** A double holds any decimal of this many significant digits exactly. */
const EXACT_DECIMAL_DIGITS = 15;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:\s*(?:Z|UTC|[+-]\d{2}:?\d{2}))?$/i;

export function fail<T>(expected: string): Converted<T> {
  return { ok: false, expected };
}

/** Text and keys arrive exactly as written: leading zeros, unicode and inner spaces are kept. Objects and
 * lists (from JSON sources) are not text; control characters and over-long values are refused. */
export function toText(value: SourceValue, maxLength = MAX_TEXT_LENGTH): Converted<string> {
  if (value instanceof Date) return toTimestamp(value);
  if (value !== null && typeof value === 'object') return fail('text, not an object or a list');
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'boolean')
    return fail('text');
  const text = String(value);
  const control = CONTROL_CHARACTER.exec(text);
  if (control)
    return fail(
      `text without control characters (found control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at character ${control.index + 1})`,
    );
  if (text.length > maxLength) return fail(`text of at most ${maxLength} characters (it has ${text.length})`);
  return { ok: true, value: text };
}

export function toEmail(value: SourceValue): Converted<string> {
  const text = toText(value);
  return text.ok && EMAIL.test(text.value.trim())
    ? { ok: true, value: text.value.trim() }
    : fail('an email address such as ada@example.com');
}

export function toCountry(value: SourceValue): Converted<string> {
  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return COUNTRY_CODES.has(code)
    ? { ok: true, value: code }
    : fail('an ISO 3166-1 alpha-2 country code such as US or DE');
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
  const checked = toText(value);
  if (!checked.ok) return checked;
  const text = checked.value.trim();
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return { ok: true, value: text };
  } catch {
    // fall through
  }
  return fail('a URL such as https://example.com');
}

/** ISO 8601 in UTC (`2024-01-31T00:00:00.000Z`), from a date or timestamp value or an ISO string, between
 * 1900 and 2200, or with `pastOnly` between 1900 and now (ChartMogul wants lead and trial dates in the past). */
export function toTimestamp(value: SourceValue, pastOnly = false): Converted<string> {
  const parsed = parseTimestamp(value);
  if (!parsed.ok) return parsed;
  const time = Date.parse(parsed.value);
  const latest = pastOnly ? Date.now() : LATEST_DATE;
  if (time < EARLIEST_DATE || time > latest)
    return fail(`a date between 1900-01-01 and ${pastOnly ? 'now' : '2200-12-31'}`);
  return parsed;
}

function parseTimestamp(value: SourceValue): Converted<string> {
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? fail('a valid date') : { ok: true, value: value.toISOString() };
  if (typeof value !== 'string' || !ISO_DATE.test(value.trim()))
    return fail('an ISO 8601 date or timestamp such as 2024-01-31 or 2024-01-31T12:00:00Z');
  const [year, month, day] = value.trim().slice(0, 10).split('-').map(Number) as [number, number, number];
  // JavaScript rolls 2024-02-30 over to March 1st; a real calendar date is wanted.
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
    return fail('a real calendar date');
  const text = value
    .trim()
    .replace(/\s*UTC$/i, 'Z')
    .replace(' ', 'T');
  const date = new Date(
    /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`,
  );
  return Number.isNaN(date.getTime()) ? fail('a real calendar date') : { ok: true, value: date.toISOString() };
}

export function toInteger(value: SourceValue): Converted<number> {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? { ok: true, value: Number(value) }
      : fail('an Integer within ±9007199254740991');
  }
  const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? { ok: true, value: number } : fail('an Integer');
}

/** A whole number of at least 1: "12" and 12 are, "1.5", "0" and "twelve" are not. */
export function toCount(value: SourceValue): Converted<number> {
  const integer = toInteger(value);
  return integer.ok && integer.value >= 1 ? integer : fail('a whole number of at least 1');
}

/** A whole number other than 0: "-2" and 3 are, "0" and "1.5" are not. */
export function toNonZeroInteger(value: SourceValue): Converted<number> {
  const integer = toInteger(value);
  return integer.ok && integer.value !== 0 ? integer : fail('a whole number other than 0');
}

/** One of `choices`, as ChartMogul spells it (matched without regard to case or surrounding spaces). */
export function toChoice(value: SourceValue, choices: readonly string[]): Converted<string> {
  const word = typeof value === 'string' ? value.trim().toLowerCase() : '';
  const choice = choices.find((candidate) => candidate.toLowerCase() === word);
  return choice === undefined ? fail(`one of ${choices.join(', ')}`) : { ok: true, value: choice };
}

export function toDecimal(value: SourceValue): Converted<number> {
  if (typeof value === 'bigint') return toDecimal(value.toString());
  if (typeof value === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value)) {
    // Rounding in silence would send another number than the source holds.
    if (significantDigits(value) > EXACT_DECIMAL_DIGITS)
      return fail(
        `a Decimal of at most ${EXACT_DECIMAL_DIGITS} significant digits (a double cannot hold this one exactly)`,
      );
    return toDecimal(Number(value));
  }
  return typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : fail('a Decimal number');
}

function significantDigits(text: string): number {
  const mantissa = text.trim().replace(/^-/, '').replace(/e.*$/i, '');
  const digits = mantissa.replace('.', '').replace(/^0+/, '');
  return (mantissa.includes('.') ? digits.replace(/0+$/, '') : digits).length;
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

/** A set of labels: a list (from a JSON, DuckDB or Postgres source), a JSON array of text, or text separated
 * by commas (`vip, beta`). Each label is trimmed text; repeats and empty labels are dropped; sorted, so the
 * same set always hashes alike. */
export function toTags(value: SourceValue | readonly unknown[]): Converted<readonly string[]> {
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      items = JSON.parse(value) as unknown[];
    } catch {
      return fail('a JSON array of tags, or tags separated by commas (not valid JSON)');
    }
    if (!Array.isArray(items)) return fail('a JSON array of tags, or tags separated by commas');
  } else if (typeof value === 'string') items = value.split(',');
  else return fail('a JSON array of tags, or tags separated by commas');
  const tags = new Set<string>();
  for (const [index, item] of items.entries()) {
    if (typeof item !== 'string') return fail(`tags as text (tag ${index + 1} is ${JSON.stringify(item)})`);
    const text = toText(item.trim());
    if (!text.ok) return fail(`tags as ${text.expected} (tag ${index + 1})`);
    if (text.value !== '') tags.add(text.value);
  }
  return { ok: true, value: [...tags].sort() };
}

export function toAttributeString(value: SourceValue): Converted<string> {
  const text = toText(value);
  return text.ok ? text : fail(`a String: ${text.expected}`);
}
