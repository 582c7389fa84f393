// An invoice's import body and the reading of ChartMogul's answer for it. An invoice is the one object whose
// body is not the generic one (src/chartmogul/payloads.ts): its line items name plans by UUID, resolved by
// its activities (./activities.ts), a replace carries back the transactions another spec imported, and an
// edit in place is planned as one change per line item or transaction. Pure.

import type { InvoiceEdit } from '../../src/contracts/activities';
import type { FieldDifference } from '../../src/contracts/sync-types';
import { type JsonObject, sameValue } from '../../src/objects';
import type { MappedRow } from '../../src/sync-spec/mapping';
import { elementsWithoutExternalId } from './definition';

type Json = Record<string, unknown>;

function lineItemsOf(row: MappedRow, field: 'line_items' | 'transactions'): readonly JsonObject[] {
  const value = row.fields[field];
  return Array.isArray(value) ? (value as readonly JsonObject[]) : [];
}

/** Plan external ids the row's line items name. */
export function planKeysOf(row: MappedRow): string[] {
  const keys = lineItemsOf(row, 'line_items')
    .map((item) => item.plan_external_id)
    .filter((key): key is string => typeof key === 'string');
  return [...new Set(keys)];
}

/** The invoice as an import sends it: plans by UUID, only the values the row has; `others`: transactions
 * to import with the row's (a replace keeps another spec's). */
export function importBody(row: MappedRow, planUuids: ReadonlyMap<string, string>, others: readonly Json[] = []): Json {
  const scalar = (field: string) => (row.fields[field] === undefined ? {} : { [field]: row.fields[field] });
  const lineItems = lineItemsOf(row, 'line_items').map(({ plan_external_id, ...item }) =>
    typeof plan_external_id === 'string' ? { ...item, plan_uuid: planUuids.get(plan_external_id) } : item,
  );
  const transactions = [...lineItemsOf(row, 'transactions'), ...others];
  return {
    external_id: row.key,
    ...scalar('date'),
    ...scalar('due_date'),
    ...scalar('currency'),
    ...scalar('collection_method'),
    line_items: lineItems,
    ...(transactions.length > 0 ? { transactions } : {}),
  };
}

/** Transactions are matched by external id; those without one, in order among themselves. */
function transactionKey(transaction: Json, index: number): string {
  return typeof transaction.external_id === 'string' && transaction.external_id !== ''
    ? `id:${transaction.external_id}`
    : `at:${index}`;
}

function keyedTransactions(transactions: readonly Json[]): Map<string, Json> {
  let unnamed = 0;
  return new Map(
    transactions.map((transaction) => {
      const key = transactionKey(transaction, unnamed);
      if (key.startsWith('at:')) unnamed += 1;
      return [key, transaction];
    }),
  );
}

/** The held invoice's transactions that the row does not carry: another spec's, kept through a replace. */
export function otherTransactions(body: Json, held: Json): Json[] {
  const own = keyedTransactions((body.transactions as Json[] | undefined) ?? []);
  return [...keyedTransactions((held.transactions as Json[] | undefined) ?? []).entries()]
    .filter(([key]) => !own.has(key))
    .map(([, { uuid: _uuid, ...transaction }]) => transaction);
}

/** Where ChartMogul's invoice differs from what the row would send: each sent value that ChartMogul answers
 * and holds otherwise; line items by position (and lists of another length); the row's own transactions by
 * external id. Transactions the row does not carry (another spec's) are no difference. */
export function invoiceDifferences(body: Json, held: Json, status?: string): FieldDifference[] {
  const found: FieldDifference[] = [];
  // A status is set by its own endpoint, never sent with an import: compared when the row gives one.
  if (status !== undefined && held.status !== status)
    found.push({ field: 'status', row: status, chartMogul: held.status ?? null });
  const compare = (sent: Json, answer: Json, prefix: string) => {
    for (const [key, value] of Object.entries(sent)) {
      if (key === 'line_items' || key === 'transactions' || !(key in answer)) continue;
      if (!sameValue(value, answer[key])) found.push({ field: `${prefix}${key}`, row: value, chartMogul: answer[key] });
    }
  };
  compare(body, held, '');
  const sentItems = (body.line_items as Json[] | undefined) ?? [];
  const heldItems = (held.line_items as Json[] | undefined) ?? [];
  if (sentItems.length > 0 && sentItems.every(externalIdOf)) {
    // Named line items are matched by external id, whatever order ChartMogul answers them in.
    const heldById = new Map(heldItems.map((item) => [externalIdOf(item), item]));
    sentItems.forEach((item, index) => {
      const match = heldById.get(externalIdOf(item));
      if (match) compare(item, match, `line_items[${index + 1}].`);
      else
        found.push({
          field: `line_items[${index + 1}] (${externalIdOf(item)})`,
          row: 'in the row',
          chartMogul: 'missing',
        });
    });
    const sentIds = new Set(sentItems.map(externalIdOf));
    for (const item of heldItems)
      if (!sentIds.has(externalIdOf(item)))
        found.push({
          field: `line_items (${externalIdOf(item) ?? String(item.uuid)})`,
          row: 'missing',
          chartMogul: 'in ChartMogul',
        });
  } else if (sentItems.length !== heldItems.length)
    found.push({ field: 'line_items (how many)', row: sentItems.length, chartMogul: heldItems.length });
  else sentItems.forEach((item, index) => compare(item, heldItems[index] ?? {}, `line_items[${index + 1}].`));
  const heldTransactions = keyedTransactions((held.transactions as Json[] | undefined) ?? []);
  [...keyedTransactions((body.transactions as Json[] | undefined) ?? []).entries()].forEach(
    ([key, transaction], index) => {
      const match = heldTransactions.get(key);
      const name = `transactions[${index + 1}]${key.startsWith('id:') ? ` (${key.slice(3)})` : ''}`;
      if (match) compare(transaction, match, `${name}.`);
      else found.push({ field: name, row: 'in the row', chartMogul: 'missing' });
    },
  );
  return found;
}

function externalIdOf(entry: Json): string | undefined {
  return typeof entry.external_id === 'string' && entry.external_id !== '' ? entry.external_id : undefined;
}

/** The values of `sent` that `held` holds otherwise (keys it does not answer are not compared). */
function changedValues(sent: Json, held: Json): Json {
  return Object.fromEntries(
    Object.entries(sent).filter(([key, value]) => key !== 'external_id' && key in held && !sameValue(value, held[key])),
  );
}

/** Each sent element matched with the held one of its external id: added when none, updated when it differs. */
function matchedEdits(
  sent: readonly Json[],
  held: ReadonlyMap<string | undefined, Json>,
  add: (externalId: string, element: Json) => InvoiceEdit,
  update: (uuid: string, externalId: string, changes: Json) => InvoiceEdit,
): InvoiceEdit[] {
  return sent.flatMap((element) => {
    const externalId = externalIdOf(element) ?? '';
    const match = held.get(externalId);
    if (!match) return [add(externalId, element)];
    const changes = changedValues(element, match);
    return Object.keys(changes).length > 0 ? [update(String(match.uuid), externalId, changes)] : [];
  });
}

/** The edits that make the held invoice hold the body's line items and transactions, matched by external id:
 * changed ones updated, new ones added, line items the body no longer carries deleted (after the adds, so the
 * invoice never stands empty). A held transaction the body does not carry is kept: it may be another spec's.
 * Undefined when an element of the body has no external id to match it by. */
export function invoiceEdits(body: Json, held: Json): InvoiceEdit[] | undefined {
  const list = (owner: Json, key: string) => (Array.isArray(owner[key]) ? (owner[key] as Json[]) : []);
  if (elementsWithoutExternalId(body).length > 0) return undefined;
  const sentItems = list(body, 'line_items');
  const sentTransactions = list(body, 'transactions');
  const heldItems = new Map(list(held, 'line_items').map((item) => [externalIdOf(item), item]));
  const heldTransactions = new Map(list(held, 'transactions').map((entry) => [externalIdOf(entry), entry]));
  const edits: InvoiceEdit[] = [
    ...matchedEdits(
      sentItems,
      heldItems,
      (externalId, item) => ({ kind: 'addLineItem', externalId, item }),
      (uuid, externalId, changes) => ({ kind: 'updateLineItem', uuid, externalId, changes }),
    ),
    ...matchedEdits(
      sentTransactions,
      heldTransactions,
      (externalId, transaction) => ({ kind: 'addTransaction', externalId, transaction }),
      (uuid, externalId, changes) => ({ kind: 'updateTransaction', uuid, externalId, changes }),
    ),
  ];
  const sentIds = new Set(sentItems.map(externalIdOf));
  for (const item of list(held, 'line_items')) {
    const externalId = externalIdOf(item);
    if (externalId === undefined || !sentIds.has(externalId))
      edits.push({ kind: 'deleteLineItem', uuid: String(item.uuid), externalId: externalId ?? String(item.uuid) });
  }
  return edits;
}
