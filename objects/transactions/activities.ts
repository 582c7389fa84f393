// ChartMogul transaction activities: a payment or refund added to its invoice, exactly once (a lost answer
// or a repeated key is looked up by external id and compared: ./create-once.ts).

import { createBody } from '../../src/chartmogul/payloads';
import { ChartMogulError, recordErrors } from '../../src/chartmogul/errors';
import type { BillingRef, Destination, ImportTransactionInput, RecordRef } from '../../src/contracts/activities';
import { TRANSACTIONS } from './definition';
import { fieldDifferences } from '../../src/state/diff';
import type { MappedRow } from '../../src/sync-spec/mapping';
import { createOnce, findByExternalId } from '../../activities/create-once';
import type { ActivityDependencies } from '../../activities/dependencies';

type Json = Record<string, unknown>;

const KEY_FIELDS = TRANSACTIONS.keyFields('insert');

function refOf(held: Json, row: MappedRow): BillingRef {
  const differences = fieldDifferences(row, TRANSACTIONS.remoteValues(held), KEY_FIELDS);
  const invalid = recordErrors(held);
  return { uuid: String(held.uuid), holdsRow: differences.length === 0, differences, ...(invalid ? { invalid } : {}) };
}

export function transactionActivities(deps: ActivityDependencies) {
  async function find(target: Destination, externalId: string): Promise<Json | null> {
    return findByExternalId<Json>(deps.clientFor(target.account), target, 'transactions', externalId);
  }

  return {
    /** Adds a transaction to its invoice, exactly once; one whose key was taken before this activity ran is
     * answered with `existed` and whether it holds the row. */
    importTransaction: async ({ target, invoiceUuid, row }: ImportTransactionInput): Promise<BillingRef> => {
      // The body is the row's fields but the invoice's key (createBody leaves references out).
      const { data_source_uuid: _source, ...body } = createBody('transactions', target.dataSourceUuid, row);
      const created = await createOnce(
        () =>
          deps
            .clientFor(target.account)
            .request<Json>('POST', `/v1/import/invoices/${encodeURIComponent(invoiceUuid)}/transactions`, { body }),
        () => find(target, row.key),
      );
      // A record ChartMogul keeps as invalid is told, whoever wrote it: the row fails with its errors, or replaces it.
      if (created.existed || recordErrors(created.record))
        return { ...refOf(created.record, row), ...(created.existed ? { existed: true } : {}) };
      return { uuid: String(created.record.uuid) };
    },

    /** Deletes a transaction (one ChartMogul keeps as invalid, to add the corrected row); one already gone is fine. */
    deleteTransaction: async ({ target, uuid }: RecordRef): Promise<void> => {
      try {
        await deps.clientFor(target.account).request('DELETE', `/v1/transactions/${encodeURIComponent(uuid)}`);
      } catch (error) {
        if (!(error instanceof ChartMogulError && error.kind === 'notFound')) throw error;
      }
    },
  };
}
