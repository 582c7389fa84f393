// The per-row procedures, one per object and mode (their whole decision table is tested in
// test/procedures.workflow.test.ts). Each returns the row's outcome; a
// ChartMogul refusal fails only that row, while an auth or data-source failure stops the whole sync.
// The state store is a cache of ChartMogul, never the truth: when ChartMogul no longer has a record the
// store knew (404: deleted or merged away behind the sync's back), the entry is forgotten and the row goes
// on as if it were new, so no row fails on every run because of stale state.

import { ActivityFailure } from '@temporalio/workflow';

import type { Destination } from '../../src/contracts/activities';
import { STOPS_THE_SYNC } from '../../src/contracts/failures';
import {
  reportedNotKept,
  type FieldDifference,
  type NotKeptValues,
  type ReportEntry,
  type RowStatus,
  type RowToSend,
} from '../../src/contracts/sync-types';
import type { InvoiceChanges, SyncMode, SyncObject } from '../../src/sync-spec/schema';
import { CONTACT_PROCEDURES } from '../../objects/contacts/procedure';
import { CUSTOMER_PROCEDURES } from '../../objects/customers/procedure';
import { INVOICE_PROCEDURES } from '../../objects/invoices/procedure';
import { PLAN_PROCEDURES } from '../../objects/plans/procedure';
import { chartMogulFailure, RowFailed, RowRejected, type Calls, type ObjectProcedures } from './shared';
import { TRANSACTION_PROCEDURES } from '../../objects/transactions/procedure';
import { SUBSCRIPTION_EVENT_PROCEDURES } from '../../objects/subscription_events/procedure';
import { dryRunOutcome } from './dry-run';

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

/** In a dry run nothing is created, so there is no UUID to report. */
const NOT_CREATED = '';

/** The registry of procedures: one line per object (its folder's procedure.ts). */
const PROCEDURES: Record<SyncObject, ObjectProcedures> = {
  customers: CUSTOMER_PROCEDURES,
  contacts: CONTACT_PROCEDURES,
  plans: PLAN_PROCEDURES,
  invoices: INVOICE_PROCEDURES,
  transactions: TRANSACTION_PROCEDURES,
  subscription_events: SUBSCRIPTION_EVENT_PROCEDURES,
};

export interface RowContext {
  dryRun: boolean;
  /** The sync keeps state (options.incremental): skip writes that would change nothing. */
  incremental: boolean;
  /** The whole data source was listed into the store, so a row it did not know is new: no lookup needed. */
  listedAll: boolean;
  /** options.invoiceChanges: what becomes of an invoice whose line items or transactions changed. */
  invoiceChanges?: InvoiceChanges;
  /** options.contactKey: contacts keyed by their own external_id. */
  contactKey?: 'external_id';
}

/** A row ChartMogul accepted but did not wholly keep: reported with each field and why, never as synced. */
function partial(
  row: RowToSend,
  uuid: string,
  requests: number,
  notKept: FieldDifference[],
  forgets: Partial<RowOutcome>,
): RowOutcome {
  const issue: ReportEntry = {
    key: row.key,
    rowNumber: row.rowNumber,
    status: 'partial',
    reason: `ChartMogul did not keep ${notKept.map((entry) => entry.field).join(', ')}: ${notKept.map((entry) => entry.reason).join('; ')}`,
    notKept: reportedNotKept(notKept),
  };
  return {
    status: 'partial',
    requests,
    uuid,
    issue,
    notKept: Object.fromEntries(notKept.map((entry) => [entry.field, entry.row])),
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
  const notKept = new Map<string, FieldDifference>();
  let replacedBecause: string | undefined;
  let compared: FieldDifference[] | undefined;
  const calls: Calls = {
    // A dry run compares too: it reports what a write would change, so one that would change nothing is no change.
    skipsIdenticalWrites: context.incremental || dryRun,
    listedAll,
    invoiceChanges: context.invoiceChanges ?? 'fail',
    contactKey: context.contactKey ?? 'email',
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
    findParent: (parent, externalId, summary) => {
      requests += 1;
      const find = PROCEDURES[parent].findByExternalId;
      if (!find) throw new Error(`${parent} records cannot be found by external id`);
      return find(target, externalId, summary);
    },
    compared: (differences) => {
      // None named: the lookup was not asked to compare (or found the record the same), so nothing is known.
      if (differences?.length) compared = differences;
    },
  };
  const forgets = () => ({
    ...(forgotten.record ? { forgotten: true } : {}),
    ...(forgotten.parent ? { forgottenParent: true } : {}),
  });
  try {
    const procedure = PROCEDURES[object].modes[mode];
    // The spec's check refuses a mode the object does not have; a row never gets here with one.
    if (!procedure) throw new RowRejected(`${object} cannot be synced in ${mode} mode`);
    const { status, uuid } = await procedure(target, row, calls);
    if (dryRun && (status === 'created' || status === 'updated')) {
      const { read, ...outcome } = await dryRunOutcome(object, mode, target, row, { status, uuid }, compared);
      return { ...outcome, requests: requests + (read ? 1 : 0), ...forgets() };
    }
    if (notKept.size > 0 && status !== 'unchanged')
      return partial(row, uuid, requests, [...notKept.values()], forgets());
    if (replacedBecause !== undefined) {
      const issue: ReportEntry = {
        key: row.key,
        rowNumber: row.rowNumber,
        status: 'replaced',
        reason: replacedBecause,
      };
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
