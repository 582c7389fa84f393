// What a sync run hands the next through continue-as-new. Pure types.

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
}

export type PrefetchState = 'not-planned' | 'done' | { kinds: PrefetchKind[]; kind: number; cursor: string | null };

/** The sync workflow's signature, for continue-as-new from the modules it is split into. */
export type SyncWorkflow = (input: unknown, carried?: SyncState) => Promise<SyncResult>;
