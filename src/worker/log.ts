// The worker's log: one line per event, as text or JSON lines. A retried ChartMogul request is one line
// (activity, attempt, status, row key, sync), never a stack trace: a run under heavy 429s would otherwise
// print thousands of them.

import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';

import { syncNameOf } from '../contracts/names';
import { chartMogulDetailsOf } from '../contracts/failures';

export type LogFormat = 'text' | 'json';

export const LOG_FORMATS: LogFormat[] = ['text', 'json'];

/** The fields a line carries, when the event has them. */
export interface LogFields {
  time: string;
  level: LogLevel;
  message: string;
  syncName?: string;
  rowKey?: string;
  workflowId?: string;
  activityType?: string;
  attempt?: number;
  status?: number;
  error?: string;
}

function errorOf(meta: Record<string, unknown>): unknown {
  return meta.error ?? meta.failure;
}

/** The fields of one SDK log entry, without stack traces. */
export function logFields(entry: LogEntry): LogFields {
  const meta = (entry.meta ?? {}) as Record<string, unknown>;
  const error = errorOf(meta);
  const workflowId = typeof meta.workflowId === 'string' ? meta.workflowId : undefined;
  const details = error instanceof ApplicationFailure ? chartMogulDetailsOf(error) : undefined;
  const fields: LogFields = {
    time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(),
    level: entry.level,
    message: entry.message,
    syncName: workflowId ? syncNameOf(workflowId) : undefined,
    // Added to an activity's lines by its interceptor (./activity-interceptor.ts).
    rowKey: typeof meta.rowKey === 'string' ? meta.rowKey : undefined,
    workflowId,
    activityType: typeof meta.activityType === 'string' ? meta.activityType : undefined,
    attempt: typeof meta.attempt === 'number' ? meta.attempt : undefined,
    status: details?.status ?? undefined,
    error: error instanceof Error ? error.message : error === undefined ? undefined : JSON.stringify(error),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as LogFields;
}

/** `2026-11-27T14:08:54.120Z WARN Activity failed: createCustomer attempt 3, status 429, row C-0012, sync nightly: <message>` */
export function textLine(fields: LogFields): string {
  const context = [
    fields.activityType,
    fields.attempt === undefined ? undefined : `attempt ${fields.attempt}`,
    fields.status === undefined ? undefined : `status ${fields.status}`,
    fields.rowKey === undefined ? undefined : `row ${fields.rowKey}`,
    fields.syncName === undefined ? undefined : `sync ${fields.syncName}`,
  ].filter(Boolean);
  const where = context.length > 0 ? `: ${context.join(', ')}` : '';
  const why = fields.error === undefined ? '' : `: ${fields.error.split('\n')[0]}`;
  return `${fields.time} ${fields.level} ${fields.message}${where}${why}`;
}

/** What the SDK says that is the design, not a fault: the api worker runs activities only. */
const NOT_A_PROBLEM = [/^No workflows registered, not polling for workflow tasks/];

/** A logger for the Temporal runtime and workers that writes one line per event to `write` (stderr). */
export function createWorkerLogger(
  level: LogLevel,
  format: LogFormat,
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): DefaultLogger {
  return new DefaultLogger(level, (entry) => {
    if (NOT_A_PROBLEM.some((pattern) => pattern.test(entry.message))) return;
    const fields = logFields(entry);
    write(format === 'json' ? JSON.stringify(fields) : textLine(fields));
  });
}
