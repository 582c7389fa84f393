// Every patch the workflows carry, in one place (the versioning policy in docs/VERSIONING.md says when each
// is deprecated and removed). A patch id marks a change to the commands a workflow issues: histories recorded
// before it replay down the old branch, new runs take the new one.

/** Syncs started before this change neither mark their runs in the state store nor plan with it. */
export const RUN_MARKER_PATCH = 'run-marker';
/** Syncs started before this change did not check the source's columns before their first request. */
export const SOURCE_CHECK_PATCH = 'source-check-first';
/** Syncs started before this change counted rows rejected before any request themselves; now each page
 * workflow holds its own, so a search for a rejected row's key finds the workflow with its reason. */
export const REJECTED_IN_PAGES_PATCH = 'rejected-in-pages';
/** Syncs started before this change continued as new by pages only; now also once their pages carried
 * RUN_HISTORY_BYTES, so wide rows never bring a history near Temporal's limits. */
export const HISTORY_BYTES_PATCH = 'continue-as-new-by-bytes';
