// Shapes that cross the workflow boundary: totals, report entries, progress and results, and their sums;
// a row on its way to ChartMogul and a write it confirmed.

import type { MappedRow } from '../sync-spec/mapping';

/** The one shape of a difference between a row and ChartMogul on one field (`custom.KEY` names a custom
 * attribute): the row's value, ChartMogul's (null: none, or no record yet), and, for a value ChartMogul's
 * answer to a write did not hold, why (as far as the answer tells). Lookups, comparisons, dry runs and
 * writes' answers all say it so; a report shows it in its own words (ReportedChange, ReportedNotKept). */
export interface FieldDifference {
  field: string;
  row: unknown;
  chartMogul: unknown;
  reason?: string;
}

/** What a write's answer says ChartMogul did not keep, and why. (0.5's answers also carried 0.4's `sent` and
 * `kept`; 0.6 reads and writes the one shape.) */
export type NotKeptAnswer = FieldDifference & { reason: string };

/** A value of the row that ChartMogul did not keep, as a report lists it (README "Reports"). */
export interface ReportedNotKept {
  field: string;
  sent: unknown;
  kept: unknown;
  reason: string;
}

/** `partial`: ChartMogul accepted the write but did not keep some of its values (see ReportEntry.notKept). */
export type RowStatus = 'created' | 'updated' | 'unchanged' | 'partial' | 'rejected' | 'failed';

export interface Totals {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Absent from totals of syncs started before partial rows were told apart. */
  partial?: number;
  rejected: number;
  failed: number;
}

export const ZERO_TOTALS: Totals = {
  read: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  partial: 0,
  rejected: 0,
  failed: 0,
};

/** A dry run's change to one field, as a report lists it (README "Dry runs"): ChartMogul's value now (null:
 * none, or a record still to create) and the row's. */
export interface ReportedChange {
  field: string;
  from: unknown;
  to: unknown;
}

export function reportedChanges(differences: readonly FieldDifference[]): ReportedChange[] {
  return differences.map(({ field, row, chartMogul }) => ({ field, from: chartMogul, to: row }));
}

export function reportedNotKept(differences: readonly FieldDifference[]): ReportedNotKept[] {
  return differences.map(({ field, row, chartMogul, reason }) => ({
    field,
    sent: row,
    kept: chartMogul,
    reason: reason ?? '',
  }));
}

/** One rejected (bad input), failed (ChartMogul said no) or partial (ChartMogul did not keep some values) row;
 * in a dry run, also each row that would be created or updated, with its changes. */
export interface ReportEntry {
  key: string;
  rowNumber: number;
  /** `replaced`: a record deleted and created again (an invoice by options.invoiceChanges, a record ChartMogul
   * kept as invalid), counted as updated. */
  status: 'rejected' | 'failed' | 'partial' | 'replaced' | 'would-create' | 'would-update';
  reason: string;
  /** ChartMogul's status code and own message, for failed rows. */
  chartMogulStatus?: number;
  chartMogulMessage?: string;
  /** For partial rows: each value ChartMogul did not keep, what it kept instead, and why. */
  notKept?: ReportedNotKept[];
  /** Dry runs: each field the write would change, from ChartMogul's value to the row's. */
  changes?: ReportedChange[];
}

/** `custom.Seats 10 → 12, owner "ana@…" → "bo@…"` */
export function describeChanges(changes: readonly FieldDifference[]): string {
  const show = (value: unknown) => (value === null || value === undefined ? 'none' : JSON.stringify(value));
  return changes.map(({ field, row, chartMogul }) => `${field} ${show(chartMogul)} → ${show(row)}`).join(', ');
}

type DryRunStatus = 'would-create' | 'would-update';

/** A dry run's entries: the rows it would write. */
export function isDryRunChange<S extends ReportEntry['status']>(status: S): status is Extract<S, DryRunStatus> {
  return status === 'would-create' || status === 'would-update';
}

/** Rows that did not end as their source asks: the ones a report lists and the exit code counts. */
export function rowsWithIssues(totals: Totals): number {
  return totals.rejected + totals.failed + (totals.partial ?? 0);
}

export interface Progress extends Totals {
  requestsPerSecond: number;
  paused: boolean;
}

export interface SyncResult {
  status: 'completed' | 'cancelled';
  totals: Totals;
  /** The first 1000 rejected or failed rows; all of them are in the report file. */
  issues: ReportEntry[];
  issuesTruncated: boolean;
  reportPath: string;
  requests: number;
  durationMs: number;
  /** Dry runs: rows that would change, by field (`custom.KEY` for attributes), and the first few of those rows
   * (the report file lists every one). Absent before dry runs showed changes. */
  changedFields?: Record<string, number>;
  changeSample?: ReportEntry[];
}

export function addTotals(a: Totals, b: Totals): Totals {
  return {
    read: a.read + b.read,
    created: a.created + b.created,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    partial: (a.partial ?? 0) + (b.partial ?? 0),
    rejected: a.rejected + b.rejected,
    failed: a.failed + b.failed,
  };
}

export interface RowToSend extends MappedRow {
  /** A canonical hash of the payload (src/state/diff.ts), recorded once ChartMogul confirms the write. */
  hash?: string;
  /** The record's ChartMogul UUID, when a previous sync or a listing knows it (then no lookup is needed). */
  uuid?: string;
  /** The custom attribute keys that record has in ChartMogul, so an update can be one PATCH. */
  attributeKeys?: string[];
  /** The parent's ChartMogul UUID (a contact's or an invoice's customer, a transaction's invoice), when the store
   * knows it. */
  parentUuid?: string;
  /** Dry runs, from a fresh listing of ChartMogul: each field the write would change. */
  changes?: FieldDifference[];
  /** A new row to send with the page's others in one bulk import (2026), not one request at a time
   * (workflows/page-pipeline.ts). */
  bulk?: true;
  /** The row's bulk import created it: its UUID when a lookup told it, else '' (the next listing tells it). */
  createdInBulk?: string;
}

/** Values ChartMogul did not keep when the row was last sent, by field (`custom.KEY` for attributes):
 * sending the same value again would change nothing, so a comparison passes over them. */
export type NotKeptValues = Record<string, unknown>;

/** A write ChartMogul confirmed, as the state store records it. */
export interface SentRecord {
  key: string;
  uuid: string;
  hash: string;
  status: 'created' | 'updated' | 'unchanged' | 'partial';
  attributeKeys: string[];
  /** Values of the payload ChartMogul did not keep. */
  notKept?: NotKeptValues;
}
