// A JSON column's value as the spec reads it, whichever source's driver hands it over as JSON text.

import type { SourceValue } from '../sync-spec/fields';

/** The value JSON text holds. Numbers stay as written (JSON.parse would round those past 2^53), JSON's null
 * is no value, and objects and lists stay what they are, so the field rules refuse them as text. */
export function fromJsonText(value: SourceValue): SourceValue {
  if (typeof value !== 'string') return value;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (typeof parsed === 'number') return value.trim();
    return parsed as SourceValue;
  } catch {
    return value;
  }
}
