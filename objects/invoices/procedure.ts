// Invoices: imported one per request onto their customer, never sent twice; a changed one is changed in
// place where ChartMogul allows (its own fields, and since 2026 its line items and transactions), else failed
// with what changed, or replaced when the spec says so.

import type { RowToSend } from '../../src/contracts/sync-types';
import type { Destination, InvoiceRef } from '../../src/contracts/activities';
import { INVOICE_FIELDS_CHANGED_IN_PLACE, INVOICE_FIELDS_PATCHED } from './definition';
import { callApi } from '../../workflows/activities';
import { withParent } from '../../workflows/procedures/parents';
import {
  describeDifferences,
  RowFailed,
  RowRejected,
  type Calls,
  type Done,
  type ObjectProcedures,
} from '../../workflows/procedures/shared';

function missingPlans(row: RowToSend, plans: readonly string[]): RowRejected {
  return new RowRejected(
    `plan${plans.length > 1 ? 's' : ''} ${plans.map((plan) => `"${plan}"`).join(', ')} named by invoice ${row.key}'s line items not found in the data source: sync plans first`,
  );
}

/** Imports the row's invoice onto its customer; one that held the key before is decided by `held`. */
async function importInvoice(
  target: Destination,
  row: RowToSend,
  calls: Calls,
  customerUuid: string,
  held: (found: InvoiceRef) => Promise<Done>,
  otherTransactions?: InvoiceRef['otherTransactions'],
): Promise<Done> {
  let found: InvoiceRef | undefined;
  const uuid = await calls.create(async () => {
    found = await callApi('importInvoice', `import invoice ${row.key}`, {
      target,
      customerUuid,
      row,
      ...(otherTransactions?.length ? { otherTransactions } : {}),
    });
    if (found.existed) calls.read();
    return found.uuid;
  });
  if (found?.missingPlans?.length) throw missingPlans(row, found.missingPlans);
  if (found?.existed || found?.invalid) return held(found);
  if (typeof row.fields.status === 'string') await setStatus(target, row, calls, row.fields.status);
  return { status: 'created', uuid };
}

/** Changes the invoice's own fields that differ: date, due date, currency and collection method by PATCH,
 * status by its endpoint. */
async function changeFieldsInPlace(
  target: Destination,
  row: RowToSend,
  calls: Calls,
  found: InvoiceRef,
): Promise<void> {
  const differences = found.differences ?? [];
  if (differences.some((difference) => INVOICE_FIELDS_PATCHED.includes(difference.field)))
    await calls.write(() => callApi('updateInvoice', `update invoice ${row.key}`, { target, uuid: found.uuid, row }));
  const status = differences.find((difference) => difference.field === 'status')?.row;
  if (typeof status === 'string') await setStatus(target, row, calls, status);
}

/** Sets the invoice's status by its own endpoint (an import never carries one). */
async function setStatus(target: Destination, row: RowToSend, calls: Calls, status: string): Promise<void> {
  await calls.write(() =>
    callApi('setInvoiceStatus', `set invoice ${row.key} ${status}`, { target, externalId: row.key, status }),
  );
}

/** ChartMogul keeps the row's own invoice as invalid: the row is what ChartMogul refused. */
function keptAsInvalid(row: RowToSend, found: InvoiceRef): RowFailed {
  return new RowFailed(
    `ChartMogul keeps invoice ${row.key} as invalid, out of every metric: ${found.invalid}. Correct the row and run the sync again: the invalid invoice is then replaced`,
  );
}

/** Deletes the invoice ChartMogul holds and imports the row in its place. Deleting an invoice deletes every
 * transaction on it: those the row does not carry (another spec's payments and refunds, read before the
 * delete and kept in this history) are imported again with it. */
async function replaceInvoice(
  target: Destination,
  row: RowToSend,
  calls: Calls,
  customerUuid: string,
  found: InvoiceRef,
  reason: string,
): Promise<Done> {
  await calls.write(() =>
    callApi('deleteInvoice', `delete invoice ${row.key} to replace it`, { target, uuid: found.uuid }),
  );
  const replaced = await importInvoice(
    target,
    row,
    calls,
    customerUuid,
    (again) =>
      Promise.reject(
        again.invalid && again.holdsRow
          ? keptAsInvalid(row, again)
          : new RowFailed(`invoice ${row.key} came back while it was being replaced: run the sync again`),
      ),
    found.otherTransactions,
  );
  calls.replaced(reason);
  return { status: 'updated', uuid: replaced.uuid };
}

/** An invoice already in the data source: unchanged when it holds the row; its date, due date, currency,
 * collection method and status changed in place; its line items and transactions edited in place by their
 * external ids (invoiceChanges `edit`, or `auto` when the row names each one), else the row fails with what
 * changed, or (`replace`) the invoice is deleted and imported again; one ChartMogul keeps as invalid is
 * replaced once the row differs. Upsert only: insert mode changes no record. Never a second invoice. */
async function settleHeldInvoice(
  target: Destination,
  row: RowToSend,
  calls: Calls,
  customerUuid: string,
  found: InvoiceRef,
  mode: 'insert' | 'upsert',
): Promise<Done> {
  if (found.missingPlans?.length) throw missingPlans(row, found.missingPlans);
  const differences = found.differences ?? [];
  const what = describeDifferences(differences);
  // An invalid invoice counts in no metric, so replacing it can never double revenue, in any mode.
  if (found.invalid && found.holdsRow) throw keptAsInvalid(row, found);
  const replace = (reason: string) => replaceInvoice(target, row, calls, customerUuid, found, reason);
  if (found.invalid)
    return replace(`deleted and imported again, because ChartMogul kept it as invalid (${found.invalid})`);
  if (found.holdsRow) return { status: 'unchanged', uuid: found.uuid };
  if (mode === 'insert')
    throw new RowFailed(
      `invoice ${row.key} is already in the data source with other values (${what}); insert mode changes no record: sync it in upsert mode`,
    );
  if (differences.every((difference) => INVOICE_FIELDS_CHANGED_IN_PLACE.includes(difference.field))) {
    await changeFieldsInPlace(target, row, calls, found);
    return { status: 'updated', uuid: found.uuid };
  }
  const { invoiceChanges } = calls;
  if (invoiceChanges === 'edit' && !found.edits)
    throw new RowFailed(
      `invoice ${row.key} changed (${what}); options.invoiceChanges "edit" matches its line items and transactions by external_id: give each of the row's an external_id`,
    );
  // `auto` edits in place whenever the row names each line item and transaction by external id.
  if (found.edits && (invoiceChanges === 'edit' || invoiceChanges === 'auto')) {
    await changeFieldsInPlace(target, row, calls, found);
    for (const edit of found.edits) {
      const what = `${edit.kind.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`)} ${edit.externalId}`;
      await calls.write(() =>
        callApi('editInvoice', `${what} of invoice ${row.key}`, { target, invoiceUuid: found.uuid, edit }),
      );
    }
    return { status: 'updated', uuid: found.uuid };
  }
  if (invoiceChanges !== 'replace')
    throw new RowFailed(
      `invoice ${row.key} is already in ChartMogul with other line items or transactions (${what}); a second invoice would double its revenue: correct the row, or give each of its line items and transactions an external_id so that the change is edited in place, or set options.invoiceChanges to "replace" to delete the invoice and import the row again`,
    );
  return replace(`deleted and imported again (options.invoiceChanges: replace), because ${what}`);
}

/** Inserts or upserts an invoice on its customer: a row the store knows (changed since it was sent), or
 * one a listing did not cover, is looked up first; a new one is imported, and an import that meets its
 * key settles as above. */
function syncInvoice(target: Destination, row: RowToSend, calls: Calls, mode: 'insert' | 'upsert'): Promise<Done> {
  return withParent('invoices', row, calls, async (customerUuid) => {
    if (row.uuid || !calls.listedAll) {
      calls.read();
      const found = await callApi('lookupInvoice', `look up invoice ${row.key}`, {
        target,
        externalId: row.key,
        row,
      });
      if (found) {
        calls.compared(found.differences);
        return settleHeldInvoice(target, row, calls, customerUuid, found, mode);
      }
    }
    return importInvoice(target, row, calls, customerUuid, (held) =>
      settleHeldInvoice(target, row, calls, customerUuid, held, mode),
    );
  });
}

export const INVOICE_PROCEDURES: ObjectProcedures = {
  findByExternalId: (target, externalId, summary) => callApi('lookupInvoice', summary, { target, externalId }),
  modes: {
    insert: (target, row, calls) => syncInvoice(target, row, calls, 'insert'),
    upsert: (target, row, calls) => syncInvoice(target, row, calls, 'upsert'),
  },
};
