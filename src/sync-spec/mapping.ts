// Applies a spec's mapping to one source row: converts every field by its rules and either yields the
// ChartMogul payload or rejects the row with every reason. Pure, so workflows may import it.

import {
  toAttributeString,
  toBoolean,
  toChoice,
  toCount,
  toCountry,
  toDecimal,
  toEmail,
  toInteger,
  toNonZeroInteger,
  toTags,
  toState,
  toText,
  toTimestamp,
  toUrl,
  escapeControlCharacters,
  fail,
  MAX_NOTES_LENGTH,
  type Converted,
  type SourceValue,
} from './fields';
import { toAmountInCents, toCurrency } from './billing-fields';
import { toNestedList } from './nested-list';
import { isCustomAttribute, OBJECTS, recordKeyFields, type FieldDefinition, type FieldValue } from '../objects';
import type { AttributeType, SyncSpec } from './schema';

/** A source column's type, as the source reports it (or, for CSV, as inferred from all its values). */
export type ColumnType = 'integer' | 'decimal' | 'boolean' | 'timestamp' | 'string';

export interface CustomValue {
  key: string;
  type: AttributeType;
  value: string | number | boolean | null;
}

export interface MappedRow {
  /** The record key, e.g. `C-0012`, or `C-0012/ada@example.com` for contacts. */
  key: string;
  /** 1-based position in the source's key order. */
  rowNumber: number;
  /** Standard fields; `null` clears a field (only with `nulls: "clear"`). */
  fields: Record<string, FieldValue | null>;
  custom: CustomValue[];
}

/** A text field of a row (a reference, a UUID, an email): '' when it is unset. */
export function textField(row: Pick<MappedRow, 'fields'>, field: string): string {
  const value = row.fields[field];
  return typeof value === 'string' ? value : '';
}

export interface RejectedRow {
  key: string;
  rowNumber: number;
  reasons: string[];
}

export type MapResult = { ok: true; row: MappedRow } | { ok: false; rejected: RejectedRow };

const TYPE_OF_COLUMN: Record<ColumnType, AttributeType> = {
  integer: 'Integer',
  decimal: 'Decimal',
  boolean: 'Boolean',
  timestamp: 'Timestamp',
  string: 'String',
};

/** A custom attribute's type: the mapping's `type`, else the column's type, never a single value's. */
export function attributeType(declared: AttributeType | undefined, column: ColumnType | undefined): AttributeType {
  return declared ?? TYPE_OF_COLUMN[column ?? 'string'];
}

const CONVERT_ATTRIBUTE: Record<AttributeType, (value: SourceValue) => Converted<string | number | boolean>> = {
  String: toAttributeString,
  Integer: toInteger,
  Decimal: toDecimal,
  Timestamp: toTimestamp,
  Boolean: toBoolean,
};

function convertStandard(
  rule: FieldDefinition,
  value: SourceValue,
  country: string | undefined,
): Converted<FieldValue> {
  switch (rule.kind) {
    case 'email':
      return toEmail(value);
    case 'country':
      return toCountry(value);
    case 'state':
      return toState(value, country);
    case 'past-timestamp':
      return toTimestamp(value, true);
    case 'url':
      return toUrl(value);
    case 'notes':
      return toText(value, MAX_NOTES_LENGTH);
    case 'text':
    case 'external-id':
    case 'reference':
    case 'uuid':
      return toText(value);
    case 'count':
      return toCount(value);
    case 'choice':
      return toChoice(value, rule.choices ?? []);
    case 'timestamp':
      return toTimestamp(value);
    case 'currency':
      return toCurrency(value);
    case 'amount':
      return toAmountInCents(value, 0);
    case 'signed-amount':
      return toAmountInCents(value);
    case 'integer':
      return toInteger(value);
    case 'non-zero-integer':
      return toNonZeroInteger(value);
    case 'boolean':
      return toBoolean(value);
    case 'tags':
      return toTags(value);
    case 'list':
      return rule.list
        ? toNestedList(rule.list, value, (key, element) => convertStandard(key, element, undefined))
        : fail('a list field with no definition of its elements');
  }
}

function isEmpty(value: SourceValue): boolean {
  return value === null || value === undefined || value === '';
}

function show(value: SourceValue): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : value.toISOString();
  const text = typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
}

/** The record key of a raw row, before any other field is checked. */
export function recordKeyOf(spec: SyncSpec, row: Record<string, SourceValue>): string {
  return recordKeyFields(spec.object, spec.mode, spec.options)
    .map((field) => {
      const column = spec.mapping.find((entry) => entry.to === field)?.from;
      const value = column === undefined ? undefined : row[column];
      if (isEmpty(value)) return '';
      const text = toText(value);
      if (text.ok) return text.value;
      // A key that is no valid text still names its row in messages.
      return typeof value === 'string' ? escapeControlCharacters(value) : '';
    })
    .join('/');
}

/** Keys in messages and reports are cut to this length: a row with a huge key must not carry it along. */
const SHOWN_KEY_LENGTH = 100;

export function mapRow(
  spec: SyncSpec,
  row: Record<string, SourceValue>,
  columnTypes: Record<string, ColumnType>,
  rowNumber: number,
): MapResult {
  const fullKey = recordKeyOf(spec, row);
  const key = fullKey.length > SHOWN_KEY_LENGTH ? `${fullKey.slice(0, SHOWN_KEY_LENGTH - 3)}...` : fullKey;
  const label = `row ${rowNumber}${key.replace(/\//g, '') ? ` (key "${key}")` : ''}`;
  const reasons: string[] = [];
  const fields: MappedRow['fields'] = {};
  const custom: CustomValue[] = [];
  const definition = OBJECTS[spec.object];
  const keyFields = recordKeyFields(spec.object, spec.mode, spec.options);
  const optionalKeyFields = definition.optionalKeyFields?.(spec.mode, spec.options) ?? [];
  const countryEntry = spec.mapping.find((entry) => entry.to === 'country');
  const country = countryEntry ? toCountry(row[countryEntry.from] ?? null) : undefined;

  for (const entry of spec.mapping) {
    if (!(entry.from in row)) {
      reasons.push(`${label}: column "${entry.from}" (mapped to "${entry.to}") is not in the source`);
      continue;
    }
    const value = row[entry.from];
    const custom_ = isCustomAttribute(spec.object, entry.to);
    if (isEmpty(value)) {
      if (keyFields.includes(entry.to) && !optionalKeyFields.includes(entry.to))
        reasons.push(`${label}: field "${entry.to}" is empty; it is part of the record key, so every row needs it`);
      else if (spec.options.nulls === 'clear') {
        if (custom_)
          custom.push({ key: entry.to, type: attributeType(entry.type, columnTypes[entry.from]), value: null });
        else fields[entry.to] = null;
      }
      continue;
    }
    if (keyFields.includes(entry.to) && typeof value === 'string' && value.trim() === '') {
      reasons.push(
        `${label}: field "${entry.to}" is blank; it is part of the record key, so it needs a character other than a space`,
      );
      continue;
    }
    if (keyFields.includes(entry.to) && typeof value === 'string' && value !== value.trim()) {
      // Rejected, not trimmed: ChartMogul would keep " G-1 " as a record apart from "G-1", and a silent trim
      // would hide that the source has two spellings of one key.
      reasons.push(
        `${label}: field "${entry.to}" value ${show(value)} starts or ends with a space; it is part of the record key, where "${value.trim()}" and ${show(value)} would be two records: trim it in the source (TRIM() in SQL)`,
      );
      continue;
    }
    if (custom_) {
      const type = attributeType(entry.type, columnTypes[entry.from]);
      const converted = CONVERT_ATTRIBUTE[type](value);
      if (converted.ok) custom.push({ key: entry.to, type, value: converted.value });
      else reasons.push(`${label}: field "${entry.to}" value ${show(value)}: expected ${converted.expected}`);
      continue;
    }
    const rule = definition.fields[entry.to] ?? { kind: 'text' };
    const converted = convertStandard(rule, value, country?.ok ? country.value : undefined);
    if (converted.ok) fields[entry.to] = converted.value;
    else if (rule.kind === 'list') reasons.push(`${label}: field "${entry.to}": ${converted.expected}`);
    else reasons.push(`${label}: field "${entry.to}" value ${show(value)}: expected ${converted.expected}`);
  }
  if (reasons.length === 0)
    reasons.push(...(definition.rowProblems?.(fields, spec.options) ?? []).map((problem) => `${label}: ${problem}`));
  if (reasons.length > 0) return { ok: false, rejected: { key, rowNumber, reasons } };
  return { ok: true, row: { key: fullKey, rowNumber, fields, custom } };
}
