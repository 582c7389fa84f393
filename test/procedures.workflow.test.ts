// The procedures' decision table, fast: the real page workflow on a real Temporal dev server, with the
// ChartMogul activities stubbed by an in-memory account (no emulator, no HTTP). Every object × mode ×
// known to the store or not × after a complete listing or not × in ChartMogul or not × live or dry run,
// with the row's outcome and the ChartMogul calls it made, in order.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ApplicationFailure } from '@temporalio/activity';
import { NativeConnection, Worker } from '@temporalio/worker';

import type { FieldDifference, NotKeptAnswer, RowToSend } from '../src/contracts/sync-types';
import type {
  BillingRef,
  CreateContactInput,
  CreateCustomerInput,
  CreateRecordInput,
  FindContactByExternalIdInput,
  FindContactInput,
  ImportInvoiceInput,
  ImportTransactionInput,
  InvoiceRef,
  LookupByKeyInput,
  LookupCustomerInput,
  CompareRecordInput,
  RecordRef,
  RecordWriteInput,
  UpdateCustomerInput,
} from '../src/contracts/activities';
import { textField } from '../src/sync-spec/mapping';
import { SYNC_OBJECTS } from '../src/objects';
import type { SyncMode, SyncObject } from '../src/sync-spec/schema';
import { workflowBundle } from '../src/worker/bundle';
import { TASK_QUEUES } from '../src/contracts/names';
import { FAILURE_TYPES } from '../src/contracts/failures';
import type { PageInput, PageResult } from '../workflows/page';
import { startTestTemporal, TEST_DATA_SOURCE, type TestTemporal } from './helpers/temporal';

type Case = { known: boolean; listed: boolean; found: boolean };

type Expected = [status: string, calls: string];

/** `object mode known|new listed|unlisted found|missing` → live outcome and calls, dry-run outcome and calls. */
const TABLE: Record<string, { live: Expected; dry: Expected }> = {
  'customers insert known listed found': { live: ['failed', 'createCustomer'], dry: ['created', ''] },
  'customers insert known listed missing': { live: ['created', 'createCustomer'], dry: ['created', ''] },
  'customers insert known unlisted found': { live: ['failed', 'createCustomer'], dry: ['created', ''] },
  'customers insert known unlisted missing': { live: ['created', 'createCustomer'], dry: ['created', ''] },
  'customers insert new listed found': { live: ['failed', 'createCustomer'], dry: ['created', ''] },
  'customers insert new listed missing': { live: ['created', 'createCustomer'], dry: ['created', ''] },
  'customers insert new unlisted found': { live: ['failed', 'createCustomer'], dry: ['created', ''] },
  'customers insert new unlisted missing': { live: ['created', 'createCustomer'], dry: ['created', ''] },

  'customers update known listed found': { live: ['updated', 'updateCustomer'], dry: ['updated', 'compareRecord'] },
  'customers update known listed missing': {
    live: ['rejected', 'updateCustomer lookupCustomer'],
    dry: ['rejected', 'compareRecord'],
  },
  'customers update known unlisted found': { live: ['updated', 'updateCustomer'], dry: ['updated', 'compareRecord'] },
  'customers update known unlisted missing': {
    live: ['rejected', 'updateCustomer lookupCustomer'],
    dry: ['rejected', 'compareRecord'],
  },
  'customers update new listed found': { live: ['rejected', ''], dry: ['rejected', ''] },
  'customers update new listed missing': { live: ['rejected', ''], dry: ['rejected', ''] },
  'customers update new unlisted found': {
    live: ['updated', 'lookupCustomer updateCustomer'],
    dry: ['updated', 'lookupCustomer'],
  },
  'customers update new unlisted missing': {
    live: ['rejected', 'lookupCustomer'],
    dry: ['rejected', 'lookupCustomer'],
  },

  'customers upsert known listed found': { live: ['updated', 'updateCustomer'], dry: ['updated', 'compareRecord'] },
  'customers upsert known listed missing': {
    live: ['created', 'updateCustomer lookupCustomer createCustomer'],
    dry: ['created', 'compareRecord'],
  },
  'customers upsert known unlisted found': { live: ['updated', 'updateCustomer'], dry: ['updated', 'compareRecord'] },
  'customers upsert known unlisted missing': {
    live: ['created', 'updateCustomer lookupCustomer createCustomer'],
    dry: ['created', 'compareRecord'],
  },
  'customers upsert new listed found': { live: ['updated', 'createCustomer updateCustomer'], dry: ['created', ''] },
  'customers upsert new listed missing': { live: ['created', 'createCustomer'], dry: ['created', ''] },
  'customers upsert new unlisted found': {
    live: ['updated', 'lookupCustomer updateCustomer'],
    dry: ['updated', 'lookupCustomer'],
  },
  'customers upsert new unlisted missing': {
    live: ['created', 'lookupCustomer createCustomer'],
    dry: ['created', 'lookupCustomer'],
  },

  'contacts insert known listed found': { live: ['created', 'createContact'], dry: ['created', ''] },
  'contacts insert known listed missing': { live: ['created', 'createContact'], dry: ['created', ''] },
  'contacts insert known unlisted found': { live: ['created', 'createContact'], dry: ['created', ''] },
  'contacts insert known unlisted missing': { live: ['created', 'createContact'], dry: ['created', ''] },
  'contacts insert new listed found': { live: ['created', 'createContact'], dry: ['created', ''] },
  'contacts insert new listed missing': { live: ['created', 'createContact'], dry: ['created', ''] },
  'contacts insert new unlisted found': { live: ['created', 'createContact'], dry: ['created', ''] },
  'contacts insert new unlisted missing': { live: ['created', 'createContact'], dry: ['created', ''] },

  'contacts update known listed found': { live: ['updated', 'updateContact'], dry: ['updated', 'compareRecord'] },
  'contacts update known listed missing': { live: ['rejected', 'updateContact'], dry: ['rejected', 'compareRecord'] },
  'contacts update known unlisted found': { live: ['updated', 'updateContact'], dry: ['updated', 'compareRecord'] },
  'contacts update known unlisted missing': { live: ['rejected', 'updateContact'], dry: ['rejected', 'compareRecord'] },
  'contacts update new listed found': { live: ['updated', 'updateContact'], dry: ['updated', 'compareRecord'] },
  'contacts update new listed missing': { live: ['rejected', 'updateContact'], dry: ['rejected', 'compareRecord'] },
  'contacts update new unlisted found': { live: ['updated', 'updateContact'], dry: ['updated', 'compareRecord'] },
  'contacts update new unlisted missing': { live: ['rejected', 'updateContact'], dry: ['rejected', 'compareRecord'] },

  'contacts upsert known listed found': { live: ['updated', 'updateContact'], dry: ['updated', 'compareRecord'] },
  'contacts upsert known listed missing': {
    live: ['created', 'updateContact findContactByEmail createContact'],
    dry: ['created', 'compareRecord'],
  },
  'contacts upsert known unlisted found': { live: ['updated', 'updateContact'], dry: ['updated', 'compareRecord'] },
  'contacts upsert known unlisted missing': {
    live: ['created', 'updateContact findContactByEmail createContact'],
    dry: ['created', 'compareRecord'],
  },
  'contacts upsert new listed found': { live: ['created', 'createContact'], dry: ['created', ''] },
  'contacts upsert new listed missing': { live: ['created', 'createContact'], dry: ['created', ''] },
  'contacts upsert new unlisted found': {
    live: ['updated', 'findContactByEmail updateContact'],
    dry: ['updated', 'findContactByEmail compareRecord'],
  },
  'contacts upsert new unlisted missing': {
    live: ['created', 'findContactByEmail createContact'],
    dry: ['created', 'findContactByEmail'],
  },
};

// Plans decide as customers do: one record per external id in the data source, changed in place by PATCH,
// and in insert mode a plan already there with other values fails.
for (const [name, outcomes] of Object.entries(TABLE)) {
  if (!name.startsWith('customers ')) continue;
  const asPlan = ([status, calls]: Expected): Expected => [status, calls.replace(/Customer\b/g, 'Plan')];
  TABLE[name.replace('customers', 'plans')] = { live: asPlan(outcomes.live), dry: asPlan(outcomes.dry) };
}
// Contacts keyed by their own external_id (options.contactKey) decide as plans do, found among their customer's
// contacts.
const AS_CONTACT_BY_ID: Record<string, string> = {
  lookupPlan: 'findContactByExternalId',
  createPlan: 'createContact',
  updatePlan: 'updateContact',
};
const KEYED_CONTACTS: Record<string, { live: Expected; dry: Expected }> = {};
for (const [name, outcomes] of Object.entries(TABLE)) {
  if (!name.startsWith('plans ')) continue;
  const asContact = ([status, calls]: Expected): Expected => [
    status,
    calls.replace(/\w+Plan\b/g, (call) => AS_CONTACT_BY_ID[call] ?? call),
  ];
  KEYED_CONTACTS[name.replace('plans', 'contacts')] = { live: asContact(outcomes.live), dry: asContact(outcomes.dry) };
}

// Subscription events decide as plans do (one per external id in the data source, changed in place).
for (const [name, outcomes] of Object.entries(TABLE)) {
  if (!name.startsWith('plans ')) continue;
  const asEvent = ([status, calls]: Expected): Expected => [status, calls.replace(/Plan\b/g, 'SubscriptionEvent')];
  TABLE[name.replace('plans', 'subscription_events')] = { live: asEvent(outcomes.live), dry: asEvent(outcomes.dry) };
}

// Invoices: the account's invoice differs from the row in a line item (which ChartMogul does not change in
// place), and the spec keeps the default invoiceChanges "fail": an invoice already there fails, in either
// mode, and is never imported twice. A row the store knows, or one a listing did not cover, is looked up
// first (also in a dry run: reads are made); a new row after a listing is imported at once.
for (const mode of ['insert', 'upsert'] as const) {
  for (const known of ['known', 'new'] as const) {
    for (const listed of ['listed', 'unlisted'] as const) {
      const looksUp = known === 'known' || listed === 'unlisted';
      TABLE[`invoices ${mode} ${known} ${listed} found`] = looksUp
        ? { live: ['failed', 'lookupInvoice'], dry: ['failed', 'lookupInvoice'] }
        : { live: ['failed', 'importInvoice'], dry: ['created', ''] };
      TABLE[`invoices ${mode} ${known} ${listed} missing`] = looksUp
        ? { live: ['created', 'lookupInvoice importInvoice'], dry: ['created', 'lookupInvoice'] }
        : { live: ['created', 'importInvoice'], dry: ['created', ''] };
      // Transactions are only inserted: the add meets one already there (other values: failed).
      TABLE[`transactions insert ${known} ${listed} found`] = {
        live: ['failed', 'importTransaction'],
        dry: ['created', ''],
      };
      TABLE[`transactions insert ${known} ${listed} missing`] = {
        live: ['created', 'importTransaction'],
        dry: ['created', ''],
      };
    }
  }
}
// A mode the object does not have never reaches a procedure (the spec refuses it); if it did, the row is
// rejected without a request.
for (const [object, mode] of [
  ['invoices', 'update'],
  ['transactions', 'update'],
  ['transactions', 'upsert'],
] as const)
  for (const known of ['known', 'new'])
    for (const listed of ['listed', 'unlisted'])
      for (const found of ['found', 'missing'])
        TABLE[`${object} ${mode} ${known} ${listed} ${found}`] = { live: ['rejected', ''], dry: ['rejected', ''] };

const PARENT = 'cus_parent';

/** A customer or contact ChartMogul holds, keyed by external_id (customers) or email (contacts). */
interface Held {
  uuid: string;
  name: string;
  /** ChartMogul keeps the record as invalid, with these errors (and it holds the row's values or not). */
  invalid?: { errors: string; holdsRow: boolean };
}

/** Activities answer promises; these stubs answer at once (or fail as ChartMogul would). */
function asActivity<I, R>(stub: (input: I) => R): (input: I) => Promise<R> {
  return (input) => Promise.resolve().then(() => stub(input));
}

const LINE_ITEM_CHANGED = { field: 'line_items[1].amount_in_cents', row: 1200, chartMogul: 1000 };

/** An in-memory ChartMogul account, and every call each row's activities made. */
class StubAccount {
  readonly customers = new Map<string, Held>();
  readonly contacts = new Map<string, Held>();
  readonly plans = new Map<string, Held>();
  readonly invoices = new Map<string, Held>();
  readonly transactions = new Map<string, Held>();
  readonly subscription_events = new Map<string, Held>();
  readonly calls = new Map<string, string[]>();
  /** Rows whose writes answer that ChartMogul did not keep their name. */
  readonly nameNotKept = new Set<string>();
  private next = 0;

  note(key: string, call: string): void {
    this.calls.set(key, [...(this.calls.get(key) ?? []), call]);
  }

  newUuid(prefix: string): string {
    this.next += 1;
    return `${prefix}_${String(this.next).padStart(8, '0')}`;
  }

  /** ChartMogul's refusal, as the activity wrapper classifies it. */
  static refusal(status: 404 | 422, message: string): ApplicationFailure {
    return ApplicationFailure.create({
      message,
      type: FAILURE_TYPES.refused,
      nonRetryable: true,
      details: [{ status, message }],
    });
  }

  private byUuid(map: Map<string, Held>, uuid: string): Held | undefined {
    return [...map.values()].find((held) => held.uuid === uuid);
  }

  /** The lookup, create and update of an object keyed by external id (plans, subscription events). */
  private keyedRecord(noun: 'Plan' | 'SubscriptionEvent', held: Map<string, Held>, prefix: string) {
    return {
      [`lookup${noun}`]: asActivity(({ externalId, row }: LookupByKeyInput): BillingRef | null => {
        this.note(externalId, `lookup${noun}`);
        const record = held.get(externalId);
        if (!record) return null;
        const differences = row ? [{ field: 'name', row: textField(row, 'name'), chartMogul: record.name }] : undefined;
        return { uuid: record.uuid, holdsRow: false, ...(differences ? { differences } : {}) };
      }),
      [`create${noun}`]: asActivity(({ row }: CreateRecordInput): BillingRef => {
        this.note(row.key, `create${noun}`);
        const record = held.get(row.key);
        if (record)
          return {
            uuid: record.uuid,
            existed: true,
            holdsRow: false,
            differences: [{ field: 'name', row: textField(row, 'name'), chartMogul: record.name }],
          };
        const uuid = this.newUuid(prefix);
        held.set(row.key, { uuid, name: textField(row, 'name') });
        return { uuid };
      }),
      [`update${noun}`]: asActivity(({ uuid, row }: RecordWriteInput) => {
        this.note(row.key, `update${noun}`);
        if (!this.byUuid(held, uuid)) throw StubAccount.refusal(404, `${noun} not found`);
        return {};
      }),
    };
  }

  activities() {
    return {
      lookupCustomer: asActivity(({ externalId, row }: LookupCustomerInput) => {
        this.note(externalId, 'lookupCustomer');
        const held = this.customers.get(externalId);
        if (!held) return null;
        const differences = row ? [{ field: 'name', row: textField(row, 'name'), chartMogul: held.name }] : undefined;
        return { uuid: held.uuid, custom: {}, holdsRow: false, ...(differences ? { differences } : {}) };
      }),
      compareRecord: asActivity(({ object, uuid, row }: CompareRecordInput): FieldDifference[] | null => {
        this.note(row.key, 'compareRecord');
        const held = this.byUuid(this[object], uuid);
        const field = object === 'contacts' ? 'first_name' : 'name';
        return held ? [{ field, row: textField(row, field), chartMogul: held.name }] : null;
      }),
      createCustomer: asActivity(({ row, onDuplicate }: CreateCustomerInput) => {
        this.note(row.key, 'createCustomer');
        const held = this.customers.get(row.key);
        if (held && onDuplicate === 'update') return { uuid: held.uuid, custom: {}, existed: true };
        if (held) throw StubAccount.refusal(422, 'The external ID for this customer already exists in our system.');
        const uuid = this.newUuid('cus');
        this.customers.set(row.key, { uuid, name: textField(row, 'name') });
        if (!this.nameNotKept.has(row.key)) return { uuid, custom: {} };
        const notKept: NotKeptAnswer = {
          field: 'name',
          row: textField(row, 'name'),
          chartMogul: 'Kept',
          reason: 'ChartMogul kept "Kept"',
        };
        return { uuid, custom: {}, notKept: [notKept] };
      }),
      updateCustomer: asActivity(({ uuid, row }: UpdateCustomerInput) => {
        this.note(row.key, 'updateCustomer');
        if (!this.byUuid(this.customers, uuid)) throw StubAccount.refusal(404, `Customer "${uuid}" does not exist`);
        return { dataSourceUuids: [TEST_DATA_SOURCE] };
      }),
      setCustomAttributes: asActivity(({ row }: RecordWriteInput) => {
        this.note(row.key, 'setCustomAttributes');
        return {};
      }),
      findContactByEmail: asActivity(({ email }: FindContactInput) => {
        const key = `C/${email}`;
        this.note(key, 'findContactByEmail');
        const held = this.contacts.get(key);
        return held ? { uuid: held.uuid } : null;
      }),
      findContactByExternalId: asActivity(({ externalId, row }: FindContactByExternalIdInput): BillingRef | null => {
        this.note(externalId, 'findContactByExternalId');
        const held = this.contacts.get(externalId);
        if (!held) return null;
        const differences = row
          ? [{ field: 'first_name', row: textField(row, 'first_name'), chartMogul: held.name }]
          : [];
        return { uuid: held.uuid, holdsRow: false, differences };
      }),
      createContact: asActivity(({ row, keyedBy }: CreateContactInput): BillingRef => {
        this.note(row.key, 'createContact');
        const held = keyedBy === 'external_id' ? this.contacts.get(row.key) : undefined;
        if (held)
          return {
            uuid: held.uuid,
            existed: true,
            holdsRow: false,
            differences: [{ field: 'first_name', row: textField(row, 'first_name'), chartMogul: held.name }],
          };
        const uuid = this.newUuid('con');
        this.contacts.set(row.key, { uuid, name: textField(row, 'first_name') });
        return { uuid };
      }),
      updateContact: asActivity(({ uuid, row }: RecordWriteInput) => {
        this.note(row.key, 'updateContact');
        if (!this.byUuid(this.contacts, uuid)) throw StubAccount.refusal(404, `Contact "${uuid}" does not exist`);
        return {};
      }),
      lookupInvoice: asActivity(({ externalId, row }: LookupByKeyInput): InvoiceRef | null => {
        this.note(externalId, 'lookupInvoice');
        const held = this.invoices.get(externalId);
        if (!held) return null;
        return row ? { uuid: held.uuid, holdsRow: false, differences: [LINE_ITEM_CHANGED] } : { uuid: held.uuid };
      }),
      importInvoice: asActivity(({ row }: ImportInvoiceInput): InvoiceRef => {
        this.note(row.key, 'importInvoice');
        const held = this.invoices.get(row.key);
        if (held) return { uuid: held.uuid, existed: true, holdsRow: false, differences: [LINE_ITEM_CHANGED] };
        const uuid = this.newUuid('inv');
        this.invoices.set(row.key, { uuid, name: '' });
        return { uuid };
      }),
      importTransaction: asActivity(({ row }: ImportTransactionInput): BillingRef => {
        this.note(row.key, 'importTransaction');
        const held = this.transactions.get(row.key);
        if (held?.invalid)
          return { uuid: held.uuid, existed: true, holdsRow: held.invalid.holdsRow, invalid: held.invalid.errors };
        if (held) return { uuid: held.uuid, existed: true, holdsRow: false, differences: [LINE_ITEM_CHANGED] };
        const uuid = this.newUuid('tr');
        this.transactions.set(row.key, { uuid, name: '' });
        return { uuid };
      }),
      deleteTransaction: asActivity(({ uuid }: RecordRef) => {
        const [key] = [...this.transactions].find(([, held]) => held.uuid === uuid) ?? [];
        if (key === undefined) return;
        this.note(key, 'deleteTransaction');
        this.transactions.delete(key);
      }),
      ...this.keyedRecord('Plan', this.plans, 'pl'),
      ...this.keyedRecord('SubscriptionEvent', this.subscription_events, 'ev'),
    };
  }
}

function caseName(object: SyncObject, mode: SyncMode, { known, listed, found }: Case): string {
  return `${object} ${mode} ${known ? 'known' : 'new'} ${listed ? 'listed' : 'unlisted'} ${found ? 'found' : 'missing'}`;
}

/** The row of a case, and what the account holds for it beforehand. */
function rowFor(
  account: StubAccount,
  object: SyncObject,
  mode: SyncMode,
  index: number,
  { known, found }: Case,
): RowToSend {
  if (object === 'customers' || object === 'plans' || object === 'subscription_events') {
    const key = `K${index}`;
    const uuid = account.newUuid({ customers: 'cus', plans: 'pl', subscription_events: 'ev' }[object]);
    if (found) account[object].set(key, { uuid, name: 'Old name' });
    return {
      key,
      rowNumber: index + 1,
      fields: { external_id: key, name: 'New name' },
      custom: [],
      ...(known ? { uuid } : {}),
    };
  }
  if (object === 'invoices' || object === 'transactions') {
    const key = `${object === 'invoices' ? 'INV' : 'TR'}${index}`;
    const uuid = account.newUuid(object === 'invoices' ? 'inv' : 'tr');
    if (found) account[object].set(key, { uuid, name: '' });
    const reference: Record<string, string> =
      object === 'invoices' ? { customer_external_id: 'C' } : { invoice_external_id: 'INV-P' };
    return {
      key,
      rowNumber: index + 1,
      fields: { external_id: key, ...reference },
      custom: [],
      parentUuid: object === 'invoices' ? PARENT : 'inv_parent',
      ...(known ? { uuid } : {}),
    };
  }
  const email = `p${index}@example.com`;
  const uuid = account.newUuid('con');
  // Update mode keys a contact by its ChartMogul UUID; the others by customer and email.
  const key = mode === 'update' ? uuid : `C/${email}`;
  if (found) account.contacts.set(key, { uuid, name: 'Old' });
  return {
    key,
    rowNumber: index + 1,
    fields: { customer_external_id: 'C', email, first_name: 'New', ...(mode === 'update' ? { uuid } : {}) },
    custom: [],
    parentUuid: PARENT,
    ...(known ? { uuid } : {}),
  };
}

let temporal: TestTemporal;
let account: StubAccount;
let stop: () => Promise<void>;

before(async () => {
  temporal = await startTestTemporal();
  account = new StubAccount();
  const connection = await NativeConnection.connect({ address: temporal.server.address });
  const workflows = await Worker.create({
    connection,
    namespace: temporal.server.namespace,
    taskQueue: TASK_QUEUES.io,
    workflowBundle: await workflowBundle(),
  });
  const api = await Worker.create({
    connection,
    namespace: temporal.server.namespace,
    taskQueue: TASK_QUEUES.api,
    activities: account.activities(),
  });
  const running = Promise.all([workflows.run(), api.run()]);
  stop = async () => {
    workflows.shutdown();
    api.shutdown();
    await running;
    await connection.close();
  };
});

after(async () => {
  await stop?.();
  await temporal?.stop();
});

/** Runs one page workflow to its end, every row one at a time. */
function runPage(
  workflowId: string,
  input: Pick<PageInput, 'object' | 'mode' | 'dryRun' | 'listedAll' | 'rows' | 'contactKey'>,
): Promise<PageResult> {
  return temporal.client.workflow.execute<(input: PageInput) => Promise<PageResult>>('pageWorkflow', {
    taskQueue: TASK_QUEUES.io,
    workflowId,
    args: [
      {
        ...input,
        incremental: true,
        paused: false,
        concurrency: 1,
        rejected: [],
        target: { account: 'default', dataSourceUuid: TEST_DATA_SOURCE },
      },
    ],
  });
}

/** The one status a one-row page's totals count. */
function statusOf(result: PageResult): string {
  const counted = Object.entries(result.totals).filter(([status, count]) => status !== 'read' && count === 1);
  assert.equal(counted.length, 1, JSON.stringify(result.totals));
  return counted[0]?.[0] ?? '';
}

test(
  'every object × mode × known × listed × found × dry run ends as the table says, with its calls',
  { timeout: 120_000 },
  async () => {
    const runs: Promise<void>[] = [];
    let index = 0;
    for (const object of SYNC_OBJECTS) {
      for (const mode of ['insert', 'update', 'upsert'] as const) {
        for (const known of [true, false]) {
          for (const listed of [true, false]) {
            for (const found of [true, false]) {
              for (const dryRun of [false, true]) {
                const name = caseName(object, mode, { known, listed, found });
                const expected = TABLE[name]?.[dryRun ? 'dry' : 'live'];
                assert.ok(expected, `no expectation for ${name}`);
                // One page per case, so its totals name the row's outcome.
                const row = rowFor(account, object, mode, index++, { known, listed, found });
                runs.push(
                  runPage(`decision-${index}`, { object, mode, dryRun, listedAll: listed, rows: [row] }).then(
                    (result) => {
                      const calls = (account.calls.get(row.key) ?? []).join(' ');
                      assert.deepEqual([statusOf(result), calls], expected, `${name}${dryRun ? ' (dry run)' : ''}`);
                    },
                  ),
                );
              }
            }
          }
        }
      }
    }
    await Promise.all(runs);
    assert.equal(runs.length, 288, 'every combination ran');
  },
);

test('contacts keyed by their own external_id: every mode × known × listed × found × dry run ends as the table says', async () => {
  const runs: Promise<void>[] = [];
  let index = 5_000;
  for (const mode of ['insert', 'update', 'upsert'] as const)
    for (const known of [true, false])
      for (const listed of [true, false])
        for (const found of [true, false])
          for (const dryRun of [false, true]) {
            const name = caseName('contacts', mode, { known, listed, found });
            const expected = KEYED_CONTACTS[name]?.[dryRun ? 'dry' : 'live'];
            assert.ok(expected, `no expectation for ${name}`);
            const key = `XK${index++}`;
            const uuid = account.newUuid('con');
            if (found) account.contacts.set(key, { uuid, name: 'Old' });
            const row: RowToSend = {
              key,
              rowNumber: 1,
              fields: { external_id: key, customer_external_id: 'C', first_name: 'New' },
              custom: [],
              parentUuid: PARENT,
              ...(known ? { uuid } : {}),
            };
            runs.push(
              runPage(`keyed-contact-${index}`, {
                object: 'contacts',
                mode,
                dryRun,
                listedAll: listed,
                rows: [row],
                contactKey: 'external_id',
              }).then((result) => {
                const calls = (account.calls.get(key) ?? []).join(' ');
                assert.deepEqual([statusOf(result), calls], expected, `${name}${dryRun ? ' (dry run)' : ''}`);
              }),
            );
          }
  await Promise.all(runs);
  assert.equal(runs.length, 48);
});

test('a value ChartMogul did not keep makes the row partial, reported in the documented words', async () => {
  const row = {
    ...rowFor(account, 'customers', 'insert', 1000, { known: false, listed: false, found: false }),
    hash: 'h',
  };
  account.nameNotKept.add(row.key);
  const result = await runPage('name-not-kept', {
    object: 'customers',
    mode: 'insert',
    dryRun: false,
    listedAll: false,
    rows: [row],
  });
  assert.deepEqual(
    result.issues.map(({ status, notKept }) => ({ status, notKept })),
    [
      {
        status: 'partial',
        notKept: [{ field: 'name', sent: 'New name', kept: 'Kept', reason: 'ChartMogul kept "Kept"' }],
      },
    ],
  );
  assert.deepEqual(
    result.sent.map((sent) => sent.notKept),
    [{ name: 'New name' }],
    'the state store learns the value not kept',
  );
});

test('a transaction ChartMogul keeps as invalid fails with its errors while it holds the row, and is replaced once the row differs', async () => {
  const outcomes: Record<string, unknown>[] = [];
  for (const holdsRow of [true, false]) {
    const row = rowFor(account, 'transactions', 'insert', holdsRow ? 1001 : 1002, {
      known: false,
      listed: false,
      found: false,
    });
    account.transactions.set(row.key, {
      uuid: account.newUuid('tr'),
      name: '',
      invalid: { errors: 'date: must not be before the invoice date', holdsRow },
    });
    const result = await runPage(`invalid-transaction-${holdsRow}`, {
      object: 'transactions',
      mode: 'insert',
      dryRun: false,
      listedAll: false,
      rows: [row],
    });
    outcomes.push({
      status: statusOf(result),
      calls: account.calls.get(row.key)?.join(' '),
      reported: result.issues.map((issue) => [issue.status, issue.reason]),
    });
  }
  assert.deepEqual(outcomes, [
    {
      status: 'failed',
      calls: 'importTransaction',
      reported: [
        [
          'failed',
          'ChartMogul keeps transaction TR1001 as invalid, out of every metric: date: must not be before the invoice date. Correct the row and run the sync again: the invalid transaction is then replaced',
        ],
      ],
    },
    {
      status: 'updated',
      calls: 'importTransaction deleteTransaction importTransaction',
      reported: [
        [
          'replaced',
          'deleted and added again, because ChartMogul kept it as invalid (date: must not be before the invoice date)',
        ],
      ],
    },
  ]);
});
