// Starts a Temporal dev server (with Web UI) from the `temporal` CLI: for tests, `run` without a cluster,
// and the README's quickstart. Waits until the server answers, however long the machine takes.

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { Connection } from '@temporalio/client';
import type { SearchAttributeKey, SearchAttributeType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';

import type { TemporalCliLocations } from '../config';
import { ensureTemporalCli, type TemporalExecutable } from './cli-binary';

export interface DevServerOptions {
  /** Where to look for the CLI (src/config.ts: `temporalCli`), when `executable` is left out. */
  temporalCli: TemporalCliLocations;
  /** Which binary to run; found or installed with `ensureTemporalCli()` when left out. */
  executable?: TemporalExecutable;
  namespace?: string;
  /** Serve the Web UI (default true). */
  ui?: boolean;
  /** Search attributes to register, e.g. keys made with `defineSearchAttributeKey`. */
  searchAttributes?: SearchAttributeKey<SearchAttributeType>[];
  /** A SQLite file to keep state across restarts (default: in memory). */
  dbFilename?: string;
  /** Extra `--dynamic-config-value KEY=JSON` settings. */
  dynamicConfig?: Record<string, string | number | boolean>;
  /** A remote codec endpoint for the Web UI (src/privacy/codec-server.ts), so it shows decrypted payloads. */
  codecEndpoint?: string;
  /** Fixed ports (default: free ones), e.g. the dev server's usual 7233 and 8233 for `serve`. */
  port?: number;
  uiPort?: number;
  /** How long to wait for the server to answer (default 120 s; the first start on a cold machine is slow). */
  startTimeoutMs?: number;
}

export interface DevServer {
  /** host:port of the frontend (gRPC). */
  address: string;
  namespace: string;
  /** The Web UI's URL, when it is served. */
  uiUrl?: string;
  stop(): Promise<void>;
}

/** The CLI's names for search attribute types. */
const CLI_TYPES: Record<string, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Connects, asks for the namespace, and disconnects: throws unless a Temporal server answers there. */
async function describeNamespaceAt(address: string, namespace: string, connectTimeoutMs: number): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: connectTimeoutMs });
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } finally {
    await connection.close();
  }
}

/** Whether a Temporal server answers at the address now (one try, a second at most). */
export function serverAnswers(address: string, namespace: string): Promise<boolean> {
  return describeNamespaceAt(address, namespace, 1_000).then(
    () => true,
    () => false,
  );
}

/** The server died before it served: on ports this process picked, most likely one another process took
 * between the pick and the server's bind (the dev server also binds ports next to the one given). */
class ExitedEarly extends Error {}

/** Tries a server start again on other ports when ports picked here were taken under it. */
const PICKED_PORT_ATTEMPTS = 3;

async function waitUntilServing(
  address: string,
  namespace: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new ExitedEarly(
        `The Temporal dev server exited early (${child.exitCode ?? child.signalCode}). Its output:\n${output()}`,
      );
    }
    try {
      await describeNamespaceAt(address, namespace, 2_000);
      return;
    } catch (error) {
      lastError = error;
      await sleep(250);
    }
  }
  throw new Error(
    `The Temporal dev server did not answer on ${address} within ${timeoutMs / 1000} s (${String(lastError)}). Its output:\n${output()}`,
  );
}

/** Runs the server under a small shell that stops it as soon as this process's end of its stdin pipe
 * closes: on a normal stop, but also when this process dies of SIGKILL, which no handler in it can see.
 * The shell leads its own process group, so a terminal's Ctrl+C reaches only this process (which then
 * stops the server in order) and a forced stop can end the whole group. */
const WATCHDOG = [
  '"$@" <&- & server=$!',
  'exec 3<&0',
  '( while read -r _ <&3; do :; done; kill -TERM "$server" 2>/dev/null ) & watcher=$!',
  'wait "$server"; status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

/** How long a server may take to stop before it is killed. */
const STOP_GRACE_MS = 10_000;

function spawnServer(path: string, args: string[]): ChildProcess {
  if (process.platform === 'win32') return spawn(path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return spawn('/bin/sh', ['-c', WATCHDOG, 'temporal-watchdog', path, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
}

/** Kills the server and its watchdog at once. */
function killServer(child: ChildProcess): void {
  try {
    if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => killServer(child), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    if (child.stdin) child.stdin.end();
    else child.kill('SIGTERM');
  });
}

async function startWithBinary(path: string, options: DevServerOptions): Promise<DevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(path, options);
    } catch (error) {
      const pickedHere = options.port === undefined && (options.ui === false || options.uiPort === undefined);
      if (!(error instanceof ExitedEarly) || !pickedHere || attempt >= PICKED_PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOnce(path: string, options: DevServerOptions): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const port = options.port ?? (await freePort());
  const uiPort = options.ui === false ? undefined : (options.uiPort ?? (await freePort()));
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
  ];
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  if (options.codecEndpoint && uiPort !== undefined) args.push('--ui-codec-endpoint', options.codecEndpoint);
  for (const key of options.searchAttributes ?? [])
    args.push('--search-attribute', `${key.name}=${CLI_TYPES[key.type] ?? key.type}`);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  const child = spawnServer(path, args);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Never leave a server behind when this process ends: on exit here, and on any death through the watchdog.
  const killOnExit = () => killServer(child);
  process.once('exit', killOnExit);
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilServing(address, namespace, child, () => tail, options.startTimeoutMs ?? 120_000);
  } catch (error) {
    await stopChild(child);
    process.removeListener('exit', killOnExit);
    throw error;
  }
  return {
    address,
    namespace,
    uiUrl: uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`,
    stop: async () => {
      await stopChild(child);
      process.removeListener('exit', killOnExit);
    },
  };
}

/** The SDK's own path: downloads the CLI (internet needed) and gives it 5 s to start. */
async function startWithSdkDownload(options: DevServerOptions): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const uiPort = options.ui === false ? undefined : (options.uiPort ?? (await freePort()));
  const extraArgs = Object.entries(options.dynamicConfig ?? {}).flatMap(([key, value]) => [
    '--dynamic-config-value',
    `${key}=${JSON.stringify(value)}`,
  ]);
  if (options.codecEndpoint && uiPort !== undefined) extraArgs.push('--ui-codec-endpoint', options.codecEndpoint);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      namespace,
      port: options.port,
      uiPort,
      extraArgs,
      dbFilename: options.dbFilename,
      searchAttributes: options.searchAttributes,
    },
  });
  return {
    address: env.address,
    namespace,
    uiUrl: uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`,
    stop: () => env.teardown(),
  };
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const executable = options.executable ?? (await ensureTemporalCli({ locations: options.temporalCli }));
  return executable.type === 'existing-path'
    ? startWithBinary(executable.path, options)
    : startWithSdkDownload(options);
}
