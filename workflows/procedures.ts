// The per-row procedures of DESIGN.md, one per object and mode. Each returns the row's outcome; a
// ChartMogul refusal fails only that row, while an auth or data-source failure stops the whole sync.

import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

import type { Destination } from '../activities/customers';
import type { MappedRow } from '../src/spec/mapping';
import type { SyncMode, SyncObject } from '../src/spec/schema';
import { callApi } from './activities';
import { FAILURE_TYPES } from './names';
import type { ReportEntry, RowStatus } from './sync-types';

export interface RowOutcome {
  status: RowStatus;
  /** The record's ChartMogul UUID, once ChartMogul confirmed the write. */
  uuid?: string;
  /** ChartMogul requests made for the row (for requests per second). */
  requests: number;
  issue?: ReportEntry;
}

/** A row the procedure itself turns away (a missing record, say): a reason, no ChartMogul error. */
class RowRejected extends Error {}

/** What a procedure may do: `read` counts a lookup; `write` and `create` count and run a change, or skip
 * it in a dry run (`create` then answers no UUID). */
interface Calls {
  read(): void;
  write(change: () => Promise<unknown>): Promise<void>;
  create(change: () => Promise<string>): Promise<string>;
}

type Done = { status: 'created' | 'updated'; uuid: string };
type Procedure = (target: Destination, row: MappedRow, calls: Calls) => Promise<Done>;

/** In a dry run nothing is created, so there is no UUID to report. */
const NOT_CREATED = '';

/** One PATCH when the customer already has every custom attribute key the row sets (PATCH changes only
 * existing keys); else a PATCH for the fields and a POST that creates the keys. */
async function updateCustomerFields(target: Destination, uuid: string, row: MappedRow, calls: Calls, existingKeys?: readonly string[]): Promise<Done> {
  const oneRequest = row.custom.length > 0 && row.custom.every((attribute) => existingKeys?.includes(attribute.key));
  if (oneRequest) {
    await calls.write(() => callApi('updateCustomer', `update customer ${row.key}`, target, uuid, row, true));
    return { status: 'updated', uuid };
  }
  if (Object.keys(row.fields).some((field) => field !== 'external_id')) {
    await calls.write(() => callApi('updateCustomer', `update customer ${row.key}`, target, uuid, row));
  }
  if (row.custom.length > 0) {
    await calls.write(() => callApi('setCustomAttributes', `set custom attributes of customer ${row.key}`, target, uuid, row));
  }
  return { status: 'updated', uuid };
}

async function findParent(target: Destination, row: MappedRow, calls: Calls): Promise<string> {
  if (row.parentUuid) return row.parentUuid;
  const parentKey = row.fields.customer_external_id ?? '';
  calls.read();
  const parent = await callApi('lookupCustomer', `look up customer ${parentKey} for contact ${row.key}`, target, parentKey);
  if (!parent) throw new RowRejected(`customer "${parentKey}" not found in the data source: sync customers first`);
  return parent.uuid;
}

const PROCEDURES: Record<SyncObject, Record<SyncMode, Procedure>> = {
  customers: {
    async insert(target, row, calls) {
      return { status: 'created', uuid: await calls.create(() => callApi('createCustomer', `create customer ${row.key}`, target, row).then((ref) => ref.uuid)) };
    },
    async update(target, row, calls) {
      if (row.known) return updateCustomerFields(target, row.known, row, calls, row.knownAttributeKeys);
      if (row.listedAll) throw new RowRejected(`customer not found for update: no customer with external_id "${row.key}" in the data source`);
      calls.read();
      const found = await callApi('lookupCustomer', `look up customer ${row.key}`, target, row.key);
      if (!found) throw new RowRejected(`customer not found for update: no customer with external_id "${row.key}" in the data source`);
      return updateCustomerFields(target, found.uuid, row, calls, Object.keys(found.custom));
    },
    async upsert(target, row, calls) {
      if (row.known) return updateCustomerFields(target, row.known, row, calls, row.knownAttributeKeys);
      if (!row.listedAll) {
        calls.read();
        const found = await callApi('lookupCustomer', `look up customer ${row.key}`, target, row.key);
        if (found) return updateCustomerFields(target, found.uuid, row, calls, Object.keys(found.custom));
      }
      // Created since the listing? Then the create meets the duplicate key, finds the customer, and updates it.
      let existed = false;
      const uuid = await calls.create(async () => {
        const ref = await callApi('createCustomer', `create customer ${row.key}`, target, row, 'update');
        existed = ref.existed ?? false;
        if (existed) calls.read();
        return ref.uuid;
      });
      return existed ? updateCustomerFields(target, uuid, row, calls) : { status: 'created', uuid };
    },
  },
  contacts: {
    async insert(target, row, calls) {
      const parent = await findParent(target, row, calls);
      return { status: 'created', uuid: await calls.create(() => callApi('createContact', `create contact ${row.key}`, target, parent, row)) };
    },
    async update(target, row, calls) {
      const uuid = row.fields.uuid ?? row.key;
      await calls.write(() => callApi('updateContact', `update contact ${row.key}`, target, uuid, row));
      return { status: 'updated', uuid };
    },
    async upsert(target, row, calls) {
      let existing = row.known ?? null;
      if (!existing) {
        const parent = await findParent(target, row, calls);
        if (!row.listedAll) {
          calls.read();
          existing = await callApi('findContactByEmail', `find contact ${row.key}`, target, parent, row.fields.email ?? '');
        }
        if (!existing) return { status: 'created', uuid: await calls.create(() => callApi('createContact', `create contact ${row.key}`, target, parent, row)) };
      }
      const uuid = existing;
      await calls.write(() => callApi('updateContact', `update contact ${row.key}`, target, uuid, row));
      return { status: 'updated', uuid };
    },
  },
};

/** The failure behind an activity error, with ChartMogul's status and message when it gave them. */
function chartMogulFailure(error: ActivityFailure): { type?: string; status?: number; message: string } {
  const cause = error.cause;
  if (cause instanceof ApplicationFailure) {
    const detail = cause.details?.[0] as { status?: number | null; message?: string } | undefined;
    return { type: cause.type ?? undefined, status: detail?.status ?? undefined, message: detail?.message ?? cause.message };
  }
  return { message: cause?.message ?? error.message };
}

const STOPS_THE_SYNC: readonly string[] = [FAILURE_TYPES.auth, FAILURE_TYPES.dataSourceNotFound, FAILURE_TYPES.credentials];

export interface RowContext {
  dryRun: boolean;
  /** The whole data source was listed into the store, so a row it did not know is new: no lookup needed. */
  listedAll: boolean;
}

export async function runRow(object: SyncObject, mode: SyncMode, target: Destination, row: MappedRow, context: RowContext): Promise<RowOutcome> {
  const { dryRun, listedAll } = context;
  let requests = 0;
  const calls: Calls = {
    read: () => { requests += 1; },
    write: async (change) => {
      if (dryRun) return;
      requests += 1;
      await change();
    },
    create: async (change) => {
      if (dryRun) return NOT_CREATED;
      requests += 1;
      return change();
    },
  };
  try {
    const { status, uuid } = await PROCEDURES[object][mode](target, { ...row, listedAll }, calls);
    return { status, requests, ...(uuid ? { uuid } : {}) };
  } catch (error) {
    if (error instanceof RowRejected) {
      return { status: 'rejected', requests, issue: { key: row.key, rowNumber: row.rowNumber, status: 'rejected', reason: error.message } };
    }
    if (error instanceof ActivityFailure) {
      const failure = chartMogulFailure(error);
      if (failure.type && STOPS_THE_SYNC.includes(failure.type)) throw error;
      const issue: ReportEntry = {
        key: row.key, rowNumber: row.rowNumber, status: 'failed',
        reason: failure.status ? `ChartMogul answered ${failure.status}: ${failure.message}` : `ChartMogul could not be reached: ${failure.message}`,
        ...(failure.status ? { chartMogulStatus: failure.status } : {}),
        chartMogulMessage: failure.message,
      };
      return { status: 'failed', requests, issue };
    }
    throw error;
  }
}
