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
import * as patches from '../workflows/patches';
import { workflowBundle } from '../src/worker/bundle';
import { installRuntime } from '../src/worker/workers';

const FOLDER = join(__dirname, 'fixtures', 'histories');
/** Releases whose syncs may still be running when this code takes over (docs/VERSIONING.md): their
 * histories must replay. Older folders are kept, not replayed: 0.2's predate the patches 0.4 deprecated, 0.3's
 * took branches whose patches 0.5 removed, and 0.5's those of the patches 0.7 removed. */
const SUPPORTED_RELEASES = ['0.6', '0.7'];
/** Patches of a release in progress, whose histories are recorded once its workflow code is final: until then
 * test/replay-current.e2e.test.ts records a run that takes each and replays it. None now. */
const IN_PROGRESS_PATCHES: string[] = [];
/** The release this code is: its histories take every branch a patch guards. */
const CURRENT = SUPPORTED_RELEASES[SUPPORTED_RELEASES.length - 1] ?? '';
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

/** The patch ids whose markers a history records (`core_patch` markers; `deprecated` as deprecatePatch wrote
 * it). */
function patchMarkersOf(history: { events?: { markerRecordedEventAttributes?: unknown }[] }) {
  const markers: { id: string; deprecated: boolean }[] = [];
  for (const event of history.events ?? []) {
    const marker = event.markerRecordedEventAttributes as
      { markerName?: string; details?: { 'patch-data'?: { payloads?: { data?: string }[] } } } | undefined;
    const data = marker?.markerName === 'core_patch' ? marker.details?.['patch-data']?.payloads?.[0]?.data : undefined;
    if (data)
      markers.push(JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string; deprecated: boolean });
  }
  return markers;
}

/** Every patch id the workflow code asks for, by how: `patched` (both branches kept) or `deprecatePatch`. */
function patchCalls(): { id: string; deprecated: boolean }[] {
  const ids = new Map(Object.entries(patches));
  const calls: { id: string; deprecated: boolean }[] = [];
  const workflowFiles = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? workflowFiles(join(folder, entry.name))
        : entry.name.endsWith('.ts')
          ? [join(folder, entry.name)]
          : [],
    );
  for (const file of workflowFiles(join(__dirname, '..', 'workflows'))) {
    for (const [, how, name] of readFileSync(file, 'utf8').matchAll(/\b(patched|deprecatePatch)\((\w+)\)/g)) {
      const id = ids.get(name ?? '');
      assert.ok(id, `${file}: ${name} is not declared in workflows/patches.ts`);
      calls.push({ id, deprecated: how === 'deprecatePatch' });
    }
  }
  return calls;
}

test(`every patch the workflow code asks for is reached by a recorded ${CURRENT} history`, () => {
  const calls = patchCalls();
  assert.ok(calls.length > 0, 'the workflow code asks for no patch: this test reads it wrongly');
  const recorded = files
    .filter((file) => file.startsWith(`${CURRENT}/`))
    .flatMap((file) =>
      patchMarkersOf((JSON.parse(readFileSync(join(FOLDER, file), 'utf8')) as { history: never }).history),
    );
  const unreached = calls.filter(
    (call) =>
      !IN_PROGRESS_PATCHES.includes(call.id) &&
      !recorded.some((marker) => marker.id === call.id && marker.deprecated === call.deprecated),
  );
  assert.deepEqual(unreached, [], 'record a history that takes each of these branches (scripts/record-histories.ts)');
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
