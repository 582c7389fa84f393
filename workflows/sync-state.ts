// What a sync run hands the next through continue-as-new, and how a dry run counts its changes into it.

import type { PrefetchKind } from '../src/contracts/activities';
import type { ReportEntry, SyncResult, Totals } from '../src/contracts/sync-types';
import type { SourceCursor } from '../src/sources/types';
import type { ColumnType } from '../src/sync-spec/mapping';

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
  /** Dry runs: rows that would change, by field, and the first few of them. */
  changedFields?: Record<string, number>;
  changeSample?: ReportEntry[];
}

/** Rows a dry run shows in its result (all are in the report file). */
export const CHANGE_SAMPLE_SIZE = 10;

/** Counts a dry run's changes by field and keeps the first few as a sample. */
export function noteChanges(state: SyncState, changes: readonly ReportEntry[]): void {
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
