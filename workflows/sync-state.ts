// What a sync run hands the next through continue-as-new: how it starts, how a page's issues and a dry run's
// changes are kept in it, and the result it ends as.

import type { PrefetchKind } from '../src/contracts/activities';
import {
  isDryRunChange,
  ZERO_TOTALS,
  type ReportEntry,
  type SyncResult,
  type Totals,
} from '../src/contracts/sync-types';
import { CHANGE_SAMPLE_SIZE, MAX_ISSUES_IN_RESULT } from '../src/limits';
import type { SourceCursor } from '../src/sources/types';
import type { ColumnType } from '../src/sync-spec/mapping';
import type { SyncSpec } from '../src/sync-spec/schema';

/** What one run hands the next through continue-as-new. */
export interface SyncState {
  cursor: SourceCursor;
  columnTypes?: Record<string, ColumnType>;
  totals: Totals;
  issues: ReportEntry[];
  issuesTruncated: boolean;
  requests: number;
  pages: number;
  paused: boolean;
  startedAt: number;
  reportId: string;
  /** Listing the data source into the state store before the pages: where it stands. */
  prefetch: PrefetchState;
  /** This sync listed the whole data source, so a key the store does not know is new: create it without a lookup. */
  listedAll: boolean;
  /** Whether the last page started sent rows in bulk, so the next is read sized for a bulk import (absent
   * before the first page: a first load's first page is). */
  lastPageInBulk?: boolean;
  /** Dry runs: rows that would change, by field, and the first few of them. */
  changedFields?: Record<string, number>;
  changeSample?: ReportEntry[];
}

export function firstState(spec: SyncSpec): SyncState {
  const startedAt = Date.now();
  const stamp = new Date(startedAt).toISOString().replace(/[:.]/g, '-');
  return {
    cursor: { lastKey: null, readAtLastKey: 0, rowsRead: 0 },
    totals: { ...ZERO_TOTALS },
    issues: [],
    issuesTruncated: false,
    requests: 0,
    pages: 0,
    paused: false,
    startedAt,
    reportId: `${spec.name}-${stamp}`,
    prefetch: spec.options.incremental ? 'not-planned' : 'done',
    listedAll: false,
  };
}

/** Keeps a finished page's issues for the result (the first MAX_ISSUES_IN_RESULT; the report file holds
 * every one). A dry run's changes are counted by field, with a short sample. */
export function recordIssues(state: SyncState, entries: readonly ReportEntry[]): void {
  const changes = entries.filter((entry) => isDryRunChange(entry.status));
  if (changes.length > 0) noteChanges(state, changes);
  const issues = changes.length > 0 ? entries.filter((entry) => !isDryRunChange(entry.status)) : entries;
  const room = MAX_ISSUES_IN_RESULT - state.issues.length;
  state.issues.push(...issues.slice(0, Math.max(0, room)));
  if (issues.length > room) state.issuesTruncated = true;
}

/** What a sync answers once its last page has finished. */
export function resultOf(spec: SyncSpec, state: SyncState, cancelled: boolean, reportPath: string): SyncResult {
  return {
    status: cancelled ? 'cancelled' : 'completed',
    totals: state.totals,
    issues: state.issues,
    issuesTruncated: state.issuesTruncated,
    reportPath,
    requests: state.requests,
    durationMs: Date.now() - state.startedAt,
    ...(spec.options.dryRun
      ? { changedFields: state.changedFields ?? {}, changeSample: state.changeSample ?? [] }
      : {}),
  };
}

/** Counts a dry run's changes by field and keeps the first few as a sample. */
function noteChanges(state: SyncState, changes: readonly ReportEntry[]): void {
  const counts = (state.changedFields ??= {});
  const sample = (state.changeSample ??= []);
  for (const entry of changes) {
    for (const { field } of entry.changes ?? []) counts[field] = (counts[field] ?? 0) + 1;
    if (sample.length < CHANGE_SAMPLE_SIZE) sample.push(entry);
  }
}

export type PrefetchState = 'not-planned' | 'done' | { kinds: PrefetchKind[]; kind: number; cursor: string | null };

/** The sync workflow's signature, for continue-as-new from the modules it is split into. */
export type SyncWorkflow = (input: unknown, carried?: SyncState) => Promise<SyncResult>;
