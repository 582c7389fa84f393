// Starts a page's rows as its page workflows, one per part (page-parts.ts), from the sync (page-pipeline.ts) or,
// for a page sending in bulk, from its bulk import's workflow once the import has ended (bulk-import.ts): the
// same ids, inputs, summaries and search attributes either way.

import { CancellationScope, getExternalWorkflowHandle, startChild, type SignalDefinition } from '@temporalio/workflow';

import { destinationOf, type ReadPageResult } from '../src/contracts/activities';
import { RECORD_KEYS, SYNC_NAME, TASK_QUEUES } from '../src/contracts/names';
import { OBJECTS } from '../src/objects';
import type { SyncSpec } from '../src/sync-spec/schema';
import { pageWorkflow, type PageInput, type PageResult } from './page';
import { partConcurrency, partDetails, partKeys, partSummary, searchableKey, splitPageIntoParts } from './page-parts';

/** What a page's workflows are started with besides its rows. */
export interface PageStartContext {
  spec: SyncSpec;
  /** The sync's workflow id: its pages are `<id>:page-7`. */
  syncId: string;
  paused: boolean;
  listedAll: boolean;
}

export interface StartedPage {
  childIds: string[];
  results: Promise<PageResult[]>;
}

/** Starts the page's page workflows; `onStart` hears each id before its start (for progress and signals).
 * `importedBy`: the bulk import that created some of the rows. */
export async function startPageWorkflows(
  context: PageStartContext,
  page: Pick<ReadPageResult, 'rows' | 'rejected' | 'searchKeys'>,
  index: number,
  options: { importedBy?: string; onStart?: (workflowId: string) => void } = {},
): Promise<StartedPage> {
  const indexed = (key: string) => page.searchKeys?.[key] ?? key;
  const parts = splitPageIntoParts(page.rows, page.rejected, indexed);
  const children = await Promise.all(
    parts.map((part, number) => {
      const label = `page-${index}${parts.length > 1 ? `.${number + 1}` : ''}`;
      const workflowId = `${context.syncId}:${label}`;
      options.onStart?.(workflowId);
      return startChild(pageWorkflow, {
        workflowId,
        taskQueue: TASK_QUEUES.io,
        args: [pageInput(context, part, page.rows.length)],
        staticSummary: partSummary(label.replace('-', ' '), part),
        staticDetails: partDetails(part, options.importedBy),
        typedSearchAttributes: [
          { key: RECORD_KEYS, value: partKeys(part).map((key) => searchableKey(indexed(key))) },
          { key: SYNC_NAME, value: context.spec.name },
        ],
      });
    }),
  );
  return {
    childIds: children.map((child) => child.workflowId),
    results: Promise.all(children.map((child) => child.result())),
  };
}

function pageInput(
  { spec, paused, listedAll }: PageStartContext,
  part: Pick<PageInput, 'rows' | 'rejected'>,
  pageRows: number,
): PageInput {
  return {
    object: spec.object,
    mode: spec.mode,
    target: destinationOf(spec),
    dryRun: spec.options.dryRun,
    rows: part.rows,
    rejected: part.rejected,
    paused,
    listedAll,
    incremental: spec.options.incremental,
    // Only pages of records replaced on change need it; older specs (carried through continue-as-new) have none.
    ...(OBJECTS[spec.object].replacedOnChange ? { invoiceChanges: spec.options.invoiceChanges ?? 'fail' } : {}),
    ...(spec.options.contactKey === 'external_id' ? { contactKey: 'external_id' as const } : {}),
    concurrency: partConcurrency(spec.options.concurrency, part.rows.length, pageRows),
  };
}

/** Passes pause, resume or stop on to page workflows; one not started yet, or ended, misses it (its starter
 * passes it again once it has started). */
export function forwardSignal(pageIds: Iterable<string>, signal: SignalDefinition): void {
  for (const pageId of pageIds)
    void CancellationScope.nonCancellable(() => getExternalWorkflowHandle(pageId).signal(signal)).catch(
      () => undefined,
    );
}
