// Names shared by workflows, workers and clients: task queues and search attributes.
// Pure (imports only @temporalio/common), so both the workflow sandbox and Node code may import it.

import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TASK_QUEUES = {
  /** Workflows and source reads. */
  io: 'chartmogul-sync-io',
  /** ChartMogul requests only, rate-limited server-side. */
  api: 'chartmogul-sync-api',
} as const;

/** Record keys of the rows a workflow handles, so Temporal Web can find a row's history by its key. */
export const RECORD_KEYS = defineSearchAttributeKey('ChartMogulRecordKeys', SearchAttributeType.KEYWORD_LIST);
/** The sync spec's name. */
export const SYNC_NAME = defineSearchAttributeKey('ChartMogulSyncName', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = [RECORD_KEYS, SYNC_NAME];

/** Failure types activities raise (activities/failures.ts) and workflows branch on. */
export const FAILURE_TYPES = {
  auth: 'ChartMogulAuthError',
  dataSourceNotFound: 'ChartMogulDataSourceNotFound',
  rejected: 'ChartMogulRejected',
  retryable: 'ChartMogulUnavailable',
  credentials: 'MissingCredentials',
  source: 'SourceError',
} as const;

/** Retrying these cannot help. */
export const FINAL_FAILURE_TYPES: string[] = [
  FAILURE_TYPES.auth,
  FAILURE_TYPES.dataSourceNotFound,
  FAILURE_TYPES.rejected,
  FAILURE_TYPES.credentials,
  FAILURE_TYPES.source,
];
