// ChartMogul's bulk import (2026, `json_imports`): start one import of a page's new rows with a first look at
// it, and look at it again until it has ended, then read each row's fate. Exactly once by its external id,
// which the workflow derives from its own id and run: on a retry (an earlier attempt may have sent it) the
// import is looked up by it before anything is sent, and after a lost answer or a refusal, so a worker that
// died mid-request never sends it twice. The wait is the workflow's (durable timers,
// ../workflows/bulk-import.ts): each look is one request.

import { activityInfo } from '@temporalio/activity';

import { ChartMogulError, recordErrors } from '../src/chartmogul/errors';
import { CHARTMOGUL_LIMITS } from '../src/limits';
import type {
  BulkImportInput,
  BulkImportStatus,
  BulkRowOutcome,
  BulkStatusInput,
  Destination,
} from '../src/contracts/activities';
import { OBJECTS } from '../src/objects';
import { findByExternalId } from './create-once';
import type { ActivityDependencies } from './dependencies';

interface ImportJson {
  id?: string;
  status?: string;
  processed_count?: number;
  error_count?: number;
  status_details?: Record<string, { status?: string } & Record<string, unknown>>;
}

/** The statuses of an import not done yet (the docs' `queued` and `processing`; Ruby's mock says `pending`):
 * any other is its end, and each row's fate is read from ChartMogul's records. */
const STILL_RUNNING = new Set(['queued', 'processing', 'pending']);

function statusOf(answer: ImportJson): Omit<BulkImportStatus, 'requests'> {
  return {
    status: answer.status ?? 'queued',
    processed: answer.processed_count ?? 0,
    failed: answer.error_count ?? 0,
  };
}

export function bulkImportActivities(deps: ActivityDependencies) {
  const path = (target: Destination, importId?: string) =>
    `/v1/data_sources/${encodeURIComponent(target.dataSourceUuid)}/json_imports${importId ? `/${encodeURIComponent(importId)}` : ''}`;

  /** The import with this external id, or null (a 404). */
  async function find(target: Destination, importId: string): Promise<ImportJson | null> {
    try {
      return await deps.clientFor(target.account).request<ImportJson>('GET', path(target, importId));
    } catch (error) {
      if (error instanceof ChartMogulError && error.kind === 'notFound') return null;
      throw error;
    }
  }

  /** Each row's fate in an import that has ended: created when the import completed without an error, or
   * where its customer's records all imported; else
   * looked up by its external id (records ChartMogul kept as invalid too): created when valid, else left to the
   * row's own procedure (not imported, or kept as invalid: by this import, or before it, where a listing of
   * valid records could not see it). */
  async function fatesOf(
    { target, object, rows }: BulkStatusInput,
    held: ImportJson,
  ): Promise<{ fates: BulkRowOutcome[]; lookups: number }> {
    if (held.status === 'completed' && held.error_count === 0)
      return { fates: rows.map((row) => ({ key: row.key, status: 'created' })), lookups: 0 };
    const details = held.status_details ?? {};
    const client = deps.clientFor(target.account);
    const fates: BulkRowOutcome[] = [];
    let lookups = 0;
    for (const row of rows) {
      const detail = details[row.customer];
      if (detail?.status === 'imported') {
        fates.push({ key: row.key, status: 'created' });
        continue;
      }
      lookups += 1;
      const record = await findByExternalId<Record<string, unknown>>(client, target, object, row.key);
      const errors = record ? recordErrors(record) : undefined;
      if (record && !errors)
        fates.push({ key: row.key, status: 'created', uuid: typeof record.uuid === 'string' ? record.uuid : '' });
      else
        fates.push({
          key: row.key,
          status: 'one-by-one',
          reason: errors
            ? `kept as invalid: ${errors}`
            : `not imported (its customer's status: ${JSON.stringify(detail ?? 'none')})`,
        });
    }
    return { fates, lookups };
  }

  return {
    /** Sends the rows' records as one import named `importId`, unless ChartMogul has it already, then looks at
     * it at once (a small import is often done by then): one activity, not two, before the workflow's timers. */
    startBulkImport: async ({ target, object, importId, rows }: BulkImportInput): Promise<BulkImportStatus> => {
      const bulk = OBJECTS[object].bulk;
      const keys = rows.map((row) => ({ key: row.key, customer: bulk?.customerOf(row.key, row.fields) ?? '' }));
      const look = (held?: ImportJson) => lookAt({ target, object, importId, rows: keys }, held);
      // Only an earlier attempt can have sent it: the first sends at once (a request saved on every import).
      const held = activityInfo().attempt > 1 ? await find(target, importId) : null;
      if (held) return withRequests(await look(held), 1);
      const body: Record<string, unknown[]> = {};
      for (const row of rows)
        for (const [array, entries] of Object.entries(bulk?.entries(row.key, row.fields) ?? {}))
          (body[array] ??= []).push(...entries);
      const sent = { external_id: importId, ...body };
      const bytes = Buffer.byteLength(JSON.stringify(sent));
      // Pages are bounded far below it (MAX_PAGE_BYTES): this is a guard, never met.
      if (bytes > CHARTMOGUL_LIMITS.maxBulkBytes)
        throw new Error(`bulk import ${importId} holds ${bytes} bytes, over ChartMogul's 5 MB`);
      try {
        await deps.clientFor(target.account).request<ImportJson>('POST', path(target), { body: sent });
      } catch (error) {
        // A lost answer, or a refusal that may be this import's own id: ChartMogul's record decides.
        if (!(error instanceof ChartMogulError) || (!error.mayHaveWritten && error.kind !== 'duplicateKey'))
          throw error;
        const found = await find(target, importId);
        if (!found) throw error;
        return withRequests(await look(found), 2);
      }
      return withRequests(await look(), 2);
    },

    /** Where the import stands (one request); once it has ended, each row's fate too. */
    bulkImportStatus: async (input: BulkStatusInput): Promise<BulkImportStatus> => withRequests(await lookAt(input), 1),
  };

  /** One look at the import (`held`: the answer already in hand): where it stands, and each row's fate once it
   * has ended, with the lookups those took. */
  async function lookAt(
    input: BulkStatusInput,
    held?: ImportJson,
  ): Promise<Omit<BulkImportStatus, 'requests'> & { lookups: number }> {
    const answer = held ?? (await find(input.target, input.importId));
    if (!answer) throw new Error(`bulk import ${input.importId} is not in ChartMogul`);
    const status = statusOf(answer);
    if (STILL_RUNNING.has(status.status)) return { ...status, lookups: 0 };
    return { ...status, ...(await fatesOf(input, answer)) };
  }
}

/** A look's status with the requests the activity took: `sent` for the import and the looks, and the lookups. */
function withRequests(
  { lookups, ...status }: Omit<BulkImportStatus, 'requests'> & { lookups: number },
  sent: number,
): BulkImportStatus {
  return { ...status, requests: sent + lookups };
}
