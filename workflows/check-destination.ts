// A one-activity workflow that proves a worker can reach ChartMogul with the account's key and that the
// data source exists. The smoke test runs it; an operator can start it from Temporal Web (type
// `checkDestinationWorkflow`, input `{"account": "default", "dataSourceUuid": "ds_…"}`) to check a worker.

import { proxyActivities } from '@temporalio/workflow';

import type { ApiActivities } from '../activities';
import type { Destination } from '../src/contracts/activities';
import type { DestinationInfo } from '../activities/destination';
import { TASK_QUEUES } from '../src/contracts/names';

const { checkDestination } = proxyActivities<ApiActivities>({
  taskQueue: TASK_QUEUES.api,
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, initialInterval: '1 second' },
});

export async function checkDestinationWorkflow(input: Destination): Promise<DestinationInfo> {
  return checkDestination(input);
}
