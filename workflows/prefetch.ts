// A sync's prefetch: lists the data source into the state store (one request a page) before the pages,
// when that costs fewer requests than a lookup per row. Continues as new when Temporal suggests it.

import { patched, workflowInfo } from '@temporalio/workflow';

import type { PrefetchKind, PrefetchPage } from '../src/contracts/activities';
import { OBJECTS, prefetchObjects } from '../src/objects';
import type { SyncSpec } from '../src/sync-spec/schema';
import { callApi, callIo } from './activities';
import { BULK_IMPORT_PATCH } from './patches';
import { mayImportInBulk } from './bulk-import';
import { BULK_MIN_ROWS } from '../src/limits';
import { continueAsNewIfDue } from './continue-as-new';
import type { SyncState } from './sync-state';

/** Lists the data source into the state store when that costs fewer requests than looking rows up one by
 * one (a first run into a populated data source, an empty store), or always with `fullRefresh`. The first
 * page of each list is fetched to learn its length, and kept. */
export async function prefetch(spec: SyncSpec, state: SyncState): Promise<void> {
  if (state.prefetch === 'not-planned') {
    let kinds: PrefetchKind[] = prefetchObjects(spec.object);
    const plan = await callIo('planPrefetch', 'count the rows the state store does not know', { spec });
    const unknown = spec.options.fullRefresh ? Infinity : plan.unknownRows;
    const interrupted = plan.previousRunInterrupted;
    // Insert mode looks up no record of its own, so it lists them only to find the writes of a run that was
    // cut short. It still looks up each row's parent (a transaction's invoice), so it lists the parents.
    if (spec.mode === 'insert' && !spec.options.fullRefresh && !interrupted) {
      const parent = OBJECTS[spec.object].parent?.object;
      kinds = parent ? [parent] : [];
      // A first load big enough for bulk imports must know which rows are new: it lists the sync's own records
      // too, unless the parents' listing shows them (an invoice lists its transactions).
      const ownUnlisted = !OBJECTS[spec.object].listedInParent;
      if (ownUnlisted && plan.unknownRows >= BULK_MIN_ROWS && mayImportInBulk(spec) && patched(BULK_IMPORT_PATCH))
        kinds = prefetchObjects(spec.object);
    }
    if (unknown === 0 || kinds.length === 0) {
      state.prefetch = 'done';
      return;
    }
    let pages = 0;
    const firsts = [];
    for (const kind of kinds) {
      const first = await callApi('prefetchPage', `list ${kind} of the data source (first page)`, {
        spec,
        kind,
        cursor: null,
        listing: workflowInfo().firstExecutionRunId,
      });
      state.requests += 1;
      pages += first.totalPages ?? 1;
      firsts.push(first);
    }
    const next = firsts.findIndex((first) => first.hasMore);
    const worthIt = pages - kinds.length < unknown;
    state.prefetch = worthIt && next >= 0 ? { kinds, kind: next, cursor: firsts[next]?.cursor ?? null } : 'done';
    // A list that fit on its first page is complete already. Only a listing of the sync's own records says
    // that a row it did not list is new.
    state.listedAll = next < 0 && listsAll(spec, kinds);
  }
  while (typeof state.prefetch === 'object') {
    const { kinds, kind, cursor }: { kinds: PrefetchKind[]; kind: number; cursor: string | null } = state.prefetch;
    // A listing's kinds are the sync's object and its parent's; the index never passes them.
    const listed = kinds[kind] ?? spec.object;
    const page: PrefetchPage = await callApi('prefetchPage', `list ${listed} of the data source`, {
      spec,
      kind: listed,
      cursor,
      listing: workflowInfo().firstExecutionRunId,
    });
    state.requests += 1;
    if (page.hasMore) state.prefetch = { kinds, kind, cursor: page.cursor };
    else if (kind + 1 < kinds.length) state.prefetch = { kinds, kind: kind + 1, cursor: null };
    else {
      state.prefetch = 'done';
      state.listedAll = listsAll(spec, kinds);
    }
    // Listing starts no page: only the server's suggestion makes this run due.
    await continueAsNewIfDue(spec, state, { pages: 0, bytes: 0 });
  }
}

/** A complete listing of `kinds` shows every record of the sync's object: its own list, or its parents' that
 * show them (an invoice its transactions). */
function listsAll(spec: SyncSpec, kinds: PrefetchKind[]): boolean {
  if (kinds.includes(spec.object)) return true;
  const { parent, listedInParent } = OBJECTS[spec.object];
  return (
    listedInParent !== undefined && parent !== undefined && kinds.includes(parent.object) && patched(BULK_IMPORT_PATCH)
  );
}
