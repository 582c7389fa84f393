// A private, throwaway Postgres server for tests: initdb in a temp folder, on a free port, stopped after.
// Needs Debian's postgresql package (`.ci/run` installs it). As root it runs the server as `postgres`.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../../src/temporal/dev-server';

export interface TestPostgres {
  url: string;
  stop(): void;
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest)
    throw new Error(
      'No Postgres server found under /usr/lib/postgresql: install it with `apt-get install postgresql` (.ci/run does).',
    );
  return join(root, newest, 'bin');
}

function asServerUser(command: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  const result = isRoot
    ? spawnSync(
        'su',
        [
          'postgres',
          '-s',
          '/bin/sh',
          '-c',
          [command, ...args].map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(' '),
        ],
        { encoding: 'utf8' },
      )
    : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = postgresBin();
  const folder = mkdtempSync(join(tmpdir(), 'cms-pg-'));
  chmodSync(folder, 0o777);
  const data = join(folder, 'data');
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', folder]);
  const port = await freePort();
  asServerUser(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  asServerUser(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(folder, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
