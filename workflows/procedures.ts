// The per-row procedures, one per object and mode (their whole decision table is tested in
// test/procedures.workflow.test.ts). Each returns the row's outcome; a
// ChartMogul refusal fails only that row, while an auth or data-source failure stops the whole sync.
// The state store is a cache of ChartMogul, never the truth: when ChartMogul no longer has a record the
// store knew (404: deleted or merged away behind the sync's back), the entry is forgotten and the row goes
// on as if it were new, so no row fails on every run because of stale state.

import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

import type {
  BillingRef,
  ContactRef,
  Destination,
  FieldDifference,
  InvoiceRef,
  OnDuplicate,
} from '../src/contracts/activities';
import type { RowToSend } from '../src/state/row';
import { textField } from '../src/sync-spec/mapping';
import { INVOICE_FIELDS_CHANGED_IN_PLACE } from '../src/objects/invoices';
import type { NotKept, NotKeptValues } from '../src/state/diff';
import type { SyncMode, SyncObject } from '../src/sync-spec/schema';
import { callApi } from './activities';
import { chartMogulDetailsOf, STOPS_THE_SYNC } from '../src/contracts/failures';
import type { ReportEntry, RowStatus } from '../src/contracts/sync-types';

export interface RowOutcome {
  status: RowStatus;
  /** The record's ChartMogul UUID, once ChartMogul confirmed the write (or already held the row). */
  uuid?: string;
  /** ChartMogul requests made for the row (for requests per second). */
  requests: number;
  issue?: ReportEntry;
  /** The store's entry for the row, or for its parent customer, named a record ChartMogul no longer has. */
  forgotten?: boolean;
  forgottenParent?: boolean;
  /** A `partial` row: the values ChartMogul did not keep, as sent (so the next run does not send them again). */
  notKept?: NotKeptValues;
}

/** A row the procedure itself turns away (a missing record, say): a reason, no ChartMogul error. */
class RowRejected extends Error {}

/** A row that cannot be written as it stands, though nothing is wrong with its values (a record in the way):
 * `failed`, with a reason that says what to do. */
class RowFailed extends Error {}

/** The record the store named is not (or no longer) in the sync's data source. */
class RecordGone extends Error {}

/** What a procedure may do: `read` counts a lookup; `write` and `create` count and run a change, or skip
 * it in a dry run (`create` then answers no UUID); `forget` drops the store's entry for the row or its parent;
 * `notKept` notes values a write's answer shows ChartMogul did not keep. */
interface Calls {
  /** An incremental sync compares a looked-up record with the row and skips a write that would change
   * nothing; `incremental: false` writes every row, as a plain script would. */
  readonly skipsIdenticalWrites: boolean;
  /** The sync listed the whole data source: a row the store does not know is new (no lookup needed). */
  readonly listedAll: boolean;
  /** An invoice whose line items or transactions changed is deleted and imported again (else it fails). */
  readonly replacesInvoices: boolean;
  read(): void;
  write<T>(change: () => Promise<T>): Promise<T | undefined>;
  create(change: () => Promise<string>): Promise<string>;
  forget(what: 'record' | 'parent'): void;
  notKept(found: NotKept[] | undefined): void;
  /** The row's record was deleted and created again (an invoice whose line items changed): reported. */
  replaced(what: string): void;
}

type Done = { status: 'created' | 'updated' | 'unchanged'; uuid: string };
type Procedure = (target: Destination, row: RowToSend, calls: Calls) => Promise<Done>;

/** In a dry run nothing is created, so there is no UUID to report. */
const NOT_CREATED = '';

function isNotFound(error: unknown): boolean {
  return error instanceof RecordGone || (error instanceof ActivityFailure && chartMogulFailure(error).status === 404);
}

/** Runs an action on a record the store knew. Undefined when ChartMogul no longer has it: the store's entry
 * is then forgotten and the caller carries on as if the record were unknown. */
async function onStoredRecord<T>(
  calls: Calls,
  what: 'record' | 'parent',
  action: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    if (!isNotFound(error)) throw error;
    calls.forget(what);
    return undefined;
  }
}

/** One PATCH when the customer already has every custom attribute key the row sets (PATCH changes only
 * existing keys); else a PATCH for the fields and a POST that creates the keys. */
async function updateCustomerFields(
  target: Destination,
  uuid: string,
  row: RowToSend,
  calls: Calls,
  existingKeys?: readonly string[],
): Promise<Done> {
  const patch = async (withCustom: boolean) => {
    const answer = await calls.write(() =>
      callApi('updateCustomer', `update customer ${row.key}`, { target, uuid, row, withCustom }),
    );
    // The PATCH answer names the customer's data sources: a UUID from elsewhere is not this sync's record.
    if (answer && !answer.dataSourceUuids.includes(target.dataSourceUuid))
      throw new RecordGone(`customer ${uuid} is not in data source ${target.dataSourceUuid}`);
    calls.notKept(answer?.notKept);
  };
  const oneRequest = row.custom.length > 0 && row.custom.every((attribute) => existingKeys?.includes(attribute.key));
  if (oneRequest) {
    await patch(true);
    return { status: 'updated', uuid };
  }
  if (Object.keys(row.fields).some((field) => field !== 'external_id')) await patch(false);
  if (row.custom.length > 0) {
    // Syncs started before answers were checked got no answer here.
    const answer = await calls.write(() =>
      callApi('setCustomAttributes', `set custom attributes of customer ${row.key}`, { target, uuid, row }),
    );
    calls.notKept(answer?.notKept);
  }
  return { status: 'updated', uuid };
}

/** Updates the customer the store knows for this row; undefined when it knows none, or ChartMogul no longer has it. */
async function updateStoredCustomer(target: Destination, row: RowToSend, calls: Calls): Promise<Done | undefined> {
  const { uuid } = row;
  if (!uuid) return undefined;
  return onStoredRecord(calls, 'record', () => updateCustomerFields(target, uuid, row, calls, row.attributeKeys));
}

/** Looks a customer up by external_id; given the row, the answer says whether it already holds the row. */
async function lookupCustomer(target: Destination, key: string, summary: string, calls: Calls, row?: RowToSend) {
  calls.read();
  return callApi('lookupCustomer', summary, row ? { target, externalId: key, row } : { target, externalId: key });
}

/** Looks the row's own customer up; an incremental sync also asks whether it already holds the row. */
function lookupRowCustomer(target: Destination, row: RowToSend, calls: Calls) {
  return lookupCustomer(
    target,
    row.key,
    `look up customer ${row.key}`,
    calls,
    calls.skipsIdenticalWrites ? row : undefined,
  );
}

/** Creates the row's customer; `existed` when the key was taken (see OnDuplicate), after one more lookup. */
async function createCustomer(
  target: Destination,
  row: RowToSend,
  calls: Calls,
  onDuplicate: OnDuplicate,
): Promise<{ uuid: string; existed: boolean }> {
  let existed = false;
  const uuid = await calls.create(async () => {
    const ref = await callApi('createCustomer', `create customer ${row.key}`, { target, row, onDuplicate });
    existed = ref.existed ?? false;
    if (existed) calls.read();
    else calls.notKept(ref.notKept);
    return ref.uuid;
  });
  return { uuid, existed };
}

function notFoundForUpdate(row: RowToSend): RowRejected {
  return new RowRejected(`customer not found for update: no customer with external_id "${row.key}" in the data source`);
}

/** The record a row belongs to (src/objects: `parent`): a contact's or an invoice's customer, a
 * transaction's invoice. */
interface Parent {
  object: 'customers' | 'invoices';
  /** The row's field that names it by external id. */
  field: string;
  /** The row's own record, in summaries: `contact`. */
  child: string;
}

const CUSTOMER_OF_CONTACT: Parent = { object: 'customers', field: 'customer_external_id', child: 'contact' };
const CUSTOMER_OF_INVOICE: Parent = { object: 'customers', field: 'customer_external_id', child: 'invoice' };
const INVOICE_OF_TRANSACTION: Parent = { object: 'invoices', field: 'invoice_external_id', child: 'transaction' };

async function findParent(target: Destination, row: RowToSend, calls: Calls, parent: Parent): Promise<string> {
  const key = textField(row, parent.field);
  const noun = parent.object === 'customers' ? 'customer' : 'invoice';
  const summary = `look up ${noun} ${key} for ${parent.child} ${row.key}`;
  let found: { uuid: string } | null;
  if (parent.object === 'customers') found = await lookupCustomer(target, key, summary, calls);
  else {
    calls.read();
    found = await callApi('lookupInvoice', summary, { target, externalId: key });
  }
  if (!found) throw new RowRejected(`${noun} "${key}" not found in the data source: sync ${parent.object} first`);
  return found.uuid;
}

/** Runs an action on the row's parent record: the one the store knows, else one looked up. A stored parent
 * that ChartMogul no longer has is forgotten, looked up again, and the action runs once more. */
async function withParent<T>(
  target: Destination,
  row: RowToSend,
  calls: Calls,
  parent: Parent,
  action: (parentUuid: string) => Promise<T>,
): Promise<T> {
  const stored = row.parentUuid;
  if (stored) {
    const result = await onStoredRecord(calls, 'parent', async () => ({ value: await action(stored) }));
    if (result) return result.value;
  }
  return action(await findParent(target, row, calls, parent));
}

function createContact(target: Destination, row: RowToSend, calls: Calls, parent: string): Promise<string> {
  return calls.create(async () => {
    const ref: ContactRef = await callApi('createContact', `create contact ${row.key}`, {
      target,
      customerUuid: parent,
      row,
    });
    calls.notKept(ref.notKept);
    return ref.uuid;
  });
}

async function patchContact(target: Destination, row: RowToSend, calls: Calls, uuid: string): Promise<void> {
  const answer = await calls.write(() => callApi('updateContact', `update contact ${row.key}`, { target, uuid, row }));
  calls.notKept(answer?.notKept);
}

/** Updates a contact by its UUID; false when ChartMogul no longer has it (its store entry is then forgotten). */
async function updateContact(target: Destination, row: RowToSend, calls: Calls, uuid: string): Promise<boolean> {
  const updated = await onStoredRecord(calls, 'record', async () => {
    await patchContact(target, row, calls, uuid);
    return true;
  });
  return updated ?? false;
}

/** PATCHes the plan; ChartMogul changes its name and interval in place. */
async function updatePlan(target: Destination, row: RowToSend, calls: Calls, uuid: string): Promise<Done> {
  const answer = await calls.write(() => callApi('updatePlan', `update plan ${row.key}`, { target, uuid, row }));
  calls.notKept(answer?.notKept);
  return { status: 'updated', uuid };
}

/** The plan the store knows, updated; undefined when it knows none, or ChartMogul no longer has it. */
function updateStoredPlan(target: Destination, row: RowToSend, calls: Calls): Promise<Done | undefined> {
  const { uuid } = row;
  if (!uuid) return Promise.resolve(undefined);
  return onStoredRecord(calls, 'record', () => updatePlan(target, row, calls, uuid));
}

/** Looks the row's plan up by external_id (the answer says whether it holds the row already). */
function lookupPlan(target: Destination, row: RowToSend, calls: Calls) {
  calls.read();
  return callApi('lookupPlan', `look up plan ${row.key}`, { target, externalId: row.key, row });
}

/** Creates the row's plan; one that held the key before is unchanged when it holds the row, else `taken`
 * decides (insert: failed, naming what differs; upsert: an update). */
async function createPlan(
  target: Destination,
  row: RowToSend,
  calls: Calls,
  taken: (uuid: string, differences: FieldDifference[]) => Promise<Done>,
): Promise<Done> {
  let found: BillingRef | undefined;
  const uuid = await calls.create(async () => {
    found = await callApi('createPlan', `create plan ${row.key}`, { target, row });
    if (found.existed) calls.read();
    else calls.notKept(found.notKept);
    return found.uuid;
  });
  if (!found?.existed) return { status: 'created', uuid };
  return found.holdsRow ? { status: 'unchanged', uuid } : taken(uuid, found.differences ?? []);
}

/** `name: "Gold" in ChartMogul, "Gold+" in the row` */
function describeDifferences(differences: readonly FieldDifference[]): string {
  const show = (value: unknown) => (value === null || value === undefined ? 'none' : JSON.stringify(value));
  return differences
    .map(({ field, row, chartMogul }) => `${field}: ${show(chartMogul)} in ChartMogul, ${show(row)} in the row`)
    .join('; ');
}

function planNotFoundForUpdate(row: RowToSend): RowRejected {
  return new RowRejected(`plan not found for update: no plan with external_id "${row.key}" in the data source`);
}

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
): Promise<Done> {
  let found: InvoiceRef | undefined;
  const uuid = await calls.create(async () => {
    found = await callApi('importInvoice', `import invoice ${row.key}`, { target, customerUuid, row });
    if (found.existed) calls.read();
    return found.uuid;
  });
  if (found?.missingPlans?.length) throw missingPlans(row, found.missingPlans);
  if (!found?.existed) return { status: 'created', uuid };
  return held(found);
}

/** An invoice already in the data source: unchanged when it holds the row; its date, due date or currency
 * changed in place; anything else fails with what changed, or (invoiceChanges: replace, upsert only) the
 * invoice is deleted and imported again. Never a second invoice. */
async function settleHeldInvoice(
  target: Destination,
  row: RowToSend,
  calls: Calls,
  customerUuid: string,
  found: InvoiceRef,
  mode: 'insert' | 'upsert',
): Promise<Done> {
  if (found.missingPlans?.length) throw missingPlans(row, found.missingPlans);
  if (found.holdsRow) return { status: 'unchanged', uuid: found.uuid };
  const differences = found.differences ?? [];
  const what = describeDifferences(differences);
  if (mode === 'insert')
    throw new RowFailed(
      `invoice ${row.key} is already in the data source with other values (${what}); insert mode changes no record: sync it in upsert mode`,
    );
  if (differences.every((difference) => INVOICE_FIELDS_CHANGED_IN_PLACE.includes(difference.field))) {
    await calls.write(() => callApi('updateInvoice', `update invoice ${row.key}`, { target, uuid: found.uuid, row }));
    return { status: 'updated', uuid: found.uuid };
  }
  if (!calls.replacesInvoices)
    throw new RowFailed(
      `invoice ${row.key} is already in ChartMogul with other line items or transactions (${what}); ChartMogul does not change them in place and a second invoice would double its revenue: correct the row, or set options.invoiceChanges to "replace" to delete the invoice and import the row again`,
    );
  await calls.write(() =>
    callApi('deleteInvoice', `delete invoice ${row.key} to replace it`, { target, uuid: found.uuid }),
  );
  const replaced = await importInvoice(target, row, calls, customerUuid, () =>
    Promise.reject(new RowFailed(`invoice ${row.key} came back while it was being replaced: run the sync again`)),
  );
  calls.replaced(what);
  return { status: 'updated', uuid: replaced.uuid };
}

/** Inserts or upserts an invoice on its customer: a row the store knows (changed since it was sent), or
 * one a listing did not cover, is looked up first; a new one is imported, and an import that meets its
 * key settles as above. */
function syncInvoice(target: Destination, row: RowToSend, calls: Calls, mode: 'insert' | 'upsert'): Promise<Done> {
  return withParent(target, row, calls, CUSTOMER_OF_INVOICE, async (customerUuid) => {
    if (row.uuid || !calls.listedAll) {
      calls.read();
      const found = await callApi('lookupInvoice', `look up invoice ${row.key}`, {
        target,
        externalId: row.key,
        row,
      });
      if (found) return settleHeldInvoice(target, row, calls, customerUuid, found, mode);
    }
    return importInvoice(target, row, calls, customerUuid, (held) =>
      settleHeldInvoice(target, row, calls, customerUuid, held, mode),
    );
  });
}

/** Adds the row's transaction to its invoice. One already there that holds the row is unchanged (an
 * earlier run's unrecorded write); one with other values fails: transactions are only inserted. */
function insertTransaction(target: Destination, row: RowToSend, calls: Calls): Promise<Done> {
  return withParent(target, row, calls, INVOICE_OF_TRANSACTION, async (invoiceUuid) => {
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

const PROCEDURES: Record<SyncObject, Partial<Record<SyncMode, Procedure>>> = {
  customers: {
    async insert(target, row, calls) {
      // A record with this key that already holds exactly the row's values is this sync's own earlier write
      // (a run cut short before it recorded it): unchanged. One that differs fails with ChartMogul's message.
      const { uuid, existed } = await createCustomer(target, row, calls, 'keep-if-same');
      return { status: existed ? 'unchanged' : 'created', uuid };
    },
    async update(target, row, calls) {
      const stored = await updateStoredCustomer(target, row, calls);
      if (stored) return stored;
      if (calls.listedAll && !row.uuid) throw notFoundForUpdate(row);
      const found = await lookupRowCustomer(target, row, calls);
      if (!found) throw notFoundForUpdate(row);
      if (found.holdsRow) return { status: 'unchanged', uuid: found.uuid };
      return updateCustomerFields(target, found.uuid, row, calls, Object.keys(found.custom));
    },
    async upsert(target, row, calls) {
      const stored = await updateStoredCustomer(target, row, calls);
      if (stored) return stored;
      // After a complete listing a row the store did not know is new; one it knew but ChartMogul lost is looked up.
      if (!calls.listedAll || row.uuid) {
        const found = await lookupRowCustomer(target, row, calls);
        if (found?.holdsRow) return { status: 'unchanged', uuid: found.uuid };
        if (found) return updateCustomerFields(target, found.uuid, row, calls, Object.keys(found.custom));
      }
      // Created since the listing? Then the create meets the duplicate key, finds the customer, and updates it.
      const { uuid, existed } = await createCustomer(target, row, calls, 'update');
      return existed ? updateCustomerFields(target, uuid, row, calls) : { status: 'created', uuid };
    },
  },
  contacts: {
    async insert(target, row, calls) {
      return {
        status: 'created',
        uuid: await withParent(target, row, calls, CUSTOMER_OF_CONTACT, (parent) =>
          createContact(target, row, calls, parent),
        ),
      };
    },
    async update(target, row, calls) {
      const uuid = textField(row, 'uuid') || row.key;
      if (!(await updateContact(target, row, calls, uuid)))
        throw new RowRejected(`contact not found for update: no contact with uuid "${uuid}" in ChartMogul`);
      return { status: 'updated', uuid };
    },
    async upsert(target, row, calls) {
      if (row.uuid && (await updateContact(target, row, calls, row.uuid))) return { status: 'updated', uuid: row.uuid };
      return withParent(target, row, calls, CUSTOMER_OF_CONTACT, async (parent): Promise<Done> => {
        // After a complete listing a contact the store did not know is new; one it knew but ChartMogul lost is looked for.
        let uuid: string | null = null;
        if (!calls.listedAll || row.uuid) {
          calls.read();
          const found: { uuid: string } | null = await callApi('findContactByEmail', `find contact ${row.key}`, {
            target,
            customerUuid: parent,
            email: textField(row, 'email'),
          });
          uuid = found?.uuid ?? null;
        }
        if (!uuid) return { status: 'created', uuid: await createContact(target, row, calls, parent) };
        await patchContact(target, row, calls, uuid);
        return { status: 'updated', uuid };
      });
    },
  },
  plans: {
    insert(target, row, calls) {
      // A plan that already holds the row is an earlier run's unrecorded write: unchanged. One with other
      // values is not this row's to change in insert mode: it fails with ChartMogul's refusal.
      return createPlan(target, row, calls, (_uuid, differences) =>
        Promise.reject(
          new RowFailed(
            `a plan with external_id "${row.key}" is already in the data source with other values (${describeDifferences(differences)}); insert mode changes no record: sync it in upsert or update mode to change it`,
          ),
        ),
      );
    },
    async update(target, row, calls) {
      const stored = await updateStoredPlan(target, row, calls);
      if (stored) return stored;
      if (calls.listedAll && !row.uuid) throw planNotFoundForUpdate(row);
      const found = await lookupPlan(target, row, calls);
      if (!found) throw planNotFoundForUpdate(row);
      if (found.holdsRow) return { status: 'unchanged', uuid: found.uuid };
      return updatePlan(target, row, calls, found.uuid);
    },
    async upsert(target, row, calls) {
      const stored = await updateStoredPlan(target, row, calls);
      if (stored) return stored;
      if (!calls.listedAll || row.uuid) {
        const found = await lookupPlan(target, row, calls);
        if (found?.holdsRow) return { status: 'unchanged', uuid: found.uuid };
        if (found) return updatePlan(target, row, calls, found.uuid);
      }
      return createPlan(target, row, calls, (uuid) => updatePlan(target, row, calls, uuid));
    },
  },
  invoices: {
    insert: (target, row, calls) => syncInvoice(target, row, calls, 'insert'),
    upsert: (target, row, calls) => syncInvoice(target, row, calls, 'upsert'),
  },
  transactions: { insert: insertTransaction },
};
/** The failure behind an activity error, with ChartMogul's status and message when it gave them. */
function chartMogulFailure(error: ActivityFailure): { type?: string; status?: number; message: string } {
  const cause = error.cause;
  if (cause instanceof ApplicationFailure) {
    const details = chartMogulDetailsOf(cause);
    return {
      type: cause.type ?? undefined,
      status: details?.status ?? undefined,
      message: details?.message ?? cause.message,
    };
  }
  return { message: cause?.message ?? error.message };
}

export interface RowContext {
  dryRun: boolean;
  /** The sync keeps state (options.incremental): skip writes that would change nothing. */
  incremental: boolean;
  /** The whole data source was listed into the store, so a row it did not know is new: no lookup needed. */
  listedAll: boolean;
  /** options.invoiceChanges: an invoice whose line items changed fails, or is deleted and imported again. */
  invoiceChanges?: 'fail' | 'replace';
}

/** A row ChartMogul accepted but did not wholly keep: reported with each field and why, never as synced. */
function partial(
  row: RowToSend,
  uuid: string,
  requests: number,
  notKept: NotKept[],
  forgets: Partial<RowOutcome>,
): RowOutcome {
  const issue: ReportEntry = {
    key: row.key,
    rowNumber: row.rowNumber,
    status: 'partial',
    reason: `ChartMogul did not keep ${notKept.map((entry) => entry.field).join(', ')}: ${notKept.map((entry) => entry.reason).join('; ')}`,
    notKept,
  };
  return {
    status: 'partial',
    requests,
    uuid,
    issue,
    notKept: Object.fromEntries(notKept.map((entry) => [entry.field, entry.sent])),
    ...forgets,
  };
}

export async function runRow(
  object: SyncObject,
  mode: SyncMode,
  target: Destination,
  row: RowToSend,
  context: RowContext,
): Promise<RowOutcome> {
  const { dryRun, listedAll } = context;
  let requests = 0;
  const forgotten = { record: false, parent: false };
  const notKept = new Map<string, NotKept>();
  let replacedBecause: string | undefined;
  const calls: Calls = {
    skipsIdenticalWrites: context.incremental,
    listedAll,
    replacesInvoices: context.invoiceChanges === 'replace',
    read: () => {
      requests += 1;
    },
    write: async (change) => {
      if (dryRun) return undefined;
      requests += 1;
      return change();
    },
    create: async (change) => {
      if (dryRun) return NOT_CREATED;
      requests += 1;
      return change();
    },
    forget: (what) => {
      forgotten[what] = true;
    },
    notKept: (found) => {
      for (const entry of found ?? []) notKept.set(entry.field, entry);
    },
    replaced: (what) => {
      replacedBecause = what;
    },
  };
  const forgets = () => ({
    ...(forgotten.record ? { forgotten: true } : {}),
    ...(forgotten.parent ? { forgottenParent: true } : {}),
  });
  try {
    const procedure = PROCEDURES[object][mode];
    // The spec's check refuses a mode the object does not have; a row never gets here with one.
    if (!procedure) throw new RowRejected(`${object} cannot be synced in ${mode} mode`);
    const { status, uuid } = await procedure(target, row, calls);
    if (notKept.size > 0 && status !== 'unchanged')
      return partial(row, uuid, requests, [...notKept.values()], forgets());
    if (replacedBecause !== undefined) {
      const reason = `deleted and imported again (options.invoiceChanges: replace), because ${replacedBecause}`;
      const issue: ReportEntry = { key: row.key, rowNumber: row.rowNumber, status: 'replaced', reason };
      return { status, requests, ...(uuid ? { uuid } : {}), issue, ...forgets() };
    }
    return { status, requests, ...(uuid ? { uuid } : {}), ...forgets() };
  } catch (error) {
    if (error instanceof RowRejected || error instanceof RowFailed) {
      const status = error instanceof RowRejected ? 'rejected' : 'failed';
      return {
        status,
        requests,
        issue: { key: row.key, rowNumber: row.rowNumber, status, reason: error.message },
        ...forgets(),
      };
    }
    if (error instanceof ActivityFailure) {
      const failure = chartMogulFailure(error);
      if (failure.type && STOPS_THE_SYNC.includes(failure.type)) throw error;
      const issue: ReportEntry = {
        key: row.key,
        rowNumber: row.rowNumber,
        status: 'failed',
        reason: failure.status
          ? `ChartMogul answered ${failure.status}: ${failure.message}`
          : `ChartMogul could not be reached: ${failure.message}`,
        ...(failure.status ? { chartMogulStatus: failure.status } : {}),
        chartMogulMessage: failure.message,
      };
      return { status: 'failed', requests, issue, ...forgets() };
    }
    throw error;
  }
}
