// A private Snowflake stand-in for tests: fakesnow behind test/snowflake/serve.py (see there why it re-encodes
// answers as JSON), on a free port, stopped after. Needs the virtualenv `npm run setup:fakesnow` makes
// (`.ci/run` does).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Connection } from 'snowflake-sdk';

import { snowflakeDriver } from '../../src/sources/snowflake';
import { freePort } from '../../src/temporal/dev-server';

/** The product's driver loader (quiet: no log file), without the warning its AWS SDK gives on Node 20 about
 * that SDK's own future (the CLI entry point silences it the same way). */
function quietDriver(): ReturnType<typeof snowflakeDriver> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return snowflakeDriver();
}

const ROOT = join(__dirname, '..', '..');
const PYTHON = join(ROOT, '.cache', 'fakesnow', 'bin', 'python');

export interface TestSnowflake {
  /** The stand-in's address, as SNOWFLAKE_HOST takes it. */
  host: string;
  /** The worker environment of a connection to it (SNOWFLAKE_…, or SNOWFLAKE_CONNECTIONS_<NAME>_… when named). */
  env(connection?: string, password?: string): Record<string, string>;
  /** Runs statements as an administrator would (tables, rows), one after the other. */
  run(...statements: string[]): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

async function listening(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`fakesnow exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error('fakesnow did not start listening within 20 s');
}

/** `password`: the only password the stand-in accepts (fakesnow alone accepts any); `publicKeyFile`: the PEM
 * public key a key-pair login must be signed for. */
export async function startTestSnowflake(
  options: { password?: string; publicKeyFile?: string } = {},
): Promise<TestSnowflake> {
  if (!existsSync(PYTHON))
    throw new Error('The Snowflake stand-in is not installed: run `npm run setup:fakesnow` (.ci/run does).');
  const port = await freePort();
  const password = options.password ?? 'stand-in-password';
  const serveArgs = [join(ROOT, 'test', 'snowflake', 'serve.py'), String(port), password];
  if (options.publicKeyFile) serveArgs.push(options.publicKeyFile);
  const child = spawn(PYTHON, serveArgs, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await listening(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}`);
  }
  const host = `http://127.0.0.1:${port}`;
  const admin: Connection = (await quietDriver()).createConnection({
    account: 'standin',
    username: 'admin',
    password,
    accessUrl: host,
  });
  await new Promise((resolve, reject) => admin.connect((error) => (error ? reject(error) : resolve(null))));
  const execute = (sqlText: string) =>
    new Promise<Record<string, unknown>[]>((resolve, reject) =>
      admin.execute({
        sqlText,
        complete: (error, _statement, rows) =>
          error ? reject(error) : resolve((rows ?? []) as Record<string, unknown>[]),
      }),
    );
  await execute('CREATE DATABASE IF NOT EXISTS sales');
  await execute('CREATE SCHEMA IF NOT EXISTS sales.billing');
  return {
    host,
    env(connection, given = password) {
      const prefix = connection ? `SNOWFLAKE_CONNECTIONS_${connection.toUpperCase()}_` : 'SNOWFLAKE_';
      return {
        [`${prefix}ACCOUNT`]: 'standin',
        [`${prefix}USER`]: 'sync_reader',
        [`${prefix}PASSWORD`]: given,
        [`${prefix}DATABASE`]: 'sales',
        [`${prefix}SCHEMA`]: 'billing',
        [`${prefix}WAREHOUSE`]: 'sync_wh',
        [`${prefix}ROLE`]: 'sync_reader',
        [`${prefix}HOST`]: host,
      };
    },
    async run(...statements) {
      let rows: Record<string, unknown>[] = [];
      for (const statement of statements) rows = await execute(statement);
      return rows;
    },
    async stop() {
      await new Promise((resolve) => admin.destroy(() => resolve(null)));
      child.kill('SIGKILL');
    },
  };
}
