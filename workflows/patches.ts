// Every patch the workflows carry, in one place, with the release that added it and where it is in its
// lifecycle (docs/VERSIONING.md): `patched` in the release that adds it, `deprecatePatch` in the next,
// removed in the one after. A patch marks a change to the commands a workflow issues.

// Removed: 0.4's `continue-as-new-by-bytes` (deprecated in 0.5, removed in 0.6); 0.3's `run-marker`,
// `source-check-first` and `rejected-in-pages` (deprecated in 0.4, removed in 0.5).

/** 0.5: an insert sync lists its rows' parents (a transaction's invoices, a contact's customers) when that
 * costs fewer requests than a lookup per row. `patched` in 0.5, deprecated in 0.6. */
export const INSERT_LISTS_PARENTS_PATCH = 'insert-lists-parents';
/** 0.5: a dry run reads a record the store knows (and no lookup compared) to show what the row would change
 * in it. `patched` in 0.5, deprecated in 0.6. */
export const DRY_RUN_CHANGES_PATCH = 'dry-run-changes';
/** 0.7: a page's new rows go in bulk imports (options.bulkImport), and a page that sends in bulk does not
 * overlap the pages beside it. `patched` in 0.7. */
export const BULK_IMPORT_PATCH = 'bulk-import';
