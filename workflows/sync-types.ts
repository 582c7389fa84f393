// Shapes that cross the workflow boundary: totals, report entries, progress and results. Types only.

export type RowStatus = 'created' | 'updated' | 'unchanged' | 'rejected' | 'failed';

export interface Totals {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  failed: number;
}

export const ZERO_TOTALS: Totals = { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, failed: 0 };

/** One rejected (bad input) or failed (ChartMogul said no) row. */
export interface ReportEntry {
  key: string;
  rowNumber: number;
  status: 'rejected' | 'failed';
  reason: string;
  /** ChartMogul's status code and own message, for failed rows. */
  chartMogulStatus?: number;
  chartMogulMessage?: string;
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
}

export function addTotals(a: Totals, b: Totals): Totals {
  return {
    read: a.read + b.read, created: a.created + b.created, updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged, rejected: a.rejected + b.rejected, failed: a.failed + b.failed,
  };
}
