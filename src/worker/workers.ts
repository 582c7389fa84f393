// Creates the two workers a process runs: `io` (workflows and source reads) and `api` (ChartMogul
// requests, each taking its turn in the account's pace, shared through the state store by every process).

import { NativeConnection, Runtime, Worker } from '@temporalio/worker';

import { createApiActivities, createIoActivities } from '../../activities';
import { createActivityDependencies } from '../../activities/dependencies';
import { TASK_QUEUES } from '../contracts/names';
import { configuredAccounts } from '../chartmogul/accounts';
import type { Config } from '../config';
import { DEFAULT_PACE, type PaceLimits } from '../limits';
import { dataConverterFor } from '../privacy/data-converter';
import type { ClusterOptions } from '../temporal/cluster-options';
import { workflowBundle } from './bundle';
import { activityInterceptor } from './activity-interceptor';
import { createWorkerLogger, type LogFormat } from './log';

export interface WorkerOptions {
  address: string;
  namespace?: string;
  /** Per ChartMogul account, for every process that shares the state store together (not per process): the
   * shared pace holds them however many workers poll and however many partitions the task queue has. */
  limits?: Partial<PaceLimits>;
  /** The entry point's configuration: the state store, encryption keys, credentials and env:NAME lookups. */
  config: Config;
  /** Where run reports are written (default ./reports). */
  reportsDir?: string;
  /** TLS and API key, for a secured cluster (see src/temporal/cluster-options.ts). */
  cluster?: ClusterOptions;
  /** ChartMogul activities this process runs at once (default: see apiActivitySlots). */
  apiSlots?: number;
}

/** ChartMogul activities a worker process runs at once: a connection limit's worth for each account it has
 * a key for, so two accounts never share one account's slots (activities waiting for their account's turn
 * hold a slot). The account's connection leases, not these slots, hold each account to its limit. */
export function apiActivitySlots(maxConnections: number, env: NodeJS.ProcessEnv, override?: number): number {
  if (override !== undefined) return Math.max(1, override);
  return Math.max(1, maxConnections) * Math.max(1, configuredAccounts(env).length);
}

export interface RunningWorkers {
  /** Resolves when both workers have stopped. */
  run(): Promise<void>;
  shutdown(): void;
  connection: NativeConnection;
}

let runtimeInstalled = false;

export interface RuntimeOptions {
  /** The lowest level logged: workers log warnings, a one-shot `run` (which reports failed rows itself) errors. */
  level?: 'WARN' | 'ERROR' | 'INFO';
  logFormat?: LogFormat;
  /** Serve Prometheus metrics (the SDK's and the product's, src/contracts/names.ts METRIC_NAMES) on this port,
   * on every interface. */
  metricsPort?: number;
}

/** Installs the Temporal runtime this process's workers share: its log (one line per event, text or JSON)
 * and, when asked, its metrics endpoint. Only the first call in a process counts.
 * The SDK would shut every worker down on SIGINT or SIGTERM; our commands handle those signals themselves
 * (`run` cancels the sync and needs its worker to finish the rows in flight; `worker` drains). */
export function installRuntime(options: RuntimeOptions = {}): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = options.level ?? 'WARN';
  try {
    Runtime.install({
      logger: createWorkerLogger(level, options.logFormat ?? 'text'),
      shutdownSignals: [],
      telemetryOptions: {
        // The native core prints its own (rare) lines at this level too. They are not forwarded to the logger
        // above: forwarding keeps a process whose runtime never ran a worker from exiting (seen in tests).
        logging: { filter: { core: level, other: level } },
        ...(options.metricsPort === undefined
          ? {}
          : { metrics: { prometheus: { bindAddress: `0.0.0.0:${options.metricsPort}` } } }),
      },
    });
  } catch {
    // Already installed by the host program: keep its settings.
  }
}

export async function createWorkers(options: WorkerOptions): Promise<RunningWorkers> {
  installRuntime();
  const limits = { ...DEFAULT_PACE, ...options.limits };
  const { config } = options;
  const deps = createActivityDependencies({ pace: limits, config });
  const connection = await NativeConnection.connect({ address: options.address, ...options.cluster });
  const dataConverter = dataConverterFor(config.encryptionKeys);
  const namespace = options.namespace ?? 'default';
  const [io, api] = await Promise.all([
    Worker.create({
      connection,
      namespace,
      taskQueue: TASK_QUEUES.io,
      dataConverter,
      workflowBundle: await workflowBundle(),
      activities: createIoActivities(deps, { config, reportsDir: options.reportsDir }),
      interceptors: { activity: [activityInterceptor] },
    }),
    // No server-side or per-worker rate: the task queue serves every account, and each account has its
    // own pace.
    Worker.create({
      connection,
      namespace,
      taskQueue: TASK_QUEUES.api,
      dataConverter,
      activities: createApiActivities(deps),
      interceptors: { activity: [activityInterceptor] },
      maxConcurrentActivityTaskExecutions: apiActivitySlots(
        limits.maxConnections,
        config.environment,
        options.apiSlots,
      ),
    }),
  ]);
  return {
    connection,
    async run() {
      try {
        await Promise.all([io.run(), api.run()]);
      } finally {
        await deps.close();
        await connection.close();
      }
    },
    shutdown() {
      for (const worker of [io, api]) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
