// What every bench scenario shares: the dev server, the emulator at ChartMogul's limits, the figures so far,
// and the helpers to seed data, start workers and measure one sync. bench/run.ts makes one and runs the
// scenarios (bench/scenarios/) against it.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

import type { EmulatorHandle } from '../src/emulator';
import { syncStartOptions } from '../src/contracts/names';
import type { SyncResult } from '../src/contracts/sync-types';

export const API_KEY = 'bench_key';
export const DS = 'ds_be7c0000-0000-4000-8000-000000000001';
export const ROOT = join(__dirname, '..');

export interface Figures {
  scenario: string;
  rows: number;
  requests: number;
  requestsPerRow: number;
  status429: number;
  status503: number;
  wallSeconds: number;
  requestsPerSecond: number;
  limitUsedPercent: number;
  rowsPerSecond: number;
  peakWorkerMemoryMb: number;
  maxHistoryEvents: number;
  /** The most requests the emulator saw in any one second (ChartMogul allows 40). */
  peakRequestsPerSecond: number;
  totals: SyncResult['totals'];
}

export interface StartFigures {
  mode: string;
  /** From spawning `chartmogul-sync worker` to its first poll (median of the runs). */
  readySeconds: number;
  /** Peak resident memory by then, before any row (median). */
  peakMbBeforeFirstRow: number;
}

/** What a scenario adds to the summary besides its figures. */
export interface Extras {
  workerStart?: StartFigures[];
  encryption?: string;
  invoiceKillSlowDown?: number;
  scale?: Record<string, number>;
  bulk?: Record<string, number>;
}

/** One bench scenario: the names `--scenarios` picks it by (some measure several labelled steps), and how it
 * runs. `wanted` says whether one of its steps was asked for. */
export interface Scenario {
  names: readonly string[];
  run(bench: Bench, wanted: (name: string) => boolean): Promise<void>;
}

export class Bench {
  readonly results: Figures[] = [];
  readonly extras: Extras = {};

  constructor(
    readonly rows: number,
    readonly millionRows: number,
    readonly work: string,
    readonly serverAddress: string,
    readonly connection: Connection,
    readonly client: Client,
    readonly emulator: EmulatorHandle,
    /** Invoices in the bulk scenarios' first load (`--bulk-invoices`). */
    readonly bulkInvoices = 100_000,
  ) {}

  /** A CSV file in the work folder. */
  csv(name: string, header: string[], rows: (string | number)[][]): string {
    const path = join(this.work, name);
    writeFileSync(path, [header.join(','), ...rows.map((row) => row.join(','))].join('\n') + '\n');
    return path;
  }

  /** The bench's customers, B-000000 on; the rows in `changed` with another name. */
  customerRows(changed: Set<number> = new Set()): (string | number)[][] {
    return Array.from({ length: this.rows }, (_, index) => [
      `B-${String(index).padStart(6, '0')}`,
      `Company ${index}${changed.has(index) ? ' v2' : ''}`,
      `owner${index}@example.com`,
      index % 250,
    ]);
  }

  /** The customers file every customers scenario reads. */
  customersFile(): string {
    return this.csv('customers.csv', ['id', 'name', 'email', 'seats'], this.customerRows());
  }

  /** A fresh state store. */
  fresh(): string {
    return join(mkdtempSync(join(this.work, 'state-')), 'state.sqlite');
  }

  /** The environment of a worker on the bench's server, for `emulator` as the `default` account. */
  workerEnv(emulator: EmulatorHandle, statePath: string): NodeJS.ProcessEnv {
    return {
      ...process.env,
      TEMPORAL_ADDRESS: this.serverAddress,
      CHARTMOGUL_API_KEY: API_KEY,
      CHARTMOGUL_API_URL: emulator.url,
      STATE_SQLITE_PATH: statePath,
    };
  }

  async startWorker(env: NodeJS.ProcessEnv, extraArgs: string[] = []): Promise<ChildProcess> {
    const child = spawn(
      process.execPath,
      [
        // BENCH_CPU_PROF=DIR: each worker writes a CPU profile of its main and workflow threads there.
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
        join(ROOT, 'bin', 'chartmogul-sync.js'),
        'worker',
        '--reports-dir',
        join(this.work, 'reports'),
        ...extraArgs,
      ],
      { env, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      // The worker says so once its workflow code is loaded, just before it polls.
      child.stderr?.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
        if (output.includes('Worker running')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${output}`)));
    });
    return child;
  }

  runSync(spec: Record<string, unknown>): Promise<SyncResult> {
    return this.client.workflow.execute<(spec: unknown) => Promise<SyncResult>>('syncWorkflow', syncStartOptions(spec));
  }

  /** Notes a finished sync's figures, from `target`'s counters. */
  async record(
    label: string,
    spec: Record<string, unknown>,
    target: EmulatorHandle,
    result: SyncResult,
    wallSeconds: number,
    memory: number,
  ): Promise<void> {
    const stats = target.stats();
    const requestsPerSecond = requestRate(stats);
    const figures: Figures = {
      scenario: label,
      rows: result.totals.read,
      requests: stats.total,
      requestsPerRow: Number((stats.total / result.totals.read).toFixed(4)),
      status429: stats.byStatus['429'] ?? 0,
      status503: stats.byStatus['503'] ?? 0,
      wallSeconds: Number(wallSeconds.toFixed(1)),
      requestsPerSecond: Number(requestsPerSecond.toFixed(1)),
      limitUsedPercent: Math.round((requestsPerSecond / 40) * 100),
      rowsPerSecond: Number((result.totals.read / wallSeconds).toFixed(1)),
      peakWorkerMemoryMb: memory,
      maxHistoryEvents: await this.maxHistoryEvents(String(spec.name)),
      peakRequestsPerSecond: stats.peakRequestsPerSecond,
      totals: result.totals,
    };
    this.results.push(figures);
    console.error(`${label.padEnd(18)} ${JSON.stringify(figures)}`);
  }

  /** One sync through a fresh worker on the state store, with the emulator's counters from zero. */
  async measure(label: string, spec: Record<string, unknown>, statePath: string): Promise<void> {
    const worker = await this.startWorker(this.workerEnv(this.emulator, statePath));
    this.emulator.reset();
    const started = Date.now();
    const result = await this.runSync(spec);
    const wallSeconds = (Date.now() - started) / 1000;
    const memory = peakMemoryMb(worker.pid ?? 0);
    await stopWorkers([worker]);
    if (process.env.BENCH_TIMELINE) await this.writeTimeline(String(spec.name), started, process.env.BENCH_TIMELINE);
    await this.record(label, spec, this.emulator, result, wallSeconds, memory);
  }

  /** BENCH_TIMELINE=DIR: every event of the sync's workflows as a line of `seconds since the start, workflow,
   * event, the activity or child it is of, bytes`, and each sync run's history size, to see where a sync's
   * time and history go. */
  private async writeTimeline(name: string, started: number, dir: string): Promise<void> {
    const lines: string[] = [];
    for await (const execution of this.client.workflow.list({ query: `ChartMogulSyncName = "${name}"` })) {
      const handle = this.client.workflow.getHandle(execution.workflowId, execution.runId);
      const history = await handle.fetchHistory();
      if (!execution.workflowId.includes(':page-'))
        console.error(
          `${execution.workflowId} ${execution.runId}: ${String((await handle.describe()).raw.workflowExecutionInfo?.historySizeBytes)} bytes of history`,
        );
      const names = new Map<string, string>();
      for (const event of history.events ?? []) {
        const at = (
          (Number(event.eventTime?.seconds ?? 0) * 1000 + (event.eventTime?.nanos ?? 0) / 1e6 - started) /
          1000
        ).toFixed(3);
        const id = String(event.eventId);
        const scheduled = event.activityTaskScheduledEventAttributes;
        if (scheduled) names.set(id, `activity ${scheduled.activityType?.name}`);
        const initiated = event.startChildWorkflowExecutionInitiatedEventAttributes;
        if (initiated) names.set(id, `child ${initiated.workflowId}`);
        const attributes = Object.entries(event).find(([key, value]) => key.endsWith('Attributes') && value);
        const source = attributes?.[1] as {
          scheduledEventId?: temporal.api.history.v1.IHistoryEvent['eventId'];
          initiatedEventId?: temporal.api.history.v1.IHistoryEvent['eventId'];
        };
        const of = names.get(String(source?.scheduledEventId ?? source?.initiatedEventId ?? id)) ?? '';
        const bytes = temporal.api.history.v1.HistoryEvent.encode(event).finish().length;
        lines.push(
          `${at}\t${execution.workflowId}\t${attributes?.[0].replace(/EventAttributes$/, '')}\t${of}\t${bytes}`,
        );
      }
    }
    writeFileSync(
      join(dir, `${name}.tsv`),
      lines.sort((a, b) => Number(a.split('\t')[0]) - Number(b.split('\t')[0])).join('\n'),
    );
  }

  private async maxHistoryEvents(name: string): Promise<number> {
    let max = 0;
    for await (const execution of this.client.workflow.list({ query: `ChartMogulSyncName = "${name}"` })) {
      max = Math.max(
        max,
        (await this.client.workflow.getHandle(execution.workflowId, execution.runId).describe()).historyLength,
      );
    }
    return max;
  }

  /** The external ids of every record of one list of the bench's data source, each as often as it is there. */
  async listedExternalIds(path: string, entries: string): Promise<string[]> {
    return (await this.listed<{ external_id: string }>(path, entries)).map((entry) => entry.external_id);
  }

  /** Every record of one list of the bench's data source, as ChartMogul lists them. */
  async listed<T>(path: string, entries: string): Promise<T[]> {
    const found: T[] = [];
    let cursor = '';
    for (;;) {
      const response = await fetch(
        `${this.emulator.url}${path}?data_source_uuid=${DS}&per_page=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { headers: { authorization: basicAuth() } },
      );
      if (response.status === 429) {
        await sleep(250);
        continue;
      }
      const page = (await response.json()) as Record<string, unknown> & { has_more: boolean; cursor: string };
      found.push(...((page[entries] as T[] | undefined) ?? []));
      if (!page.has_more) return found;
      cursor = page.cursor;
    }
  }

  /** The customers of `rows` in the emulator's data source, written without limits (then set again). */
  async seedCustomers(rows: (string | number)[][]): Promise<void> {
    this.emulator.configure({ rps: 0, maxConnections: 0 });
    for (let start = 0; start < rows.length; start += 50) {
      await Promise.all(
        rows.slice(start, start + 50).map(([id, name, email, seats]) =>
          fetch(`${this.emulator.url}/v1/customers`, {
            method: 'POST',
            headers: { authorization: basicAuth(), 'content-type': 'application/json' },
            body: JSON.stringify({
              data_source_uuid: DS,
              external_id: id,
              name,
              email,
              attributes: { custom: [{ type: 'Integer', key: 'seats', value: seats }] },
            }),
          }).then((response) => response.arrayBuffer()),
        ),
      );
    }
    this.emulator.configure({ rps: 40, maxConnections: 20 });
  }
}

export function customersSpec(name: string, path: string, options: Record<string, unknown> = {}) {
  return {
    name,
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: DS,
    source: { type: 'file', path },
    options,
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'email', to: 'email' },
      { from: 'seats', to: 'seats', type: 'Integer' },
    ],
  };
}

export function basicAuth(): string {
  return `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`;
}

export async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async (worker) => {
      worker.kill('SIGTERM');
      await once(worker, 'exit');
    }),
  );
}

/** Requests per second between the first and last request an emulator saw (0 for runs too short to tell). */
function requestRate(stats: ReturnType<EmulatorHandle['stats']>): number {
  const activeSeconds = Math.max(0.001, ((stats.lastRequestAt ?? 0) - (stats.firstRequestAt ?? 0)) / 1000);
  return stats.total > 20 ? stats.total / activeSeconds : 0;
}

export function peakMemoryMb(pid: number): number {
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
}
