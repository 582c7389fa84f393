// The read activity: it scans past unchanged rows (counting them, never returning them), hands on pages
// bounded by rows and bytes, and resumes exactly after the last row it handed on. Real files, a real SQLite
// state store; no Temporal server (the activity runs in the SDK's mock activity environment).

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { MockActivityEnvironment } from '@temporalio/testing';

import { createIoActivities } from '../activities';
import { createActivityDependencies } from '../activities/dependencies';
import { syncTargetOf, type ReadPageInput, type ReadPageResult } from '../src/contracts/activities';
import { readConfig } from '../src/config';
import { MAX_BULK_PAGE_BYTES, MAX_PAGE_BYTES } from '../src/limits';
import { START } from '../src/sources';
import { parseSpec, type SyncSpec } from '../src/sync-spec/schema';
import { jsonBytes, PageBuilder } from '../src/state/page-builder';
import { TEST_DATA_SOURCE } from './helpers/temporal';
import { writeCsv } from './helpers/sync';

const config = readConfig({
  CHARTMOGUL_API_KEY: 'read_page_key',
  STATE_SQLITE_PATH: join(mkdtempSync(join(tmpdir(), 'cms-read-')), 'state.sqlite'),
});
const deps = createActivityDependencies({ config });
const io = createIoActivities(deps, { config, reportsDir: mkdtempSync(join(tmpdir(), 'cms-read-reports-')) });
const environment = new MockActivityEnvironment();
after(() => deps.close());

function customersSpec(
  name: string,
  path: string,
  { mapping = [{ from: 'note', to: 'note' }], ...options }: Record<string, unknown> & { mapping?: object[] } = {},
): SyncSpec {
  const parsed = parseSpec({
    name,
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: TEST_DATA_SOURCE,
    source: { type: 'file', path },
    mapping: [{ from: 'id', to: 'external_id' }, { from: 'name', to: 'name' }, ...mapping],
    options,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.spec;
}

/** Every page of a sync's read, as the sync workflow asks for them; `hint` gives each read after the first
 * its rowsHint from the page before (the sync's: a tenth more rows than that page took). */
async function readAll(spec: SyncSpec, hint?: (last: ReadPageResult) => number): Promise<ReadPageResult[]> {
  const pages: ReadPageResult[] = [];
  let cursor = START;
  let columnTypes: ReadPageResult['columnTypes'] | undefined;
  for (;;) {
    const last = pages.at(-1);
    const page: ReadPageResult = await environment.run<[ReadPageInput], ReadPageResult, typeof io.readPage>(
      io.readPage,
      {
        spec,
        cursor,
        columnTypes,
        ...(hint && last ? { rowsHint: hint(last) } : {}),
      },
    );
    pages.push(page);
    if (page.done) return pages;
    cursor = page.cursor;
    columnTypes = page.columnTypes;
  }
}

/** Records every row of the pages as sent, as the sync does once ChartMogul confirmed them. */
async function recordAllSent(spec: SyncSpec, pages: ReadPageResult[]): Promise<void> {
  const records = deps.namespaces(syncTargetOf(spec)).records;
  await deps.store.recordSent(
    records,
    pages.flatMap((page) =>
      page.rows.map((row) => ({
        key: row.key,
        uuid: `cus_${row.key}`,
        hash: row.hash ?? '',
        status: 'created' as const,
        attributeKeys: ['note'],
      })),
    ),
  );
}

const rowsOf = (count: number, changed = new Set<number>()) =>
  Array.from({ length: count }, (_, index) => [
    `R-${String(index).padStart(6, '0')}`,
    `Row ${index}${changed.has(index) ? ' (changed)' : ''}`,
    'short',
  ]);

test('a re-read of 12,000 rows with 3 changed returns only those 3, in a few reads, and counts the rest', async () => {
  const spec = customersSpec('read-unchanged', writeCsv('read-unchanged.csv', ['id', 'name', 'note'], rowsOf(12_000)));
  const first = await readAll(spec);
  // 200 rows to send a page (and an empty last read that finds the end).
  assert.equal(first.length, 61);
  assert.ok(first.slice(0, 60).every((page) => page.rows.length === 200));
  assert.equal(
    first.reduce((sum, page) => sum + page.rows.length, 0),
    12_000,
  );
  await recordAllSent(spec, first);

  const changed = new Set([5, 6_001, 11_999]);
  const again = customersSpec(
    'read-unchanged',
    writeCsv('read-unchanged-2.csv', ['id', 'name', 'note'], rowsOf(12_000, changed)),
  );
  const pages = await readAll(again);
  assert.ok(pages.length <= 4, `read in ${pages.length} activities`);
  assert.deepEqual(
    pages.flatMap((page) => page.rows.map((row) => row.key)),
    ['R-000005', 'R-006001', 'R-011999'],
  );
  assert.equal(
    pages.reduce((sum, page) => sum + page.unchanged, 0),
    11_997,
  );
});

test('wide rows: each page holds at most MAX_PAGE_BYTES, and every row comes exactly once, in order', async () => {
  const attributes = Array.from({ length: 10 }, (_, index) => `a${index}`);
  const rows = Array.from({ length: 300 }, (_, index) => [
    `W-${String(index).padStart(4, '0')}`,
    `Wide ${index}`,
    ...attributes.map((attribute) => `${index}${attribute}`.padEnd(250, 'w')),
  ]);
  const spec = customersSpec('read-wide', writeCsv('read-wide.csv', ['id', 'name', ...attributes], rows), {
    pageSize: 1000,
    mapping: attributes.map((attribute) => ({ from: attribute, to: attribute })),
  });
  const pages = await readAll(spec);
  assert.ok(pages.length >= 3, `${pages.length} pages for about 850 KB of rows`);
  for (const page of pages) {
    assert.ok((page.bytes ?? 0) <= MAX_PAGE_BYTES, `a page of ${page.bytes} bytes`);
    assert.equal(
      page.bytes,
      page.rows.reduce((sum, row) => sum + jsonBytes(row), 0),
    );
  }
  assert.deepEqual(
    pages.flatMap((page) => page.rows.map((row) => row.key)),
    rows.map((row) => row[0]),
  );
  // Reads that first ask for about what the last page held (or far fewer, then for what fills the rest) hand on
  // the same pages.
  const keysOf = (read: ReadPageResult[]) => read.map((page) => page.rows.map((row) => row.key));
  const hinted = await readAll(spec, (last) => Math.ceil(last.rows.length * 1.1));
  assert.deepEqual(keysOf(hinted), keysOf(pages));
  const short = await readAll(spec, (last) => Math.ceil(last.rows.length / 3));
  assert.deepEqual(keysOf(short), keysOf(pages));
});

test('a page bounded by bytes stops at the row that does not fit, and the next read starts with it', () => {
  const builder = new PageBuilder<string>(10, 1100);
  const row = (key: string, note: string) => ({
    key,
    rowNumber: Number(key),
    fields: { external_id: key },
    custom: [{ key: 'note', type: 'String' as const, value: note }],
  });
  assert.ok(builder.add({ send: row('1', 'a'.repeat(400)) }));
  assert.ok(builder.add({ unchanged: 'two' }));
  assert.ok(builder.add({ send: row('3', 'b'.repeat(400)) }));
  assert.equal(builder.add({ send: row('4', 'c'.repeat(400)) }), false, 'the third does not fit');
  assert.equal(builder.add({ unchanged: 'five' }), false, 'nothing after a refused row joins the page');
  assert.deepEqual(
    builder.rows.map((sent) => sent.key),
    ['1', '3'],
  );
  assert.ok(builder.bytes <= 1100);
  assert.equal(builder.bytes, jsonBytes(builder.rows[0]) + jsonBytes(builder.rows[1]));

  const alone = new PageBuilder<string>(10, 1000);
  assert.ok(alone.add({ send: row('9', 'z'.repeat(2000)) }), 'a row too large is taken as a rejection');
  assert.equal(alone.rows.length, 0);
  assert.match(alone.rejected[0]?.reasons[0] ?? '', /^row 9 \(key "9"\): the row takes 3 KB, more than the 1 KB/);
});

test('a page sized for a bulk import holds up to MAX_BULK_PAGE_BYTES, and one row is still bounded by MAX_PAGE_BYTES', () => {
  const builder = new PageBuilder<string>(1000, MAX_BULK_PAGE_BYTES);
  const row = (key: string, bytes: number) => ({
    key,
    rowNumber: Number(key),
    fields: { external_id: key },
    custom: [{ key: 'note', type: 'String' as const, value: 'n'.repeat(bytes) }],
  });
  for (let index = 1; index <= 7; index++) assert.ok(builder.add({ send: row(String(index), 100 * 1024) }));
  assert.ok(builder.bytes > MAX_PAGE_BYTES, `${builder.bytes} bytes: more than a page not sized for bulk holds`);
  assert.ok(builder.add({ send: row('8', MAX_PAGE_BYTES) }), 'a row too large on its own is taken as a rejection');
  assert.deepEqual(
    builder.rejected.map((rejected) => rejected.key),
    ['8'],
  );
  assert.match(builder.rejected[0]?.reasons[0] ?? '', /more than the 256 KB one row may take/);
  assert.equal(builder.add({ send: row('9', 100 * 1024) }), false, 'an eighth row of 100 KB would pass 768 KB');
  assert.equal(builder.rows.length, 7);
  assert.ok(builder.bytes <= MAX_BULK_PAGE_BYTES);
});

test("a file's unreadable lines come first, a page at a time within the byte bound, each once", async () => {
  // 4,000 lines with a field too many (each a rejection of about 80 bytes), then 5 good rows.
  const lines = ['id,name,note'];
  for (let index = 0; index < 4000; index++) lines.push(`X-${index},Name,note,extra field ${'x'.repeat(20)}`);
  for (let index = 0; index < 5; index++) lines.push(`G-${index},Good ${index},fine`);
  const path = join(mkdtempSync(join(tmpdir(), 'cms-read-lines-')), 'lines.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const pages = await readAll(customersSpec('read-lines', path));
  assert.ok(pages.length >= 2, `${pages.length} pages`);
  for (const page of pages) assert.ok((page.bytes ?? 0) <= MAX_PAGE_BYTES, `a page of ${page.bytes} bytes`);
  const rejected = pages.flatMap((page) => page.rejected.map((row) => row.key));
  assert.equal(rejected.length, 4000);
  assert.equal(new Set(rejected).size, 4000, 'each line once');
  assert.deepEqual(
    pages.flatMap((page) => page.rows.map((row) => row.key)),
    ['G-0', 'G-1', 'G-2', 'G-3', 'G-4'],
  );
});
