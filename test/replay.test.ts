// Determinism guard: recorded histories of every supported release (test/fixtures/histories/<release>, made
// by scripts/record-histories.ts) must replay against the current workflow code. A failure here means a
// change would break running syncs: guard it with a patch (workflows/patches.ts, docs/VERSIONING.md).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';

import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';

import { dataConverterFor } from '../src/privacy/data-converter';
import { workflowBundle } from '../src/worker/bundle';
import { installRuntime } from '../src/worker/workers';

const FOLDER = join(__dirname, 'fixtures', 'histories');
/** Releases whose syncs may still be running when this code takes over (docs/VERSIONING.md): their
 * histories must replay. 0.3's were recorded from its last commit (e7f5e7c) when 0.4 was made; 0.2's predate
 * the patches 0.4 deprecates and are kept, not replayed. */
const SUPPORTED_RELEASES = ['0.3', '0.4'];
const files = SUPPORTED_RELEASES.flatMap((release) =>
  readdirSync(join(FOLDER, release))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => join(release, file)),
);
let bundle: WorkflowBundleOption;

before(async () => {
  installRuntime({ level: 'ERROR' });
  bundle = await workflowBundle();
});

test("there are recorded histories of the sync and its pages, of this package's release too", () => {
  const version = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string })
    .version;
  assert.ok(SUPPORTED_RELEASES.includes(version.split('.').slice(0, 2).join('.')), `release ${version} is replayed`);
  assert.ok(files.some((file) => /page-/.test(file)) && files.some((file) => !/page-/.test(file)), files.join(', '));
});

for (const file of files) {
  test(`replays ${file}`, async () => {
    const recorded = JSON.parse(readFileSync(join(FOLDER, file), 'utf8')) as { workflowId: string; history: unknown };
    await Worker.runReplayHistory(
      { workflowBundle: bundle, dataConverter: dataConverterFor([]) },
      historyFromJSON(recorded.history),
      recorded.workflowId,
    );
  });
}
