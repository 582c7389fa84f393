// Every patch the workflows carry, in one place, with the release that added it and where it is in its
// lifecycle (docs/VERSIONING.md): `patched` in the release that adds it, `deprecatePatch` in the next,
// removed in the one after. A patch marks a change to the commands a workflow issues.

/** 0.3: runs are marked in the state store, and the prefetch is planned with it. Deprecated in 0.4. */
export const RUN_MARKER_PATCH = 'run-marker';
/** 0.3: the source's columns are checked before the first request. Deprecated in 0.4. */
export const SOURCE_CHECK_PATCH = 'source-check-first';
/** 0.3: each page workflow counts and reports the rows rejected before any request, so a search for a
 * rejected row's key finds the workflow with its reason. Deprecated in 0.4. */
export const REJECTED_IN_PAGES_PATCH = 'rejected-in-pages';
/** 0.4: a run continues as new once its pages carried RUN_HISTORY_BYTES, so wide rows never bring a history
 * near Temporal's limits. `patched` in 0.4. */
export const HISTORY_BYTES_PATCH = 'continue-as-new-by-bytes';
/** 0.5: an insert sync lists its rows' parents (a transaction's invoices, a contact's customers) when that
 * costs fewer requests than a lookup per row. `patched` in 0.5. */
export const INSERT_LISTS_PARENTS_PATCH = 'insert-lists-parents';
/** 0.5: a dry run reads a record the store knows (and no lookup compared) to show what the row would change
 * in it. `patched` in 0.5. */
export const DRY_RUN_CHANGES_PATCH = 'dry-run-changes';
