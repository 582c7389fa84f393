// Sources read every format in record-key order, one page at a time, resumable from a cursor; keys keep
// their exact text; duplicates are flagged; column types come from the column, not a value.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';

import { parseSpec, type SyncSpec } from '../src/sync-spec/schema';
import {
  checkedColumnTypes,
  MissingColumnsError,
  openSource,
  START,
  type RowSource,
  type SourceCursor,
} from '../src/sources';
import { startTestPostgres, type TestPostgres } from './helpers/postgres';

const DS = 'ds_11111111-2222-4333-8444-555555555555';
const folder = mkdtempSync(join(tmpdir(), 'cms-sources-'));

function customersSpec(source: unknown): SyncSpec {
  const result = parseSpec({
    name: 'sources-test',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: DS,
    source,
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'seats', to: 'seats' },
    ],
  });
  assert.ok(result.ok, JSON.stringify(result));
  return result.spec;
}

/** Reads a whole source page by page, the way the sync does. */
async function readAll(source: RowSource, pageSize: number) {
  const pages = [];
  let cursor: SourceCursor = START;
  for (;;) {
    const page = await source.readPage(cursor, pageSize);
    pages.push(page);
    cursor = page.cursor;
    if (page.done) break;
  }
  return pages;
}

const CSV = 'id,name,seats\n003,Carol,7\n001,Ada,12\n002,Bob,\n001,Ada again,3\n010,Dan,1\n';

describe('files through DuckDB', () => {
  test('CSV: key order, exact text, duplicates flagged, pages resume from the cursor', async () => {
    const path = join(folder, 'customers.csv');
    writeFileSync(path, CSV);
    const source = await openSource(customersSpec({ type: 'file', path: 'customers.csv' }), { baseDir: folder });
    try {
      assert.deepEqual(await source.columnTypes(), { id: 'string', name: 'string', seats: 'integer' });
      const pages = await readAll(source, 2);
      const rows = pages.flatMap((page) => page.rows);
      assert.deepEqual(
        rows.map((row) => [row.values.id, row.values.name, row.duplicate]),
        [
          ['001', 'Ada', false],
          ['001', 'Ada again', true],
          ['002', 'Bob', false],
          ['003', 'Carol', false],
          ['010', 'Dan', false],
        ],
        'the later row of a key in the file is the duplicate',
      );
      assert.deepEqual(
        rows.map((row) => row.rowNumber),
        [2, 4, 3, 1, 5],
        "a file's rows are numbered as they stand in it",
      );
      assert.equal(rows[0]?.values.seats, '12', 'CSV values arrive as text');
      assert.equal(rows.find((row) => row.values.name === 'Bob')?.values.seats, null);
      // A run resumed from the middle (say, after a crash) reads exactly the rest.
      const resumed = await source.readPage(pages[0]!.cursor, 10);
      assert.deepEqual(
        resumed.rows.map((row) => row.values.id),
        ['002', '003', '010'],
      );
    } finally {
      await source.close();
    }
  });

  test('a file that changed between pages is read on by key, not by position', async () => {
    const path = join(folder, 'changing.csv');
    writeFileSync(path, 'id,name,seats\nb,B,1\nd,D,2\nf,F,3\n');
    const spec = customersSpec({ type: 'file', path });
    const before = await openSource(spec);
    const first = await before.readPage(START, 2);
    await before.close();
    assert.deepEqual(
      first.rows.map((row) => row.values.id),
      ['b', 'd'],
    );
    writeFileSync(path, 'id,name,seats\na,A,0\nb,B,1\nc,C,9\nd,D,2\ne,E,8\nf,F,3\n');
    const after = await openSource(spec);
    const rest = await after.readPage(first.cursor, 10);
    await after.close();
    assert.deepEqual(
      rest.rows.map((row) => row.values.id),
      ['e', 'f'],
    );
  });

  test('JSON lines, JSON and Parquet give typed values', async () => {
    const rows = [
      { id: 'b', name: 'Bo', seats: 2 },
      { id: 'a', name: 'Al', seats: 1 },
    ];
    writeFileSync(join(folder, 'c.jsonl'), rows.map((row) => JSON.stringify(row)).join('\n'));
    writeFileSync(join(folder, 'c.json'), JSON.stringify(rows));
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    await connection.run(
      `COPY (SELECT * FROM read_json('${join(folder, 'c.json')}')) TO '${join(folder, 'c.parquet')}' (FORMAT parquet)`,
    );
    connection.closeSync();
    for (const file of ['c.jsonl', 'c.json', 'c.parquet']) {
      const source = await openSource(customersSpec({ type: 'file', path: join(folder, file) }));
      try {
        assert.equal((await source.columnTypes()).seats, 'integer', file);
        const [page] = await readAll(source, 10);
        assert.deepEqual(
          page?.rows.map((row) => [row.values.id, Number(row.values.seats)]),
          [
            ['a', 1],
            ['b', 2],
          ],
          file,
        );
      } finally {
        await source.close();
      }
    }
  });

  test('a DuckDB query is a source too', async () => {
    const source = await openSource(
      customersSpec({
        type: 'duckdb',
        query: "SELECT * FROM (VALUES ('k2', 'Two', 2.5), ('k1', 'One', 1.5)) t(id, name, seats)",
      }),
    );
    try {
      assert.equal((await source.columnTypes()).seats, 'decimal');
      const [page] = await readAll(source, 10);
      assert.deepEqual(
        page?.rows.map((row) => row.values.id),
        ['k1', 'k2'],
      );
    } finally {
      await source.close();
    }
  });

  test('unknown files, file types and key columns fail with a message that says what is wrong', async () => {
    await assert.rejects(
      openSource(customersSpec({ type: 'file', path: join(folder, 'x.xlsx') })),
      /\.xlsx" is not one of \.csv/,
    );
    await assert.rejects(
      openSource(customersSpec({ type: 'file', path: join(folder, 'missing.csv') })),
      /could not read the file ".*missing\.csv": no such file/,
    );
    writeFileSync(join(folder, 'nokey.csv'), 'nmae\nAda\n');
    const spec = customersSpec({ type: 'file', path: join(folder, 'nokey.csv') });
    const noKey = await openSource(spec);
    await assert.rejects(checkedColumnTypes(spec, noKey), (error: unknown) => {
      assert.ok(error instanceof MissingColumnsError);
      assert.match(error.message, /mapping\[0\]\.from: column "id" is not in the source/);
      assert.match(error.message, /mapping\[1\]\.from: column "name" is not in the source; did you mean "nmae"\?/);
      assert.match(error.message, /the source has the columns "nmae"/);
      return true;
    });
    await noKey.close();
  });

  test('a header that names a column twice is refused, naming the column and its positions', async () => {
    writeFileSync(join(folder, 'repeated.csv'), 'id,name,Name\nk1,Ada,Lovelace\n');
    await assert.rejects(
      openSource(customersSpec({ type: 'file', path: join(folder, 'repeated.csv') })),
      /the header of ".*repeated\.csv" names the column "name" and "Name" 2 times \(columns 2, 3\): give each column a name of its own/,
    );
  });
});

describe('bad lines in text files', () => {
  test('CSV: a bad byte, extra or missing fields, or a stray quote costs its line only, with the line and the reason', async () => {
    const path = join(folder, 'bad-lines.csv');
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from('id,name,seats\nA1,Good,1\nA2,Caf'),
        Buffer.from([0xe9]),
        Buffer.from(' latin,2\nA3,Extra,3,surplus\nA4,Missing\n'),
        Buffer.from('A5,"Quoted, with comma",5\nA6,"multi\nline",6\nA7,5" screen,7\r\nA8,Last,8'),
      ]),
    );
    const source = await openSource(customersSpec({ type: 'file', path }));
    try {
      assert.deepEqual(source.rejectedLines(), [
        { line: 3, rowNumber: 2, reason: 'line 3: not valid UTF-8 at byte 7' },
        { line: 4, rowNumber: 3, reason: 'line 4: 4 fields, the header has 3' },
        { line: 5, rowNumber: 4, reason: 'line 5: 2 fields, the header has 3' },
        { line: 9, rowNumber: 7, reason: 'line 9: a quote inside a field that does not start with one' },
      ]);
      assert.deepEqual(Object.keys(await source.columnTypes()), ['id', 'name', 'seats']);
      const page = await source.readPage(START, 10);
      assert.deepEqual(
        page.rows.map((row) => [row.rowNumber, row.values.id, row.values.name]),
        [
          [1, 'A1', 'Good'],
          [5, 'A5', 'Quoted, with comma'],
          [6, 'A6', 'multi\nline'],
          [8, 'A8', 'Last'],
        ],
      );
    } finally {
      await source.close();
    }
  });

  test('JSON lines: a malformed line or one that is not an object is one rejection; large numbers stay as written', async () => {
    const path = join(folder, 'bad-lines.jsonl');
    writeFileSync(
      path,
      '{"id":"J1","name":"ok","seats":1}\n{"id":"J2","name":"broken"\n[1,2]\n{"id":"J3","name":"big","seats":9007199254740993}\n\n{"id":"J4","name":{"a":1}}\n',
    );
    const source = await openSource(customersSpec({ type: 'file', path }));
    try {
      assert.deepEqual(
        source.rejectedLines().map((rejection) => rejection.reason),
        [
          "line 2: not valid JSON: expected ',' or '}' after property value in JSON at position 26",
          'line 3: expected a JSON object, found a list',
        ],
      );
      const page = await source.readPage(START, 10);
      assert.deepEqual(
        page.rows.map((row) => [row.rowNumber, row.values.id, row.values.name, String(row.values.seats)]),
        [
          [1, 'J1', 'ok', '1'],
          [4, 'J3', 'big', '9007199254740993'],
          [5, 'J4', { a: 1 }, 'null'],
        ],
      );
    } finally {
      await source.close();
    }
  });
});

describe('Postgres', () => {
  let postgres: TestPostgres;
  before(async () => {
    postgres = await startTestPostgres();
    const client = new pg.Client(postgres.url);
    await client.connect();
    await client.query(`CREATE TABLE accounts (id text, name text, seats int, signed date);
      INSERT INTO accounts SELECT lpad(i::text, 4, '0'), 'Name ' || i, i, DATE '2024-01-01' + i FROM generate_series(1, 450) i;
      INSERT INTO accounts VALUES ('0007', 'Seven again', 70, NULL);`);
    await client.end();
  });
  after(() => postgres?.stop());

  test('reads in key order across pages, with duplicates flagged and column types from the query', async () => {
    const spec = customersSpec({
      type: 'postgres',
      url: 'env:TEST_PG_URL',
      query: 'SELECT id, name, seats, signed FROM accounts',
    });
    const source = await openSource(spec, { env: { TEST_PG_URL: postgres.url } });
    try {
      assert.deepEqual(await source.columnTypes(), {
        id: 'string',
        name: 'string',
        seats: 'integer',
        signed: 'timestamp',
      });
      const pages = await readAll(source, 200);
      assert.equal(pages.length, 3);
      const rows = pages.flatMap((page) => page.rows);
      assert.equal(rows.length, 451);
      assert.deepEqual(
        rows.slice(5, 9).map((row) => [row.values.id, row.duplicate]),
        [
          ['0006', false],
          ['0007', false],
          ['0007', true],
          ['0008', false],
        ],
      );
      assert.equal(rows[0]?.values.signed, '2024-01-02', 'dates arrive as their text');
      assert.equal(new Set(rows.filter((row) => !row.duplicate).map((row) => row.values.id)).size, 450);
    } finally {
      await source.close();
    }
  });

  test('a missing env variable is named; the URL itself never appears in errors', async () => {
    const spec = customersSpec({ type: 'postgres', url: 'env:NOT_SET_PG', query: 'SELECT 1' });
    await assert.rejects(openSource(spec, { env: {} }), /env:NOT_SET_PG, but NOT_SET_PG is not set/);
    const wrong = customersSpec({ type: 'postgres', url: 'env:BAD_PG', query: 'SELECT 1' });
    await assert.rejects(
      openSource(wrong, { env: { BAD_PG: 'postgres://user:hunter2@127.0.0.1:1/db' } }),
      (error: Error) => !error.message.includes('hunter2') && /could not connect/.test(error.message),
    );
  });
});
