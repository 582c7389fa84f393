// Finding the Temporal CLI: TEMPORAL_CLI_PATH first, then PATH; a wrong path is a clear error.

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';

import { findTemporalCli } from '../src/temporal/cli-binary';
import { readConfig } from '../src/config';

const saved = { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH, PATH: process.env.PATH };
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

function fakeBinary(): string {
  const folder = mkdtempSync(join(tmpdir(), 'temporal-cli-'));
  const path = join(folder, 'temporal');
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

test('TEMPORAL_CLI_PATH wins when it points at an executable', async () => {
  const path = fakeBinary();
  process.env.TEMPORAL_CLI_PATH = path;
  assert.equal(await findTemporalCli(readConfig().temporalCli), path);
});

test('a TEMPORAL_CLI_PATH with nothing there is an error that names it', async () => {
  process.env.TEMPORAL_CLI_PATH = '/nowhere/temporal';
  await assert.rejects(findTemporalCli(readConfig().temporalCli), /TEMPORAL_CLI_PATH is set to "\/nowhere\/temporal"/);
});

test('`temporal` on PATH is found next', async () => {
  delete process.env.TEMPORAL_CLI_PATH;
  const path = fakeBinary();
  process.env.PATH = `${join(path, '..')}:${process.env.PATH ?? ''}`;
  assert.equal(await findTemporalCli(readConfig().temporalCli), path);
});
