// Helpers for end-to-end sync tests: write a source file, run a sync to its end, read ChartMogul back.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

import type { Client } from '@temporalio/client';

import { syncWorkflow } from '../../workflows/sync';
import { syncStartOptions } from '../../src/contracts/names';
import { ZERO_TOTALS, type ReportEntry, type SyncResult, type Totals } from '../../src/contracts/sync-types';
import type { EmulatorOptions, StatsSnapshot } from '../../src/emulator';
import { startTestEmulator, startTestTemporal, withWorkers, type TestEmulator, type TestTemporal } from './temporal';

export const workFolder = mkdtempSync(join(tmpdir(), 'cms-e2e-'));

/** A sync's totals: the counts given, every other count 0 (so a test states only what it expects to see). */
export function totals(counts: Partial<Totals>): Totals {
  return { ...ZERO_TOTALS, ...counts };
}

export function writeCsv(name: string, header: string[], rows: (string | number | null)[][]): string {
  const escape = (value: string | number | null) =>
    value === null ? '' : /[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value);
  const path = join(workFolder, name);
  writeFileSync(path, [header.join(','), ...rows.map((row) => row.map(escape).join(','))].join('\n') + '\n');
  return path;
}

export function runSync(client: Client, spec: Record<string, unknown>): Promise<SyncResult> {
  return client.workflow.execute(syncWorkflow, syncStartOptions(spec));
}

/** One request to the emulator's API as the test's account; answers the parsed body (null when empty). */
export async function api(emulator: TestEmulator, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(emulator.url + path, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${emulator.apiKey}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** Reads every record of one list of the emulator's data source through its API, paging with cursors. */
export async function listAll(
  emulator: TestEmulator,
  path: '/v1/customers' | '/v1/contacts' | '/v1/plans' | '/v1/invoices' | '/v1/subscription_events',
  dataSourceUuid = emulator.dataSourceUuid,
): Promise<any[]> {
  const entries: any[] = [];
  let cursor: string | undefined;
  for (;;) {
    const url = new URL(emulator.url + path);
    url.searchParams.set('data_source_uuid', dataSourceUuid);
    url.searchParams.set('per_page', '200');
    if (cursor) url.searchParams.set('cursor', cursor);
    const response = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from(`${emulator.apiKey}:`).toString('base64')}` },
    });
    // A test reading while a sync runs shares the account's rate limit: wait out a 429 as a client would.
    if (response.status === 429 || response.status === 503) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    const page = (await response.json()) as {
      entries?: any[];
      plans?: any[];
      invoices?: any[];
      subscription_events?: any[];
      has_more: boolean;
      cursor: string;
    };
    entries.push(...(page.entries ?? page.plans ?? page.invoices ?? page.subscription_events ?? []));
    if (!page.has_more) return entries;
    cursor = page.cursor;
  }
}

export interface SyncHarness {
  temporal: TestTemporal;
  emulator: TestEmulator;
}

/** Registers before/after hooks: a real Temporal server, the emulator, and in-process workers for the file.
 * `setUp` runs once they are ready (Node 20 may run a file's root-level before hooks concurrently). */
export function useSyncHarness(
  emulatorOptions: Partial<EmulatorOptions> = {},
  setUp?: (harness: SyncHarness) => Promise<void>,
): SyncHarness {
  const harness = {} as SyncHarness;
  let stopWorkers: (() => Promise<void>) | undefined;
  before(async () => {
    harness.temporal = await startTestTemporal();
    harness.emulator = await startTestEmulator(emulatorOptions);
    let release!: () => void;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const running = withWorkers(
      harness.temporal.server,
      { env: harness.emulator.env, reportsDir: join(workFolder, 'reports') },
      () => done,
    );
    stopWorkers = async () => {
      release();
      await running;
    };
    await setUp?.(harness);
  });
  after(async () => {
    await stopWorkers?.();
    await harness.emulator?.stop();
    await harness.temporal?.stop();
  });
  return harness;
}

/** Requests that change something in ChartMogul (anything but a GET) in these emulator counters. */
export function writesIn(stats: StatsSnapshot): number {
  return Object.entries(stats.byRoute)
    .filter(([route]) => !route.startsWith('GET '))
    .reduce((sum, [, statuses]) => sum + Object.values(statuses).reduce((a, b) => a + b, 0), 0);
}

/** A run report's entries, one JSON object a line. */
export function reportEntries(path: string): ReportEntry[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReportEntry);
}
