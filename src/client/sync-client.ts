// Starting and steering syncs from Node: one workflow per spec name, so one run of a spec at a time.

import {
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowHandle,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';

import type { SyncSpec } from '../sync-spec/schema';
import { syncStartOptions } from '../contracts/names';
import { progressQuery } from '../../workflows/messages';
import { syncWorkflowId, type syncWorkflow } from '../../workflows/sync';
import { describeChanges, rowsWithIssues, type Progress, type SyncResult } from '../contracts/sync-types';

export { rowsWithIssues };

export type SyncHandle = WorkflowHandle<typeof syncWorkflow>;

export async function startSync(
  client: Client,
  spec: SyncSpec,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof syncWorkflow>> {
  const workflowId = syncWorkflowId(spec.name);
  try {
    return await client.workflow.start<typeof syncWorkflow>('syncWorkflow', syncStartOptions(spec));
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new Error(
        `a sync named "${spec.name}" is already running (workflow ${workflowId}). Watch it with \`chartmogul-sync status ${spec.name}\` or stop it with \`chartmogul-sync cancel ${spec.name}\`.`,
      );
    }
    throw error;
  }
}

export function syncHandle(client: Client, name: string): SyncHandle {
  return client.workflow.getHandle<typeof syncWorkflow>(syncWorkflowId(name));
}

export async function queryProgress(handle: SyncHandle): Promise<Progress | undefined> {
  try {
    return await handle.query(progressQuery);
  } catch {
    return undefined;
  }
}

export function formatProgress(progress: Progress): string {
  const { read, created, updated, unchanged, partial, rejected, failed, requestsPerSecond, paused } = progress;
  return `${paused ? '[paused] ' : ''}read ${read} · created ${created} · updated ${updated} · unchanged ${unchanged} · partial ${partial ?? 0} · rejected ${rejected} · failed ${failed} · ${requestsPerSecond} req/s`;
}

/** A dry run's changes: the count per field and a sample, as `terraform plan` shows a change before it is made. */
function formatChanges(result: SyncResult & { changedFields: Record<string, number> }): string[] {
  const { created, updated } = result.totals;
  if (created + updated === 0) return ['Dry run: nothing would change (nothing was written).'];
  const fields = Object.entries(result.changedFields).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const lines = [
    `Dry run: ${created + updated} rows would change: ${created} created, ${updated} updated (nothing was written).`,
  ];
  if (fields.length > 0)
    lines.push(
      `  By field: ${fields.map(([field, rows]) => `${field}: ${rows} row${rows === 1 ? '' : 's'}`).join(', ')}`,
    );
  for (const entry of result.changeSample ?? [])
    lines.push(
      entry.status === 'would-create'
        ? `  + ${entry.key}: would be created`
        : `  ~ ${entry.key}: ${entry.changes?.length ? describeChanges(entry.changes.map(({ field, from, to }) => ({ field, row: to, chartMogul: from }))) : 'would be updated'}`,
    );
  const more = created + updated - (result.changeSample?.length ?? 0);
  if (more > 0) lines.push(`  ... and ${more} more`);
  lines.push(`Every change, with ChartMogul's value and the row's: ${result.reportPath}`);
  return lines;
}

/** A dry run that would write something: scripts tell it apart from one that would change nothing. */
export function changesPending(result: SyncResult): boolean {
  return result.changedFields !== undefined && result.totals.created + result.totals.updated > 0;
}

export function formatSummary(name: string, result: SyncResult): string {
  const { totals } = result;
  const lines = [
    `Sync "${name}" ${result.status} in ${(result.durationMs / 1000).toFixed(1)} s: ${totals.read} rows read, ${totals.created} created, ${totals.updated} updated, ${totals.unchanged} unchanged, ${totals.partial ?? 0} partial, ${totals.rejected} rejected, ${totals.failed} failed (${result.requests} ChartMogul requests).`,
  ];
  const shown = [...result.issues].sort((a, b) => a.rowNumber - b.rowNumber).slice(0, 10);
  for (const issue of shown) lines.push(`  ${issue.status} ${issue.key}: ${issue.reason}`);
  const more = rowsWithIssues(totals) - shown.length;
  if (more > 0) lines.push(`  ... and ${more} more`);
  if (rowsWithIssues(totals) > 0) lines.push(`Report of every rejected, failed and partial row: ${result.reportPath}`);
  if (result.changedFields) lines.push(...formatChanges({ ...result, changedFields: result.changedFields }));
  return lines.join('\n');
}
