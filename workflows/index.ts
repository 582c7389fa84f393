// Workflows: deterministic code only, bundled into Temporal's sandbox. What it may import: README.md here.

export { bulkImportWorkflow } from './bulk-import';
export { checkDestinationWorkflow } from './check-destination';
export { pageWorkflow } from './page';
export { syncWorkflow } from './sync';
export { scheduledSyncWorkflow } from './scheduled-sync';
export { notifyWorkflow, scheduleWatchWorkflow } from './notify';
