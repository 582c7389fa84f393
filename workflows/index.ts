// Workflows: deterministic code only, bundled into Temporal's sandbox. No Node built-ins, no I/O, no
// clocks or randomness outside @temporalio/workflow. Imports: @temporalio/workflow and /common, pure
// modules (src/spec, ./names), and activities as types only.

export { checkDestinationWorkflow } from './check-destination';
export { pageWorkflow } from './page';
export { syncWorkflow } from './sync';
export { scheduledSyncWorkflow } from './scheduled-sync';
