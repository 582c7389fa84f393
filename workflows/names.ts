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
