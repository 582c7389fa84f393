// The `chartmogul-sync` binary as a user runs it: help, exit codes, and the emulator command.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { test } from 'node:test';

const BIN = join(__dirname, '..', 'bin', 'chartmogul-sync.js');

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
}

test('--help lists the commands and the exit codes', () => {
  const result = cli(['--help']);
  assert.equal(result.status, 0);
  assert.match(result.stdout, /Usage: chartmogul-sync <command>/);
  assert.match(result.stdout, /emulator/);
  assert.match(result.stdout, /Exit codes/);
});

test('an unknown command or flag exits 2 and says what is wrong', () => {
  const unknown = cli(['frobnicate']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /Unknown command "frobnicate"/);
  const badFlag = cli(['emulator', '--nope']);
  assert.equal(badFlag.status, 2);
  assert.match(badFlag.stderr, /--nope/);
  const badSource = cli(['emulator', '--data-source', 'abc']);
  assert.equal(badSource.status, 2);
  assert.match(badSource.stderr, /ds_ followed by a UUID/);
  const badFaults = cli(['emulator', '--faults', '429=7']);
  assert.equal(badFaults.status, 2);
  assert.match(badFaults.stderr, /from 0 to 1/);
});

test('`emulator` prints its URL, serves the API with the given key, and stops on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    [BIN, 'emulator', '--api-key', 'cli-key', '--data-source', 'ds_11111111-2222-4333-8444-555555555555'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const url = chunk.toString().trim();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const response = await fetch(`${url}/v1/data_sources/ds_11111111-2222-4333-8444-555555555555`, {
    headers: { authorization: `Basic ${Buffer.from('cli-key:').toString('base64')}` },
  });
  assert.equal(response.status, 200);
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number];
  assert.equal(code, 0);
});

test('`npm run emulator -- --help` runs the emulator command (the script points at the real CLI)', () => {
  const result = spawnSync('npm', ['run', '--silent', 'emulator', '--', '--help'], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Usage: chartmogul-sync emulator/);
});
