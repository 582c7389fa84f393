// ChartMogul invoice activities. An invoice's line items name plans by external_id in the row and by UUID
// in ChartMogul: each activity resolves them by looking the plans up (remembered for the worker's life),
// never by guessing. An import whose answer may have been lost is looked up and compared (./create-once.ts).

import type { ChartMogulClient } from '../../src/chartmogul/client';
import { ChartMogulError, recordErrors } from '../../src/chartmogul/errors';
import type {
  Destination,
  ImportInvoiceInput,
  InvoiceRef,
  LookupByKeyInput,
  EditInvoiceInput,
  RecordRef,
  SetInvoiceStatusInput,
} from '../../src/contracts/activities';
import type { MappedRow } from '../../src/sync-spec/mapping';
import { createOnce, findByExternalId } from '../../activities/create-once';
import type { ActivityDependencies } from '../../activities/dependencies';
import { retryLookup } from '../../activities/retry-lookup';
import { INVOICE_FIELDS_PATCHED } from './definition';
import { importBody, invoiceDifferences, invoiceEdits, otherTransactions, planKeysOf } from './payloads';

type Json = Record<string, unknown>;

function planMemoKey(target: Destination, planExternalId: string): string {
  return `${target.account}\u0000${target.dataSourceUuid}\u0000${planExternalId}`;
}

export function invoiceActivities(deps: ActivityDependencies) {
  /** Plan UUIDs by account, data source and external id (a plan's UUID never changes while it exists), as
   * lookups in flight: twenty activities starting at once ask once. A plan not found is asked again next time
   * (a plans sync may be creating it); a lookup that failed is forgotten, and those that waited on it ask
   * again, each in its own attempt's time (its faults are retried within, ./retry-lookup.ts). */
  const planUuids = new Map<string, Promise<string | undefined>>();

  async function planUuid(client: ChartMogulClient, target: Destination, key: string): Promise<string | undefined> {
    const memo = planMemoKey(target, key);
    for (;;) {
      const shared = planUuids.get(memo);
      const lookup =
        shared ??
        retryLookup(() => findByExternalId<{ uuid: string; external_id: string }>(client, target, 'plans', key)).then(
          (plan) => plan?.uuid,
        );
      if (!shared) planUuids.set(memo, lookup);
      try {
        const uuid = await lookup;
        if (!uuid && planUuids.get(memo) === lookup) planUuids.delete(memo);
        return uuid;
      } catch (error) {
        if (planUuids.get(memo) === lookup) planUuids.delete(memo);
        // Another activity's lookup failed: that was its attempt, not this one's. Ask again.
        if (shared) continue;
        throw error;
      }
    }
  }

  async function resolvePlans(client: ChartMogulClient, target: Destination, row: MappedRow) {
    const resolved = new Map<string, string>();
    const missing: string[] = [];
    for (const key of planKeysOf(row)) {
      const uuid = await planUuid(client, target, key);
      if (uuid) resolved.set(key, uuid);
      else missing.push(key);
    }
    return { resolved, missing };
  }

  async function find(client: ChartMogulClient, target: Destination, externalId: string): Promise<Json | null> {
    return findByExternalId<Json>(client, target, 'invoices', externalId);
  }

  function refOf(held: Json, body: Json, row: MappedRow): InvoiceRef {
    const status = row.fields.status;
    const differences = invoiceDifferences(body, held, typeof status === 'string' ? status : undefined);
    const others = otherTransactions(body, held);
    const invalid = recordErrors(held);
    const edits = differences.length > 0 ? invoiceEdits(body, held) : undefined;
    return {
      uuid: String(held.uuid),
      holdsRow: differences.length === 0,
      differences,
      ...(others.length > 0 ? { otherTransactions: others } : {}),
      ...(invalid ? { invalid } : {}),
      ...(edits ? { edits } : {}),
    };
  }

  /** Plans a refused or invalid invoice named are asked again next time: one may have been deleted and made
   * again (a new UUID) behind the sync's back. */
  function forgetPlans(target: Destination, row: MappedRow): void {
    for (const key of planKeysOf(row)) planUuids.delete(planMemoKey(target, key));
  }

  return {
    /** Finds an invoice by its key (data source, external_id) and compares it with the row. */
    lookupInvoice: async ({ target, externalId, row }: LookupByKeyInput): Promise<InvoiceRef | null> => {
      const client = deps.clientFor(target.account);
      const held = await find(client, target, externalId);
      if (!held || !row) return held ? { uuid: String(held.uuid) } : null;
      const plans = await resolvePlans(client, target, row);
      if (plans.missing.length > 0) return { uuid: String(held.uuid), missingPlans: plans.missing };
      const ref = refOf(held, importBody(row, plans.resolved), row);
      if (ref.invalid) forgetPlans(target, row);
      return ref;
    },

    /** Imports one invoice onto its customer, exactly once: an import refused as a possible repeated key,
     * or retried after a lost answer, is looked up; the answer says whether the invoice held the key before
     * this activity ran and whether it holds the row. */
    importInvoice: async ({
      target,
      customerUuid,
      row,
      otherTransactions: others,
    }: ImportInvoiceInput): Promise<InvoiceRef> => {
      const client = deps.clientFor(target.account);
      const plans = await resolvePlans(client, target, row);
      if (plans.missing.length > 0) return { uuid: '', missingPlans: plans.missing };
      const body = importBody(row, plans.resolved, others);
      const created = await createOnce(
        async () => {
          const answer = await client.request<{ invoices: Json[] }>(
            'POST',
            `/v1/import/customers/${encodeURIComponent(customerUuid)}/invoices`,
            { body: { invoices: [body] } },
          );
          const invoice = answer.invoices[0];
          if (!invoice) throw new Error('ChartMogul answered an import without its invoice');
          return invoice;
        },
        () => find(client, target, row.key),
      ).catch((error: unknown) => {
        if (error instanceof ChartMogulError && !error.retryable) forgetPlans(target, row);
        throw error;
      });
      // A record ChartMogul keeps as invalid is told, whoever wrote it: the row fails with its errors, or replaces it.
      if (!created.existed && !recordErrors(created.record)) return { uuid: String(created.record.uuid) };
      const ref = { ...refOf(created.record, body, row), ...(created.existed ? { existed: true } : {}) };
      if (ref.invalid) forgetPlans(target, row);
      return ref;
    },

    /** Changes an invoice's date, due date, currency and collection method in place (safe to repeat). */
    updateInvoice: async ({ target, uuid, row }: RecordRef & { row: MappedRow }): Promise<void> => {
      const body = Object.fromEntries(
        INVOICE_FIELDS_PATCHED.filter((field) => row.fields[field] !== undefined).map((field) => [
          field,
          row.fields[field],
        ]),
      );
      await deps.clientFor(target.account).request('PATCH', `/v1/invoices/${encodeURIComponent(uuid)}`, { body });
    },

    /** Makes one edit of an invoice in place: a line item or transaction updated (safe to repeat), added
     * exactly once (a lost answer or a refusal is followed by a lookup of its external id), or a line item
     * deleted (one already gone is fine). */
    editInvoice: async ({ target, invoiceUuid, edit }: EditInvoiceInput): Promise<void> => {
      const client = deps.clientFor(target.account);
      const invoice = encodeURIComponent(invoiceUuid);
      switch (edit.kind) {
        case 'updateLineItem':
          await client.request('PATCH', `/v1/line_items/${encodeURIComponent(edit.uuid)}`, { body: edit.changes });
          return;
        case 'updateTransaction':
          await client.request('PATCH', `/v1/transactions/${encodeURIComponent(edit.uuid)}`, { body: edit.changes });
          return;
        case 'deleteLineItem':
          await client.request('DELETE', `/v1/line_items/${encodeURIComponent(edit.uuid)}`).catch((error: unknown) => {
            if (!(error instanceof ChartMogulError && error.kind === 'notFound')) throw error;
          });
          return;
        case 'addLineItem':
          await createOnce(
            () => client.request<Json>('POST', `/v1/import/invoices/${invoice}/line_items`, { body: edit.item }),
            async () => {
              const held = await client.request<Json>('GET', `/v1/invoices/${invoice}`, {
                query: { validation_type: 'all' },
              });
              const items = Array.isArray(held.line_items) ? (held.line_items as Json[]) : [];
              return items.find((item) => item.external_id === edit.externalId) ?? null;
            },
          );
          return;
        case 'addTransaction':
          await createOnce(
            () =>
              client.request<Json>('POST', `/v1/import/invoices/${invoice}/transactions`, { body: edit.transaction }),
            () => findByExternalId<Json>(client, target, 'transactions', edit.externalId),
          );
          return;
      }
    },

    /** Sets an invoice's status (`voided`, `written_off`) by its data source and external id (safe to repeat). */
    setInvoiceStatus: async ({ target, externalId, status }: SetInvoiceStatusInput): Promise<void> => {
      const path = `/v1/data_sources/${encodeURIComponent(target.dataSourceUuid)}/invoices/${encodeURIComponent(externalId)}/status`;
      await deps.clientFor(target.account).request('PUT', path, { body: { status } });
    },

    /** Deletes an invoice (to import its row again under the same external id); one already gone is fine. */
    deleteInvoice: async ({ target, uuid }: RecordRef): Promise<void> => {
      try {
        await deps.clientFor(target.account).request('DELETE', `/v1/invoices/${encodeURIComponent(uuid)}`);
      } catch (error) {
        if (!(error instanceof ChartMogulError && error.kind === 'notFound')) throw error;
      }
    },
  };
}
