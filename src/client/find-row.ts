// `find`: one row's last outcome, from what each part of the product keeps: the page workflow that last
// held its key (Temporal, when reachable), the state store (its ChartMogul UUID, when it was last sent, and
// when a run last found it unchanged), and the run reports (rejected, failed and partial rows, with why).
// The most recent of these is the row's last outcome.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Client } from '@temporalio/client';

import type { RecordKeyHasher } from '../privacy/record-keys';
import type { StateStore } from '../state/store';
import { searchableKey } from '../../workflows/page-parts';
import type { PageResult } from '../../workflows/page';
import { RECORD_KEYS, SYNC_NAME } from '../contracts/names';
import { isDryRunChange, type ReportEntry } from '../contracts/sync-types';
import { workflowWebUrl } from '../temporal/local-service';

export type FoundStatus =
  'created' | 'updated' | 'replaced' | 'unchanged' | 'partial' | 'rejected' | 'failed' | 'in progress' | 'page failed';

export interface FoundRow {
  key: string;
  status: FoundStatus;
  uuid: string | null;
  reason: string | null;
  lastSentAt: string | null;
  webUrl: string | null;
}

/** One thing known about the row at one time. */
interface Sighting {
  at: string;
  status: FoundStatus;
  uuid?: string | null;
  reason?: string;
}

export interface FindSources {
  store?: StateStore;
  reportsDir: string;
  temporal?: { client: Client; namespace: string; uiUrl: string };
  /** What the key may be indexed as (in clear, or hashed: src/privacy/record-keys.ts). */
  recordKeys: RecordKeyHasher;
}

function reasonOf(entry: ReportEntry): string {
  return entry.chartMogulMessage && !entry.reason.includes(entry.chartMogulMessage)
    ? `${entry.reason} (ChartMogul: ${entry.chartMogulMessage})`
    : entry.reason;
}

/** Report files are `<sync name>-<ISO time with - for : and .>.jsonl`. */
const REPORT_STAMP = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.jsonl$/;

/** The newest report of the sync that lists the key. */
function fromReports(reportsDir: string, sync: string, key: string): Sighting | undefined {
  if (!existsSync(reportsDir)) return undefined;
  const reports = readdirSync(reportsDir)
    .filter((name) => name.startsWith(`${sync}-`) && REPORT_STAMP.test(name.slice(sync.length + 1)))
    .sort()
    .reverse();
  for (const name of reports) {
    const lines = readFileSync(join(reportsDir, name), 'utf8').split('\n');
    for (const line of lines) {
      if (!line.includes(JSON.stringify(key).slice(1, -1))) continue;
      const entry = JSON.parse(line) as ReportEntry;
      // A dry run's "would create/update" is no outcome of the row.
      if (entry.key !== key || isDryRunChange(entry.status)) continue;
      const [, day, hours, minutes, seconds, millis] = REPORT_STAMP.exec(name.slice(sync.length + 1))!;
      return {
        at: `${day}T${hours}:${minutes}:${seconds}.${millis}Z`,
        status: entry.status,
        reason: reasonOf(entry),
      };
    }
  }
  return undefined;
}

async function fromStore(store: StateStore, sync: string, key: string) {
  const [latest] = await store.history(sync, key);
  if (!latest) return { sightings: [] as Sighting[], uuid: null, lastSentAt: null };
  const sent = latest.lastStatus !== 'prefetched';
  const sightings: Sighting[] = [];
  if (sent) sightings.push({ at: latest.updatedAt, status: latest.lastStatus as FoundStatus, uuid: latest.uuid });
  if (latest.lastSeenAt) sightings.push({ at: latest.lastSeenAt, status: 'unchanged', uuid: latest.uuid });
  return { sightings, uuid: latest.uuid, lastSentAt: sent ? latest.updatedAt : null };
}

/** The page workflow that last held the key, and what it did with the row. */
async function fromTemporal(
  temporal: NonNullable<FindSources['temporal']>,
  recordKeys: RecordKeyHasher,
  sync: string,
  key: string,
) {
  const indexedAs = recordKeys.candidates(key).map((candidate) => quote(searchableKey(candidate)));
  const query = `${SYNC_NAME.name} = ${quote(sync)} AND ${RECORD_KEYS.name} IN (${indexedAs.join(', ')})`;
  let latest: { workflowId: string; runId: string; startTime: Date; closeTime?: Date; status: string } | undefined;
  for await (const workflow of temporal.client.workflow.list({ query })) {
    if (!latest || workflow.startTime > latest.startTime)
      latest = {
        workflowId: workflow.workflowId,
        runId: workflow.runId,
        startTime: workflow.startTime,
        closeTime: workflow.closeTime,
        status: workflow.status.name,
      };
  }
  if (!latest) return undefined;
  const webUrl = workflowWebUrl(temporal.uiUrl, temporal.namespace, latest.workflowId, latest.runId);
  const at = (latest.closeTime ?? latest.startTime).toISOString();
  if (latest.status === 'RUNNING') return { webUrl, sighting: { at, status: 'in progress' } as Sighting };
  if (latest.status !== 'COMPLETED')
    return {
      webUrl,
      sighting: { at, status: 'page failed', reason: `its page workflow ${latest.status.toLowerCase()}` } as Sighting,
    };
  const result = (await temporal.client.workflow.getHandle(latest.workflowId, latest.runId).result()) as PageResult;
  const issue = result.issues.find((entry) => entry.key === key);
  if (issue) return { webUrl, sighting: { at, status: issue.status, reason: reasonOf(issue) } as Sighting };
  const sent = result.sent.find((entry) => entry.key === key);
  return {
    webUrl,
    sighting: sent ? ({ at, status: sent.status, uuid: sent.uuid } as Sighting) : undefined,
    sentAt: sent ? at : undefined,
  };
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The row's last outcome, or undefined when no source has heard of it. */
export async function findRow(sources: FindSources, sync: string, key: string): Promise<FoundRow | undefined> {
  const stored = sources.store
    ? await fromStore(sources.store, sync, key)
    : { sightings: [], uuid: null, lastSentAt: null };
  const page = sources.temporal ? await fromTemporal(sources.temporal, sources.recordKeys, sync, key) : undefined;
  const report = fromReports(sources.reportsDir, sync, key);
  const sightings = [...stored.sightings, page?.sighting, report].filter((item): item is Sighting => Boolean(item));
  // Latest first; at the same moment, what the store or a page says beats a report of the same run.
  const last = sightings.sort((a, b) => b.at.localeCompare(a.at))[0];
  if (!last && !page) return undefined;
  return {
    key,
    status: last?.status ?? 'in progress',
    uuid: last?.uuid ?? stored.uuid ?? null,
    reason: last?.reason ?? null,
    lastSentAt: stored.lastSentAt ?? page?.sentAt ?? null,
    webUrl: page?.webUrl ?? null,
  };
}
