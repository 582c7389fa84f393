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

/** Adds the row's transaction to its invoice. One already there that holds the row is unchanged (an
 * earlier run's unrecorded write); one with other values fails: transactions are only inserted. */
function insertTransaction(target: Destination, row: RowToSend, calls: Calls): Promise<Done> {
  return withParent('transactions', row, calls, async (invoiceUuid) => {
    let found: BillingRef | undefined;
    const uuid = await calls.create(async () => {
      found = await callApi('importTransaction', `add transaction ${row.key}`, { target, invoiceUuid, row });
      if (found.existed) calls.read();
      return found.uuid;
    });
    if (!found?.existed) return { status: 'created', uuid };
    if (found.holdsRow) return { status: 'unchanged', uuid };
    throw new RowFailed(
      `a transaction with external_id "${row.key}" is already in the data source with other values (${describeDifferences(found.differences ?? [])}); transactions are only inserted: correct the row or give it a new external_id`,
    );
  });
}

export const TRANSACTION_PROCEDURES: ObjectProcedures = { modes: { insert: insertTransaction } };
