// Every patch the workflows carry, in one place, with the release that added it and where it is in its
// lifecycle (docs/VERSIONING.md): `patched` in the release that adds it, `deprecatePatch` in the next,
// removed in the one after. A patch marks a change to the commands a workflow issues.

// Removed: 0.5's `insert-lists-parents` and `dry-run-changes` (deprecated in 0.6, removed in 0.7); 0.4's
// `continue-as-new-by-bytes` (deprecated in 0.5, removed in 0.6); 0.3's `run-marker`, `source-check-first` and
// `rejected-in-pages` (deprecated in 0.4, removed in 0.5).

/** 0.7: a page's new rows go in bulk imports (options.bulkImport), and a page that sends in bulk does not
 * overlap the pages beside it. `patched` in 0.7. */
export const BULK_IMPORT_PATCH = 'bulk-import';
