// Creates the two workers a process runs: `io` (workflows and source reads) and `api` (ChartMogul
// requests, paced globally by the server and locally by the client).

import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

import { createActivities } from '../../activities';
import { createActivityDependencies } from '../../activities/dependencies';
import { TASK_QUEUES } from '../../workflows/names';
import type { ClusterOptions } from '../temporal/cluster-options';
import { workflowBundle } from './bundle';

export interface WorkerLimits {
  /** ChartMogul's request limit for the whole task queue, all workers together (server-enforced). */
  requestsPerSecond: number;
  /** ChartMogul's parallel-connection limit, split between this many worker processes. */
  maxConnections: number;
  workerProcesses: number;
}

/** 38 of ChartMogul's 40 requests/s: the pacing is strict (evenly spaced), so the margin can be small. */
export const DEFAULT_LIMITS: WorkerLimits = { requestsPerSecond: 38, maxConnections: 20, workerProcesses: 1 };

export interface WorkerOptions {
  address: string;
  namespace?: string;
  limits?: Partial<WorkerLimits>;
  /** Where credentials and `env:NAME` references are read (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** Where run reports are written (default ./reports). */
  reportsDir?: string;
  /** TLS and API key, for a secured cluster (see src/temporal/cluster-options.ts). */
  cluster?: ClusterOptions;
}

export interface RunningWorkers {
  /** Resolves when both workers have stopped. */
  run(): Promise<void>;
  shutdown(): void;
  connection: NativeConnection;
}

let runtimeInstalled = false;

/** Core logs worker state at INFO; warnings are what an operator needs. A one-shot `run` shows its own
 * report of failed rows, so it asks for errors only. Only the first call in a process counts. */
export function installQuietRuntime(level: 'WARN' | 'ERROR' = 'WARN'): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // Already installed by the host program: keep its settings.
  }
}

export async function createWorkers(options: WorkerOptions): Promise<RunningWorkers> {
  installQuietRuntime();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const perProcessConnections = Math.max(1, Math.floor(limits.maxConnections / limits.workerProcesses));
  const perProcessRate = limits.requestsPerSecond / limits.workerProcesses;
  const deps = createActivityDependencies({ maxConnections: perProcessConnections, requestsPerSecond: perProcessRate, env: options.env });
  const activities = createActivities(deps, { env: options.env, reportsDir: options.reportsDir });
  const connection = await NativeConnection.connect({ address: options.address, ...options.cluster });
  const namespace = options.namespace ?? 'default';
  const [io, api] = await Promise.all([
    Worker.create({ connection, namespace, taskQueue: TASK_QUEUES.io, workflowBundle: await workflowBundle(), activities }),
    Worker.create({
      connection, namespace, taskQueue: TASK_QUEUES.api, activities,
      maxTaskQueueActivitiesPerSecond: limits.requestsPerSecond,
      maxActivitiesPerSecond: perProcessRate,
      maxConcurrentActivityTaskExecutions: perProcessConnections,
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
