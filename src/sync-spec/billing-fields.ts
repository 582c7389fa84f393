// Billing values: currencies and amounts in minor units. Pure, so workflows may import it.

import { fail, toInteger, type Converted, type SourceValue } from './fields';

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
