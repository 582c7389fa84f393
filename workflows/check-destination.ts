// A one-activity workflow that proves a worker can reach ChartMogul with the account's key and that the
// data source exists. The smoke test runs it; an operator can start it from Temporal Web (type
// `checkDestinationWorkflow`, input `{"account": "default", "dataSourceUuid": "ds_…"}`) to check a worker.

import { proxyActivities } from '@temporalio/workflow';

import type { ApiActivities } from '../activities';
import type { Destination, DestinationInfo } from '../src/contracts/activities';
import { FINAL_FAILURE_TYPES } from '../src/contracts/failures';
import { TASK_QUEUES } from '../src/contracts/names';
import { CHECK_DESTINATION_ATTEMPT_TIMEOUT, CHECK_DESTINATION_RETRY } from '../src/limits';

const { checkDestination } = proxyActivities<ApiActivities>({
  taskQueue: TASK_QUEUES.api,
  startToCloseTimeout: CHECK_DESTINATION_ATTEMPT_TIMEOUT,
  retry: { ...CHECK_DESTINATION_RETRY, nonRetryableErrorTypes: FINAL_FAILURE_TYPES },
});

export async function checkDestinationWorkflow(input: Destination): Promise<DestinationInfo> {
  return checkDestination(input);
}
