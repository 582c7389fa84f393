// Transactions: added to their invoice once; insert only.

import type { RowToSend } from '../../src/contracts/sync-types';
import type { BillingRef, Destination } from '../../src/contracts/activities';
import { callApi } from '../../workflows/activities';
import { withParent } from '../../workflows/procedures/parents';
import {
  describeDifferences,
  RowFailed,
  type Calls,
  type Done,
  type ObjectProcedures,
} from '../../workflows/procedures/shared';

/** Adds the row's transaction to its invoice; what ChartMogul's answer or lookup found is `found`. */
async function addTransaction(
  target: Destination,
  row: RowToSend,
  calls: Calls,
  invoiceUuid: string,
): Promise<{ uuid: string; found?: BillingRef }> {
  let found: BillingRef | undefined;
  const uuid = await calls.create(async () => {
    found = await callApi('importTransaction', `add transaction ${row.key}`, { target, invoiceUuid, row });
    if (found.existed) calls.read();
    return found.uuid;
  });
  return { uuid, found };
}

function keptAsInvalid(row: RowToSend, found: BillingRef): RowFailed {
  return new RowFailed(
    `ChartMogul keeps transaction ${row.key} as invalid, out of every metric: ${found.invalid}. Correct the row and run the sync again: the invalid transaction is then replaced`,
  );
}

/** Adds the row's transaction to its invoice. One already there that holds the row is unchanged (an
 * earlier run's unrecorded write); one with other values fails: transactions are only inserted. One that
 * ChartMogul keeps as invalid counts nowhere: the row fails with its errors while it holds the row, and
 * replaces it once corrected. */
function insertTransaction(target: Destination, row: RowToSend, calls: Calls): Promise<Done> {
  return withParent('transactions', row, calls, async (invoiceUuid) => {
    const { uuid, found } = await addTransaction(target, row, calls, invoiceUuid);
    if (found?.invalid && found.holdsRow) throw keptAsInvalid(row, found);
    if (found?.invalid) {
      await calls.write(() =>
        callApi('deleteTransaction', `delete transaction ${row.key} kept as invalid`, { target, uuid: found.uuid }),
      );
      const again = await addTransaction(target, row, calls, invoiceUuid);
      if (again.found?.invalid) throw keptAsInvalid(row, again.found);
      if (again.found?.existed)
        throw new RowFailed(`transaction ${row.key} came back while it was being replaced: run the sync again`);
      calls.replaced(`deleted and added again, because ChartMogul kept it as invalid (${found.invalid})`);
      return { status: 'updated', uuid: again.uuid };
    }
    if (!found?.existed) return { status: 'created', uuid };
    if (found.holdsRow) return { status: 'unchanged', uuid };
    throw new RowFailed(
      `a transaction with external_id "${row.key}" is already in the data source with other values (${describeDifferences(found.differences ?? [])}); transactions are only inserted: correct the row or give it a new external_id`,
    );
  });
}

export const TRANSACTION_PROCEDURES: ObjectProcedures = { modes: { insert: insertTransaction } };
