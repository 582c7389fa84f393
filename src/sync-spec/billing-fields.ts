// Billing values: currencies, amounts in minor units, and the JSON lists an invoice row carries (its line
// items and transactions), each element checked key by key. Pure, so workflows may import it. Every
// problem names the element's index and the key, with a hint where a mistake is common.

import type { JsonObject } from '../objects';
import { fail, toBoolean, toInteger, toText, toTimestamp, type Converted, type SourceValue } from './fields';
import { closestName } from './suggest';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** ISO 4217, any case in, upper case out. */
export function toCurrency(value: SourceValue): Converted<string> {
  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return CURRENCIES.has(code) ? { ok: true, value: code } : fail('an ISO 4217 currency code such as USD or EUR');
}

/** A whole number of minor units (cents): "12.50" is refused with the number it probably meant. */
export function toAmountInCents(value: SourceValue, minimum = Number.MIN_SAFE_INTEGER): Converted<number> {
  const integer = toInteger(value);
  if (integer.ok) {
    return integer.value >= minimum ? integer : fail(`a whole number of cents of at least ${minimum}`);
  }
  const decimal = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  if (Number.isFinite(decimal) && value !== '')
    return fail(
      `a whole number of minor units (cents), not a decimal: ${String(value).trim()} in a currency with cents is ${Math.round(decimal * 100)}`,
    );
  return fail('a whole number of minor units (cents)');
}

type Rule = (value: SourceValue) => Converted<string | number | boolean>;

const choice =
  (...choices: string[]): Rule =>
  (value) => {
    const word = typeof value === 'string' ? value.trim().toLowerCase() : '';
    return choices.includes(word) ? { ok: true, value: word } : fail(`one of ${choices.join(', ')}`);
  };
const text: Rule = (value) => toText(value);
const date: Rule = (value) => toTimestamp(value);
const cents: Rule = (value) => toAmountInCents(value);
const centsNotNegative: Rule = (value) => toAmountInCents(value, 0);
const count: Rule = (value) => {
  const integer = toInteger(value);
  return integer.ok && integer.value >= 1 ? integer : fail('a whole number of at least 1');
};
const integer: Rule = (value) => toInteger(value);
const boolean: Rule = (value) => toBoolean(value);
const currency: Rule = (value) => toCurrency(value);

/** The keys a line item may have, as ChartMogul names them (but `plan_external_id`, which the sync resolves
 * to the plan's `plan_uuid`), in the order they are sent. */
export const LINE_ITEM_RULES: Readonly<Record<string, Rule>> = {
  type: choice('subscription', 'one_time', 'trial'),
  external_id: text,
  subscription_external_id: text,
  subscription_set_external_id: text,
  plan_external_id: text,
  service_period_start: date,
  service_period_end: date,
  amount_in_cents: cents,
  quantity: count,
  prorated: boolean,
  proration_type: choice('full', 'differential', 'differential_mrr'),
  cancelled_at: date,
  discount_amount_in_cents: centsNotNegative,
  discount_code: text,
  discount_description: text,
  tax_amount_in_cents: centsNotNegative,
  transaction_fees_in_cents: centsNotNegative,
  transaction_fees_currency: currency,
  account_code: text,
  description: text,
  event_order: integer,
};

export const TRANSACTION_RULES: Readonly<Record<string, Rule>> = {
  type: choice('payment', 'refund'),
  date,
  result: choice('successful', 'failed'),
  external_id: text,
  amount_in_cents: centsNotNegative,
  transaction_fees_in_cents: centsNotNegative,
  transaction_fees_currency: currency,
};

/** An element's value for a key: absent when it is not there or empty. */
function given(raw: Record<string, unknown>, key: string): boolean {
  return raw[key] !== undefined && raw[key] !== null && raw[key] !== '';
}

/** What a line item of each type must have (subscriptions and trials make a subscription: a plan, its
 * external id and the period it covers). `item` holds the values that converted, `raw` what was given (a
 * value that did not convert has its own problem already). */
function lineItemProblems(item: Record<string, unknown>, raw: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const needs = (key: string, why: string) => {
    if (!given(raw, key)) problems.push(`"${key}" is missing: ${why}`);
  };
  needs('type', 'subscription, one_time or trial');
  needs('amount_in_cents', 'the amount in minor units (cents), after discounts');
  if (item.type === 'subscription' || item.type === 'trial') {
    for (const key of ['plan_external_id', 'subscription_external_id', 'service_period_start', 'service_period_end'])
      needs(key, `a ${String(item.type)} line item needs its plan, subscription and service period`);
  }
  const start = item.service_period_start;
  const end = item.service_period_end;
  if (typeof start === 'string' && typeof end === 'string' && Date.parse(end) <= Date.parse(start))
    problems.push(`the service period ends (${end}) before it starts (${start})`);
  const amount = item.amount_in_cents;
  const tax = item.tax_amount_in_cents;
  if (typeof amount === 'number' && typeof tax === 'number' && tax > amount)
    problems.push(`"tax_amount_in_cents" ${tax} is more than "amount_in_cents" ${amount}`);
  return problems;
}

function transactionProblems(_item: Record<string, unknown>, raw: Record<string, unknown>): string[] {
  return ['type', 'date', 'result'].filter((key) => !given(raw, key)).map((key) => `"${key}" is missing`);
}

const LISTS = {
  line_items: { rules: LINE_ITEM_RULES, problems: lineItemProblems, noun: 'line item', needsOne: true },
  transactions: { rules: TRANSACTION_RULES, problems: transactionProblems, noun: 'transaction', needsOne: false },
} as const;

export type BillingList = keyof typeof LISTS;

/** A JSON array of objects (JSON text, or a list from a JSON, DuckDB or Postgres source), each element's
 * keys checked and converted. Every problem is listed: `line item 2: "amont_in_cents" is not a line item
 * key; did you mean "amount_in_cents"?`. */
export function toBillingList(list: BillingList, value: unknown): Converted<JsonObject[]> {
  const { rules, problems: whole, noun, needsOne } = LISTS[list];
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      return fail(`expected a JSON array of ${noun} objects (not valid JSON: ${(error as Error).message})`);
    }
  }
  if (!Array.isArray(parsed)) return fail(`expected a JSON array of ${noun} objects`);
  if (needsOne && parsed.length === 0) return fail(`expected a JSON array with at least one ${noun}`);
  const problems: string[] = [];
  const items: JsonObject[] = [];
  parsed.forEach((element: unknown, index) => {
    const where = `${noun} ${index + 1}`;
    if (!element || typeof element !== 'object' || Array.isArray(element)) {
      problems.push(`${where} is not an object`);
      return;
    }
    const item: Record<string, string | number | boolean | null> = {};
    const raw = element as Record<string, unknown>;
    for (const key of Object.keys(raw)) {
      if (key in rules) continue;
      const suggestion = closestName(key, Object.keys(rules));
      problems.push(
        `${where}: "${key}" is not a ${noun} key${suggestion ? `; did you mean "${suggestion}"?` : ` (keys: ${Object.keys(rules).join(', ')})`}`,
      );
    }
    for (const [key, rule] of Object.entries(rules)) {
      if (!given(raw, key)) continue;
      const converted = rule(raw[key] as SourceValue);
      if (converted.ok) item[key] = converted.value;
      else problems.push(`${where}: "${key}" value ${JSON.stringify(raw[key])}: expected ${converted.expected}`);
    }
    problems.push(...whole(item, raw).map((problem) => `${where}: ${problem}`));
    items.push(item);
  });
  return problems.length > 0 ? fail(problems.join('; ')) : { ok: true, value: items };
}
