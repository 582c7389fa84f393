// A list nested in a row (an invoice's line items, its transactions): a JSON array of objects, each element's
// keys checked and converted as fields of their kinds, as the field's definition says (NestedList). Pure, so
// workflows may import it. Every problem names the element's index and the key, with a hint where a mistake
// is common: `line item 2: "amont_in_cents" is not a line item key; did you mean "amount_in_cents"?`.

import type { FieldDefinition, FieldValue, JsonObject, NestedList } from '../objects';
import { fail, type Converted, type SourceValue } from './fields';
import { closestName } from './suggest';

/** Converts one key's value as a field of its kind (the mapping's converter). */
export type ConvertKey = (rule: FieldDefinition, value: SourceValue) => Converted<FieldValue>;

/** A JSON array of objects (JSON text, or a list from a JSON, DuckDB or Postgres source). Every problem is
 * listed, not only the first. */
export function toNestedList(list: NestedList, value: unknown, convert: ConvertKey): Converted<JsonObject[]> {
  const { noun, keys } = list;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      return fail(`expected a JSON array of ${noun} objects (not valid JSON: ${(error as Error).message})`);
    }
  }
  if (!Array.isArray(parsed)) return fail(`expected a JSON array of ${noun} objects`);
  if (list.atLeastOne && parsed.length === 0) return fail(`expected a JSON array with at least one ${noun}`);
  const problems: string[] = [];
  const elements: JsonObject[] = [];
  parsed.forEach((element: unknown, index) => {
    const where = `${noun} ${index + 1}`;
    if (!element || typeof element !== 'object' || Array.isArray(element)) {
      problems.push(`${where} is not an object`);
      return;
    }
    const raw = element as Record<string, unknown>;
    const given = (key: string) => raw[key] !== undefined && raw[key] !== null && raw[key] !== '';
    for (const key of Object.keys(raw)) {
      if (key in keys) continue;
      const suggestion = closestName(key, Object.keys(keys));
      problems.push(
        `${where}: "${key}" is not a ${noun} key${suggestion ? `; did you mean "${suggestion}"?` : ` (keys: ${Object.keys(keys).join(', ')})`}`,
      );
    }
    const converted: Record<string, string | number | boolean | null> = {};
    for (const [key, rule] of Object.entries(keys)) {
      if (!given(key)) continue;
      const result = convert(rule, raw[key] as SourceValue);
      if (!result.ok)
        problems.push(`${where}: "${key}" value ${JSON.stringify(raw[key])}: expected ${result.expected}`);
      else if (typeof result.value === 'object') problems.push(`${where}: "${key}" cannot hold a list`);
      else converted[key] = result.value;
    }
    problems.push(...list.problems(converted, given).map((problem) => `${where}: ${problem}`));
    elements.push(converted);
  });
  return problems.length > 0 ? fail(problems.join('; ')) : { ok: true, value: elements };
}
