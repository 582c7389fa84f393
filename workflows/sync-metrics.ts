// The sync's own metrics on the worker's endpoint, through the workflow meter (never emitted again on replay).

import { metricMeter } from '@temporalio/workflow';

import { METRIC_NAMES } from '../src/contracts/names';
import type { SyncResult } from '../src/contracts/sync-types';

/** Rows skipped before any page, the request rate, and (at the end) duration and last success, on the
 * worker's metrics endpoint. The SDK emits workflow metrics only when the code runs for the first time, never on replay. */
export function metricsOf(syncName: string) {
  const meter = metricMeter.withTags({ sync: syncName });
  const rows = meter.createCounter(METRIC_NAMES.rows, 'rows', 'Rows by sync and outcome');
  return {
    /** Rows no page workflow counts (page workflows count theirs as each finishes). */
    rowsDone(outcome: 'unchanged' | 'rejected', count: number) {
      if (count > 0) rows.add(count, { outcome });
    },
    pace(requestsPerSecond: number) {
      meter
        .createGauge(METRIC_NAMES.requestsPerSecond, 'float', 'requests/s', "The sync's ChartMogul requests per second")
        .set(requestsPerSecond);
    },
    finished(result: SyncResult) {
      meter
        .createHistogram(METRIC_NAMES.duration, 'float', 's', 'How long each sync took')
        .record(result.durationMs / 1000, { status: result.status });
      if (result.status === 'completed')
        meter
          .createGauge(METRIC_NAMES.lastSuccess, 'int', 's', 'When the sync last completed (Unix seconds)')
          .set(Math.floor(Date.now() / 1000));
    },
  };
}
