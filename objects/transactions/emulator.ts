// Emulated transactions: a payment or refund added to its invoice after the import, and the data source's
// list of them. They are kept inside their invoice, as ChartMogul answers them (../invoices/emulator.ts).

import { randomUUID } from 'node:crypto';

import { asString, isReply, ok, plainError, Reply, type RouteRequest, type Router } from '../../src/emulator/http';
import { paginate } from '../../src/emulator/paging';
import type { EmulatorStore } from '../../src/emulator/store';
import {
  cents,
  date,
  DUPLICATE_TRANSACTION,
  findInvoice,
  findTransaction,
  invoicesIn,
  pick,
  TRANSACTION_DEFAULTS,
  TRANSACTION_KEYS,
  type Invoice,
} from '../invoices/emulator';

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
  const body = req.body;
  const errors: Record<string, string> = {};
  if (body.type !== 'payment' && body.type !== 'refund') errors.type = 'must be one of payment, refund';
  if (body.result !== 'successful' && body.result !== 'failed') errors.result = 'must be one of successful, failed';
  const when = date(body.date, true);
  if ('error' in when) errors.date = when.error;
  for (const key of ['amount_in_cents', 'transaction_fees_in_cents'])
    if (!cents(body[key])) errors[key] = 'is not an integer';
  const externalId = asString(body.external_id);
  if (externalId && findTransaction(store, invoice.data_source_uuid, externalId))
    errors.external_id = DUPLICATE_TRANSACTION;
  if (Object.keys(errors).length > 0) return new Reply(422, { errors });
  const transaction = pick(
    { ...TRANSACTION_DEFAULTS, ...body, uuid: `tr_${randomUUID()}`, date: 'value' in when ? when.value : null },
    TRANSACTION_KEYS,
  );
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
