// Emulated invoice endpoints: import onto a customer, list (per customer, and by data source and
// external_id), retrieve, update in place (date, due date, currency), delete (transactions added afterwards:
// ../transactions/emulator.ts). Answers as recorded (ruby ChartMogul_CustomerInvoices and ChartMogul_Invoice,
// go create_invoice, invoices, retrieve_invoice, delete_invoice). A refused invoice carries its own `errors`,
// in words that no recording confirms (see the README's emulator choices); as ChartMogul does since 2026, one
// whose external id is given and free is kept as invalid, hidden from reads but `validation_type=invalid|all`.

import { randomUUID } from 'node:crypto';

import {
  asString,
  codeError,
  isReply,
  notFound,
  ok,
  Reply,
  type RouteRequest,
  type Router,
} from '../../src/emulator/http';
import { entriesBy, entriesOf, outcomeOf, type BulkSection } from '../../src/emulator/bulk-import';
import { paginate, withLegacyKeys } from '../../src/emulator/paging';
import type { EmulatorStore } from '../../src/emulator/store';
import { checkedDate, isCentsOrAbsent, pick, shownByValidation } from '../../src/emulator/values';
import { customersIn } from '../customers/emulator-table';
import { plansIn } from '../plans/emulator';
import { checkTransaction, transactionIds } from '../transactions/emulator-record';
import { invoicesIn, subscriptionOf, type Invoice } from './emulator-table';

/** The Go client's constants for repeated external ids; no recording has them. */
export const DUPLICATE_INVOICE = 'The external ID for this invoice already exists in our system.';
export const DUPLICATE_LINE_ITEM = 'The external ID for this line item already exists in our system.';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** The keys a line item answer carries, in the recorded order (ruby creates_the_customer_invoice_correctly). */
const SUBSCRIPTION_ITEM_KEYS = [
  'uuid',
  'external_id',
  'type',
  'subscription_uuid',
  'subscription_external_id',
  'prorated',
  'proration_type',
  'service_period_start',
  'service_period_end',
  'plan_uuid',
  'plan_external_id',
  'amount_in_cents',
  'quantity',
  'discount_code',
  'discount_amount_in_cents',
  'tax_amount_in_cents',
  'transaction_fees_in_cents',
  'account_code',
  'transaction_fees_currency',
  'discount_description',
  'event_order',
];
const ONE_TIME_ITEM_KEYS = [
  'uuid',
  'external_id',
  'type',
  'description',
  'amount_in_cents',
  'quantity',
  'discount_code',
  'discount_amount_in_cents',
  'tax_amount_in_cents',
  'transaction_fees_in_cents',
  'account_code',
  'transaction_fees_currency',
  'discount_description',
  'event_order',
];
/** Keys an answer carries only when the import sent them (recorded: go create_invoice). */
const SENT_ONLY_ITEM_KEYS = ['subscription_set_external_id', 'description'];
const ITEM_DEFAULTS: Record<string, unknown> = {
  external_id: null,
  prorated: false,
  proration_type: null,
  quantity: 1,
  discount_code: '',
  discount_amount_in_cents: 0,
  tax_amount_in_cents: 0,
  transaction_fees_in_cents: 0,
  account_code: '',
  transaction_fees_currency: null,
  discount_description: null,
  event_order: null,
};

/** An invoice as an import answers it (`errors: {}`), as a retrieve does (with its customer), or as the
 * data source's list does (its line items also with `balance_transfer`; recorded Oct 2023); with the keys
 * 2026 answers add (docs only): `status`, `customer_external_id`, a line item's `plan_external_id`. */
export function invoiceJson(
  store: EmulatorStore,
  invoice: Invoice,
  as: 'import' | 'retrieve' | 'list' = 'import',
): Record<string, unknown> {
  return {
    uuid: invoice.uuid,
    ...(as === 'import' ? {} : { customer_uuid: invoice.customer_uuid }),
    date: invoice.date,
    due_date: invoice.due_date,
    errors: invoice.errors,
    external_id: invoice.external_id,
    customer_external_id: customersIn(store).get(invoice.customer_uuid)?.external_id ?? null,
    status: invoice.status,
    currency: invoice.currency,
    ...(invoice.collection_method ? { collection_method: invoice.collection_method } : {}),
    line_items: invoice.line_items.map((item) => ({ ...item, ...(as === 'list' ? { balance_transfer: null } : {}) })),
    // Recorded answers carry no `errors` on an invoice's transactions (a transaction's own reads do).
    transactions: invoice.transactions.map(({ errors: _errors, ...transaction }) => transaction),
  };
}

/** The line item with this UUID, its invoice and its place there. */
function lineItemByUuid(store: EmulatorStore, uuid: string) {
  for (const invoice of invoicesIn(store).values()) {
    const index = invoice.line_items.findIndex((item) => item.uuid === uuid);
    if (index >= 0) return { invoice, item: invoice.line_items[index] ?? {}, index };
  }
  return undefined;
}

/** The line item external ids a data source's invoices hold. */
function lineItemIds(store: EmulatorStore, dataSourceUuid: string): Set<unknown> {
  return new Set(
    [...invoicesIn(store).values()]
      .filter((invoice) => invoice.data_source_uuid === dataSourceUuid)
      .flatMap((invoice) => invoice.line_items.map((item) => item.external_id)),
  );
}

/** Checks one line item for a customer's invoice: the item as stored and answered, and its errors by key. */
function checkLineItem(
  store: EmulatorStore,
  customer: { uuid: string; data_source_uuid: string },
  item: Record<string, unknown>,
  /** The line item external ids the data source holds (lineItemIds), built once per request. */
  heldItemIds: ReadonlySet<unknown>,
  /** The line item being changed (PATCH): its own external id is no repeat, and it keeps its UUID. */
  changing?: Record<string, unknown>,
): { item?: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const type = asString(item.type);
  if (type !== 'subscription' && type !== 'one_time' && type !== 'trial')
    return { errors: { type: 'must be one of subscription, one_time, trial' } };
  if (!isCentsOrAbsent(item.amount_in_cents) || item.amount_in_cents === undefined)
    errors.amount_in_cents = 'is not an integer';
  for (const key of ['quantity', 'discount_amount_in_cents', 'tax_amount_in_cents', 'transaction_fees_in_cents'])
    if (!isCentsOrAbsent(item[key])) errors[key] = 'is not an integer';
  const itemId = asString(item.external_id);
  if (itemId && itemId !== changing?.external_id && heldItemIds.has(itemId)) errors.external_id = DUPLICATE_LINE_ITEM;
  const uuid = typeof changing?.uuid === 'string' ? changing.uuid : `li_${randomUUID()}`;
  const stored: Record<string, unknown> = { ...ITEM_DEFAULTS, ...item, uuid };
  if (type !== 'one_time') {
    const plan = plansIn(store).get(asString(item.plan_uuid) ?? '');
    if (!plan || plan.data_source_uuid !== customer.data_source_uuid)
      errors.plan_uuid = 'A valid plan UUID is required for each subscription line item.';
    stored.plan_external_id = plan?.external_id ?? null;
    const subscriptionId = asString(item.subscription_external_id);
    if (!subscriptionId) errors.subscription_external_id = "can't be blank";
    const start = checkedDate(item.service_period_start, true);
    const end = checkedDate(item.service_period_end, true);
    if ('error' in start) errors.service_period_start = start.error;
    if ('error' in end) errors.service_period_end = end.error;
    if ('value' in start && 'value' in end) {
      stored.service_period_start = start.value;
      stored.service_period_end = end.value;
    }
    stored.subscription_uuid = subscriptionOf(store, customer.uuid, subscriptionId ?? '').uuid;
  }
  // 2026 docs: a quantity is any whole number but 0, and a cancellation lies in the past (our words).
  if (item.quantity === 0) errors.quantity = 'must be other than 0';
  if (item.cancelled_at !== undefined) {
    const cancelled = checkedDate(item.cancelled_at, false);
    if ('value' in cancelled && cancelled.value && Date.parse(cancelled.value) > Date.now())
      errors.cancelled_at = 'must be in the past';
    if ('value' in cancelled) stored.cancelled_at = cancelled.value;
  }
  const keys = type === 'one_time' ? ONE_TIME_ITEM_KEYS : SUBSCRIPTION_ITEM_KEYS;
  return {
    item: {
      ...pick(stored, keys),
      ...Object.fromEntries(SENT_ONLY_ITEM_KEYS.filter((key) => key in item).map((key) => [key, stored[key]])),
    },
    errors,
  };
}

/** Checks one invoice of an import: the invoice to keep and its errors by field. ChartMogul keeps an invoice
 * it judges invalid, hidden from default reads (its docs' `validation_type`), unless its external id is
 * blank or taken: then nothing is kept. */
function checkInvoice(
  store: EmulatorStore,
  customer: { uuid: string; data_source_uuid: string },
  body: Record<string, unknown>,
  /** The line item external ids held so far; the ones this invoice keeps are added. */
  heldItemIds: Set<unknown>,
  /** The transaction external ids held so far; likewise. */
  heldTransactionIds: Set<unknown> = transactionIds(store, customer.data_source_uuid),
): { invoice?: Invoice; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const externalId = asString(body.external_id);
  if (!externalId) errors.external_id = "can't be blank";
  else if (invoicesIn(store).findByExternalId(customer.data_source_uuid, externalId))
    errors.external_id = DUPLICATE_INVOICE;
  const invoiceDate = checkedDate(body.date, true);
  if ('error' in invoiceDate) errors.date = invoiceDate.error;
  const dueDate = checkedDate(body.due_date, false);
  if ('error' in dueDate) errors.due_date = dueDate.error;
  const currency = asString(body.currency)?.toUpperCase();
  if (!currency || !CURRENCIES.has(currency)) errors.currency = 'is not a valid currency';
  const lineItems = Array.isArray(body.line_items) ? (body.line_items as Record<string, unknown>[]) : [];
  if (lineItems.length === 0) errors.line_items = "can't be blank";
  const items: Record<string, unknown>[] = [];
  for (const item of lineItems) {
    const checked = checkLineItem(store, customer, item, heldItemIds);
    if (checked.item) items.push(checked.item);
    for (const [key, error] of Object.entries(checked.errors)) errors[`line_items.${key}`] = error;
  }
  const transactions: Record<string, unknown>[] = [];
  for (const transaction of Array.isArray(body.transactions) ? (body.transactions as Record<string, unknown>[]) : []) {
    const checked = checkTransaction(store, customer.data_source_uuid, transaction, undefined, (id) =>
      heldTransactionIds.has(id),
    );
    if (checked.transaction) transactions.push(checked.transaction);
    for (const [key, error] of Object.entries(checked.errors)) errors[`transactions.${key}`] = error;
  }
  if (!externalId || errors.external_id) return { errors };
  for (const item of items) if (item.external_id) heldItemIds.add(item.external_id);
  for (const transaction of transactions) if (transaction.external_id) heldTransactionIds.add(transaction.external_id);
  const invoice: Invoice = {
    id: store.newId(),
    uuid: `inv_${randomUUID()}`,
    data_source_uuid: customer.data_source_uuid,
    customer_uuid: customer.uuid,
    external_id: externalId ?? '',
    date: 'value' in invoiceDate ? (invoiceDate.value ?? '') : '',
    due_date: 'value' in dueDate ? dueDate.value : null,
    currency: currency ?? '',
    collection_method: asString(body.collection_method) ?? null,
    status: null,
    line_items: items,
    transactions,
    errors,
  };
  return { invoice, errors };
}

/** `POST /v1/import/customers/{uuid}/invoices`: every invoice is checked; one with errors makes the answer a 422
 * (those kept as invalid are kept all the same). */
function importInvoices(store: EmulatorStore, req: RouteRequest): Reply {
  const customer = customersIn(store).get(req.params.uuid ?? '');
  // Recorded in a user report (chartmogul-python#119): a wrong customer in the path answers this.
  if (!customer) return notFound('Invoice');
  const bodies = Array.isArray(req.body.invoices) ? (req.body.invoices as Record<string, unknown>[]) : [];
  if (bodies.length === 0) return codeError(400, 'Parameter "invoices" is missing', 'invoices');
  const heldItemIds = lineItemIds(store, customer.data_source_uuid);
  const heldTransactionIds = transactionIds(store, customer.data_source_uuid);
  const checked = bodies.map((body) => checkInvoice(store, customer, body, heldItemIds, heldTransactionIds));
  for (const { invoice } of checked) if (invoice) invoicesIn(store).add(invoice);
  if (checked.some(({ errors }) => Object.keys(errors).length > 0)) {
    return new Reply(422, {
      invoices: bodies.map((body, index) => ({
        external_id: body.external_id ?? null,
        errors: checked[index]?.errors ?? {},
      })),
    });
  }
  return ok({ invoices: checked.map(({ invoice }) => invoice && invoiceJson(store, invoice)) }, 201);
}

/** The invoice the path names, if this read's `validation_type` shows it (a change or a delete reaches any). */
/** Invoices in a bulk import (../../src/emulator/bulk-import.ts), with the line items and transactions that
 * name them by `invoice_external_id` (and their plans by external id): each invoice checked and kept as an
 * import keeps it (as invalid, with its errors, when its external id is free), with its customer's records.
 * A line item or transaction counts as failed when its invoice's errors name its kind. */
export const INVOICES_BULK: BulkSection = {
  customers: (_store, _dataSourceUuid, body) =>
    entriesOf(body, 'invoices').map((entry) => asString(entry.customer_external_id) ?? ''),
  importFor(store, dataSourceUuid, body, customerExternalId, memo) {
    const invoices = memo('invoices by customer', () => entriesBy(body, 'invoices', 'customer_external_id')).get(
      customerExternalId,
    );
    if (!invoices) return [];
    const named = (type: string, invoiceId: unknown) =>
      memo(`${type} by invoice`, () => entriesBy(body, type, 'invoice_external_id')).get(invoiceId) ?? [];
    const customer = customersIn(store).findByExternalId(dataSourceUuid, customerExternalId);
    const heldItemIds = memo('line item ids', () => lineItemIds(store, dataSourceUuid));
    const heldTransactionIds = memo('transaction ids', () => transactionIds(store, dataSourceUuid));
    const outcomes = { invoices: [] as number[], line_items: [] as number[], transactions: [] as number[] };
    for (const entry of invoices) {
      const lineItems = named('line_items', entry.external_id).map(
        ({ invoice_external_id: _invoice, plan_external_id: plan, ...item }) => ({
          ...item,
          ...(typeof plan === 'string'
            ? { plan_uuid: plansIn(store).findByExternalId(dataSourceUuid, plan)?.uuid }
            : {}),
        }),
      );
      const transactions = named('transactions', entry.external_id).map(
        ({ invoice_external_id: _invoice, ...transaction }) => transaction,
      );
      const checked = customer
        ? checkInvoice(
            store,
            customer,
            { ...entry, line_items: lineItems, transactions },
            heldItemIds,
            heldTransactionIds,
          )
        : { errors: { customer_external_id: 'is not a customer of the data source' } };
      if ('invoice' in checked && checked.invoice) invoicesIn(store).add(checked.invoice);
      const failed = (kind: string) => Object.keys(checked.errors).some((key) => key.startsWith(kind));
      const status = (bad: boolean) => (bad ? 422 : 201);
      outcomes.invoices.push(status(Object.keys(checked.errors).length > 0));
      outcomes.line_items.push(...lineItems.map(() => status(!customer || failed('line_items'))));
      outcomes.transactions.push(...transactions.map(() => status(!customer || failed('transactions'))));
    }
    return Object.entries(outcomes).flatMap(([type, statuses]) => outcomeOf(type, statuses));
  },
};

export function findInvoice(store: EmulatorStore, req: RouteRequest): Invoice | Reply {
  const invoice = invoicesIn(store).get(req.params.uuid ?? '');
  const shown = req.method !== 'GET' || (invoice && shownByValidation(req.query.get('validation_type'))(invoice));
  return invoice && shown ? invoice : notFound('Invoice');
}

/** The invoices a read shows (by `keep` and its `validation_type`), oldest first. */
function sortedInvoices(store: EmulatorStore, req: RouteRequest, keep: (invoice: Invoice) => boolean): Invoice[] {
  const shown = shownByValidation(req.query.get('validation_type'));
  return [...invoicesIn(store).values()]
    .filter((invoice) => keep(invoice) && shown(invoice))
    .sort((a, b) => a.id - b.id);
}

export function registerInvoiceRoutes(router: Router, store: EmulatorStore): void {
  router
    .add('POST', '/v1/import/customers/:uuid/invoices', (req) => importInvoices(store, req))
    .add('GET', '/v1/import/customers/:uuid/invoices', (req) => {
      const uuid = req.params.uuid ?? '';
      if (!customersIn(store).has(uuid)) return notFound('Invoice');
      const matches = sortedInvoices(store, req, (invoice) => invoice.customer_uuid === uuid);
      const { entries, cursor, has_more } = paginate(matches, req);
      const { current_page, total_pages } = withLegacyKeys({ entries, cursor, has_more }, req, matches.length);
      return ok({
        customer_uuid: uuid,
        invoices: entries.map((invoice) => invoiceJson(store, invoice)),
        ...(req.query.get('cursor') ? {} : { current_page, total_pages: matches.length === 0 ? 0 : total_pages }),
        cursor: entries.length > 0 ? cursor : null,
        has_more,
      });
    })
    .add('GET', '/v1/invoices', (req) => {
      const q = (name: string) => req.query.get(name);
      const byKey = q('data_source_uuid') && q('external_id');
      const keyed = byKey
        ? invoicesIn(store).findByExternalId(q('data_source_uuid') ?? '', q('external_id') ?? '')
        : null;
      const matches = sortedInvoices(
        store,
        req,
        (invoice) =>
          (!byKey || invoice === keyed) &&
          (q('data_source_uuid') === null || invoice.data_source_uuid === q('data_source_uuid')) &&
          (q('customer_uuid') === null || invoice.customer_uuid === q('customer_uuid')) &&
          (q('external_id') === null || invoice.external_id === q('external_id')),
      );
      const { entries, cursor, has_more } = paginate(matches, req);
      const { current_page, total_pages } = withLegacyKeys({ entries, cursor, has_more }, req, matches.length);
      return ok({
        invoices: entries.map((invoice) => invoiceJson(store, invoice, 'list')),
        ...(req.query.get('cursor') ? {} : { current_page, total_pages }),
        cursor,
        has_more,
      });
    })
    .add('GET', '/v1/invoices/:uuid', (req) => {
      const invoice = findInvoice(store, req);
      return isReply(invoice) ? invoice : ok(invoiceJson(store, invoice, 'retrieve'));
    })
    .add('PATCH', '/v1/invoices/:uuid', (req) => {
      const invoice = findInvoice(store, req);
      if (isReply(invoice)) return invoice;
      const errors: Record<string, string> = {};
      const changes: Partial<Invoice> = {};
      if (req.body.date !== undefined) {
        const checked = checkedDate(req.body.date, true);
        if ('error' in checked) errors.date = checked.error;
        else changes.date = checked.value ?? invoice.date;
      }
      if (req.body.due_date !== undefined) {
        const checked = checkedDate(req.body.due_date, false);
        if ('error' in checked) errors.due_date = checked.error;
        else changes.due_date = checked.value;
      }
      if (req.body.currency !== undefined) {
        const currency = asString(req.body.currency)?.toUpperCase();
        if (!currency || !CURRENCIES.has(currency)) errors.currency = 'is not a valid currency';
        else changes.currency = currency;
      }
      if (req.body.collection_method !== undefined) {
        // ChartMogul's n8n node sends it with the PATCH (2026); the docs name only the three above.
        const method = asString(req.body.collection_method);
        if (method !== 'automatic' && method !== 'manual')
          errors.collection_method = 'must be one of automatic, manual';
        else changes.collection_method = method;
      }
      if (Object.keys(errors).length > 0) return new Reply(422, { errors });
      Object.assign(invoice, changes);
      return ok(invoiceJson(store, invoice, 'retrieve'));
    })
    .add('POST', '/v1/import/invoices/:uuid/line_items', (req) => {
      // 2026 (docs only): one line item added to an invoice; nothing is kept when it has errors.
      const invoice = findInvoice(store, req);
      if (isReply(invoice)) return invoice;
      const customer = customersIn(store).get(invoice.customer_uuid);
      if (!customer) return notFound('Invoice');
      const { item, errors } = checkLineItem(store, customer, req.body, lineItemIds(store, customer.data_source_uuid));
      if (!item || Object.keys(errors).length > 0) return new Reply(422, { errors });
      invoice.line_items.push(item);
      return ok(item, 201);
    })
    .add('PATCH', '/v1/line_items/:uuid', (req) => {
      // 2026 (docs only): a line item changed in place; it keeps its UUID and its invoice.
      const found = lineItemByUuid(store, req.params.uuid ?? '');
      if (!found) return notFound('Line item');
      const customer = customersIn(store).get(found.invoice.customer_uuid);
      if (!customer) return notFound('Line item');
      const { uuid: _uuid, ...changes } = req.body;
      const { item, errors } = checkLineItem(
        store,
        customer,
        { ...found.item, ...changes },
        lineItemIds(store, customer.data_source_uuid),
        found.item,
      );
      if (!item || Object.keys(errors).length > 0) return new Reply(422, { errors });
      found.invoice.line_items[found.index] = item;
      return ok(item);
    })
    .add('DELETE', '/v1/line_items/:uuid', (req) => {
      const found = lineItemByUuid(store, req.params.uuid ?? '');
      if (!found) return notFound('Line item');
      found.invoice.line_items.splice(found.index, 1);
      return new Reply(204);
    })
    .add('PUT', '/v1/data_sources/:ds/invoices/:external_id/status', (req) => {
      // 2026 (docs only): an invoice's status by its data source and external id; answered with the invoice.
      const invoice = invoicesIn(store).findByExternalId(req.params.ds ?? '', req.params.external_id ?? '');
      if (!invoice) return notFound('Invoice');
      const status = asString(req.body.status);
      if (status !== 'voided' && status !== 'written_off')
        return new Reply(422, { errors: { status: 'must be one of voided, written_off' } });
      invoice.status = status;
      return ok(invoiceJson(store, invoice, 'retrieve'));
    })
    .add('DELETE', '/v1/invoices/:uuid', (req) => {
      const invoice = findInvoice(store, req);
      if (isReply(invoice)) return invoice;
      store.deleteRecord('invoices', invoice);
      return new Reply(204);
    });
}
