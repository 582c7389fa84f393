// Emulated transactions: a payment or refund added to its invoice after the import, and the data source's
// list of them. They are kept inside their invoice, as ChartMogul answers them (../invoices/emulator-table.ts, ./emulator-record.ts).

import { isReply, ok, plainError, Reply, type RouteRequest, type Router } from '../../src/emulator/http';
import { paginate } from '../../src/emulator/paging';
import type { EmulatorStore } from '../../src/emulator/store';
import { pick } from '../../src/emulator/values';
import { findInvoice } from '../invoices/emulator';
import { invoicesIn, type Invoice } from '../invoices/emulator-table';
import { checkTransaction, findTransaction } from './emulator-record';

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
  const checked = checkTransaction(store, invoice.data_source_uuid, req.body);
  if ('errors' in checked) return new Reply(422, { errors: checked.errors });
  const { transaction } = checked;
  invoice.transactions.push(transaction);
  return ok(pick(transaction, ADDED_TRANSACTION_KEYS), 201);
}

/** A transaction as the data source's list answers it (not recorded: the added one's keys, its invoice). */
function listedTransaction(invoice: Invoice, transaction: Record<string, unknown>): Record<string, unknown> {
  return { ...pick(transaction, ADDED_TRANSACTION_KEYS), invoice_uuid: invoice.uuid };
}

export function registerTransactionRoutes(router: Router, store: EmulatorStore): void {
  router
    .add('POST', '/v1/import/invoices/:uuid/transactions', (req) => addTransaction(store, req))
    .add('GET', '/v1/transactions', (req) => {
      const dataSource = req.query.get('data_source_uuid');
      const externalId = req.query.get('external_id');
      if (dataSource !== null && externalId !== null && store.transactionLookup === 'object') {
        // "Retrieve a Transaction": identified by its data source and external id, answered as one object.
        const found = findTransaction(store, dataSource, externalId);
        return found ? ok(listedTransaction(found.invoice, found.transaction)) : plainError(404, 'Transaction not found');
      }
      const all = [...invoicesIn(store).values()]
        .filter((invoice) => dataSource === null || invoice.data_source_uuid === dataSource)
        .sort((a, b) => a.id - b.id)
        .flatMap((invoice) => invoice.transactions.map((transaction) => listedTransaction(invoice, transaction)))
        .filter((transaction) => externalId === null || transaction.external_id === externalId)
        .map((transaction, index) => ({ ...transaction, id: index + 1 }));
      const { entries, cursor, has_more } = paginate(all, req);
      return ok({ transactions: entries.map(({ id: _id, ...transaction }) => transaction), cursor, has_more });
    })
    .add('GET', '/v1/transactions/:uuid', (req) => {
      for (const invoice of invoicesIn(store).values()) {
        const found = invoice.transactions.find((transaction) => transaction.uuid === req.params.uuid);
        if (found) return ok(listedTransaction(invoice, found));
      }
      return plainError(404, 'Transaction not found');
    });
}
