// Emulated transactions: a payment or refund added to its invoice after the import, and the data source's
// list of them. They are kept inside their invoice, as ChartMogul answers them (../invoices/emulator-table.ts, ./emulator-record.ts).

import { asString, isReply, notFound, ok, Reply, type RouteRequest, type Router } from '../../src/emulator/http';
import { entriesOf, outcomeOf, type BulkBody, type BulkSection } from '../../src/emulator/bulk-import';
import { paginate } from '../../src/emulator/paging';
import type { EmulatorStore } from '../../src/emulator/store';
import { pick, shownByValidation } from '../../src/emulator/values';
import { customersIn } from '../customers/emulator-table';
import { findInvoice } from '../invoices/emulator';
import { invoicesIn, type Invoice } from '../invoices/emulator-table';
import { checkTransaction, findTransaction, transactionIds } from './emulator-record';

/** A transaction added on its own answers these keys (recorded: ruby ChartMogul_Transactions_Payment, 2025). */
const ADDED_TRANSACTION_KEYS = [
  'external_id',
  'result',
  'amount_in_cents',
  'transaction_fees_in_cents',
  'uuid',
  'type',
  'date',
];

/** `POST /v1/import/invoices/{uuid}/transactions`: a payment or refund after its invoice. */
function addTransaction(store: EmulatorStore, req: RouteRequest): Reply {
  const invoice = findInvoice(store, req);
  if (isReply(invoice)) return invoice;
  const { transaction, errors } = checkTransaction(store, invoice.data_source_uuid, req.body);
  if (transaction) invoice.transactions.push(transaction);
  if (!transaction || Object.keys(errors).length > 0) return new Reply(422, { errors });
  return ok(pick(transaction, ADDED_TRANSACTION_KEYS), 201);
}

/** A transaction as the data source's list answers it (not recorded: the added one's keys, its invoice, and
 * its `errors`, which 2026 answers carry). */
function listedTransaction(invoice: Invoice, transaction: Record<string, unknown>): Record<string, unknown> {
  return { ...pick(transaction, ADDED_TRANSACTION_KEYS), invoice_uuid: invoice.uuid, errors: transaction.errors ?? {} };
}

/** Whether a read with this `validation_type` shows the transaction: one in an invalid invoice is invalid too. */
function shownTransaction(req: RouteRequest): (invoice: Invoice, transaction: Record<string, unknown>) => boolean {
  const shown = shownByValidation(req.query.get('validation_type'));
  return (invoice, transaction) =>
    shown({ errors: { ...invoice.errors, ...(transaction.errors as object | undefined) } });
}

/** The transaction with this UUID and its invoice, or undefined. */
function transactionByUuid(store: EmulatorStore, uuid: string) {
  for (const invoice of invoicesIn(store).values()) {
    const transaction = invoice.transactions.find((candidate) => candidate.uuid === uuid);
    if (transaction) return { invoice, transaction };
  }
  return undefined;
}

/** The bulk import's transactions that name an invoice the data source holds, not one of the import's own
 * (those go with their invoice: ../invoices/emulator.ts), with the held invoice's customer. */
function heldInvoiceTransactions(store: EmulatorStore, dataSourceUuid: string, body: BulkBody) {
  const imported = new Set(entriesOf(body, 'invoices').map((invoice) => invoice.external_id));
  return entriesOf(body, 'transactions')
    .filter((entry) => !imported.has(entry.invoice_external_id))
    .map((entry) => {
      const invoice = invoicesIn(store).findByExternalId(dataSourceUuid, asString(entry.invoice_external_id) ?? '');
      const customer = invoice ? (customersIn(store).get(invoice.customer_uuid)?.external_id ?? '') : '';
      return { entry, invoice, customer };
    });
}

/** Transactions added to held invoices in a bulk import (../../src/emulator/bulk-import.ts), each as `POST
 * /v1/import/invoices/{uuid}/transactions` takes it, with its invoice's customer's records. One whose invoice
 * the data source does not hold fails with the data source's own records. */
export const TRANSACTIONS_BULK: BulkSection = {
  customers: (store, dataSourceUuid, body) =>
    heldInvoiceTransactions(store, dataSourceUuid, body).map(({ customer }) => customer),
  importFor(store, dataSourceUuid, body, customerExternalId, memo) {
    const byCustomer = memo('transactions of held invoices', () => {
      const grouped = new Map<string, ReturnType<typeof heldInvoiceTransactions>>();
      for (const found of heldInvoiceTransactions(store, dataSourceUuid, body))
        grouped.set(found.customer, [...(grouped.get(found.customer) ?? []), found]);
      return grouped;
    });
    const heldIds = memo('transaction ids', () => transactionIds(store, dataSourceUuid));
    return outcomeOf(
      'transactions',
      (byCustomer.get(customerExternalId) ?? []).map(({ entry, invoice }) => {
        if (!invoice) return 404;
        const { invoice_external_id: _invoice, ...fields } = entry;
        const { transaction, errors } = checkTransaction(store, dataSourceUuid, fields, undefined, (id) =>
          heldIds.has(id),
        );
        if (transaction) {
          invoice.transactions.push(transaction);
          heldIds.add(transaction.external_id);
        }
        return transaction && Object.keys(errors).length === 0 ? 201 : 422;
      }),
    );
  },
};

export function registerTransactionRoutes(router: Router, store: EmulatorStore): void {
  router
    .add('POST', '/v1/import/invoices/:uuid/transactions', (req) => addTransaction(store, req))
    .add('GET', '/v1/transactions', (req) => {
      const dataSource = req.query.get('data_source_uuid');
      const externalId = req.query.get('external_id');
      const shown = shownTransaction(req);
      if (dataSource !== null && externalId !== null && store.transactionLookup === 'object') {
        // "Retrieve a Transaction": identified by its data source and external id, answered as one object.
        const found = findTransaction(store, dataSource, externalId);
        return found && shown(found.invoice, found.transaction)
          ? ok(listedTransaction(found.invoice, found.transaction))
          : notFound('Transaction');
      }
      const all = [...invoicesIn(store).values()]
        .filter((invoice) => dataSource === null || invoice.data_source_uuid === dataSource)
        .sort((a, b) => a.id - b.id)
        .flatMap((invoice) =>
          invoice.transactions
            .filter((transaction) => shown(invoice, transaction))
            .map((transaction) => listedTransaction(invoice, transaction)),
        )
        .filter((transaction) => externalId === null || transaction.external_id === externalId)
        .map((transaction, index) => ({ ...transaction, id: index + 1 }));
      const { entries, cursor, has_more } = paginate(all, req);
      return ok({ transactions: entries.map(({ id: _id, ...transaction }) => transaction), cursor, has_more });
    })
    .add('GET', '/v1/transactions/:uuid', (req) => {
      const found = transactionByUuid(store, req.params.uuid ?? '');
      return found && shownTransaction(req)(found.invoice, found.transaction)
        ? ok(listedTransaction(found.invoice, found.transaction))
        : notFound('Transaction');
    })
    .add('PATCH', '/v1/transactions/:uuid', (req) => {
      // 2026: "Update a Transaction" (docs only); it keeps its UUID and its invoice.
      const found = transactionByUuid(store, req.params.uuid ?? '');
      if (!found) return notFound('Transaction');
      const { uuid: _uuid, ...changes } = req.body;
      const merged = { ...found.transaction, ...changes };
      const { transaction, errors } = checkTransaction(
        store,
        found.invoice.data_source_uuid,
        merged,
        found.transaction,
      );
      if (!transaction || Object.keys(errors).length > 0) return new Reply(422, { errors });
      const index = found.invoice.transactions.indexOf(found.transaction);
      found.invoice.transactions[index] = transaction;
      return ok(listedTransaction(found.invoice, transaction));
    })
    .add('DELETE', '/v1/transactions/:uuid', (req) => {
      // 2026: "Delete a Transaction" (docs only).
      const found = transactionByUuid(store, req.params.uuid ?? '');
      if (!found) return notFound('Transaction');
      found.invoice.transactions = found.invoice.transactions.filter(
        (transaction) => transaction !== found.transaction,
      );
      return new Reply(204);
    });
}
