// ChartMogul answers counted by status, beside the Temporal SDK's metrics: emitted through the SDK's runtime meter, so
// they are served on the worker's Prometheus endpoint (`--metrics-port`) and cost nothing when it is off. Rows by sync and
// outcome, sync durations and the time of each sync's last success are counted by the sync workflow itself
// (workflows/sync.ts, through the workflow meter); retries by the worker's activity interceptor (src/worker/activity-interceptor.ts).

import type { MetricCounter } from '@temporalio/common';
import { Runtime } from '@temporalio/worker';

import { METRIC_NAMES } from '../src/contracts/names';

let requests: MetricCounter | undefined;

/** Counts one ChartMogul answer by status: `200`, `429`, `503`…, or `timeout` / `network` when none came. */
export function countChartMogulAnswer(status: number | 'timeout' | 'network'): void {
  requests ??= Runtime.instance().metricMeter.createCounter(
    METRIC_NAMES.requests,
    'requests',
    'ChartMogul requests by the status of their answer',
  );
  requests.add(1, { status: String(status) });
}
