// A NULL is the absence of a value, whichever source and type it comes from: every source hands it to the
// mapping as null (never as text such as "NULL" or "null"), so `nulls: "skip"` leaves the field alone and
// `nulls: "clear"` clears it. One table over every source (Snowflake, Postgres, DuckDB queries, CSV, TSV,
// JSON lines, Parquet) and every column type a warehouse has (integers, decimals, floats, dates,
// timestamps, booleans, text, JSON/VARIANT), each next to a row holding real values of those types, so the
// column's type is really the one named.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';

import { openSource, START, type SourceRow } from '../src/sources';
import type { SourceValue } from '../src/sync-spec/fields';
import { mapRow, type ColumnType } from '../src/sync-spec/mapping';
import { parseSpec, type SyncSpec } from '../src/sync-spec/schema';
import { startTestPostgres, type TestPostgres } from './helpers/postgres';
import { startTestSnowflake, type TestSnowflake } from './helpers/snowflake';

const DS = 'ds_11111111-2222-4333-8444-555555555555';
const folder = mkdtempSync(join(tmpdir(), 'cms-nulls-'));

/** The typed columns of every case, by what they hold. `zip` is an integer column mapped to the customer's
 * text field `zip` (the case found from outside: a NULL there arrived as "NULL"); the rest are custom
 * attributes, typed from their column. */
const COLUMNS = ['zip', 'seats', 'price', 'ratio', 'signed', 'stamped', 'active', 'label', 'extra'] as const;
type Column = (typeof COLUMNS)[number];

/** The values of the row that has them, as each source should read them (then typed by the mapping). */
const FILLED: Record<Column, string> = {
  zip: '12345',
  seats: '4200',
  price: '19.99',
  ratio: '0.5',
  signed: '2024-01-31',
  stamped: '2024-01-02 03:04:05',
  active: 'true',
  label: 'gold',
  extra: '{"tier":"gold"}',
};

interface SourceCase {
  name: string;
  /** Makes the source (a table or a file) with row "A" filled and row "B" all NULL, and for sources with a
   * JSON type, row "C" whose JSON column holds JSON's own null; answers the spec's source. */
  make(): Promise<{ source: Record<string, unknown>; env?: Record<string, string> }>;
}

function spec(
  source: Record<string, unknown>,
  nulls: 'skip' | 'clear',
  columns: readonly Column[] = COLUMNS,
): SyncSpec {
  const result = parseSpec({
    name: 'nulls-test',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: DS,
    source,
    mapping: [{ from: 'id', to: 'external_id' }, ...columns.map((column) => ({ from: column, to: column }))],
    options: { nulls },
  });
  assert.ok(result.ok, JSON.stringify(result));
  return result.spec;
}

let postgres: TestPostgres;
let snowflake: TestSnowflake;

before(async () => {
  [postgres, snowflake] = await Promise.all([startTestPostgres(), startTestSnowflake()]);
});
after(async () => {
  postgres?.stop();
  await snowflake?.stop();
});

/** A DuckDB relation with both rows, each column of its SQL type. */
const DUCKDB_ROWS = `SELECT * FROM (VALUES
  ('A', 12345::INTEGER, 4200::BIGINT, 19.99::DECIMAL(10,2), 0.5::DOUBLE, DATE '2024-01-31',
   TIMESTAMP '2024-01-02 03:04:05', true, 'gold', '{"tier":"gold"}'::JSON),
  ('B', NULL::INTEGER, NULL::BIGINT, NULL::DECIMAL(10,2), NULL::DOUBLE, NULL::DATE, NULL::TIMESTAMP, NULL::BOOLEAN,
   NULL::VARCHAR, NULL::JSON),
  ('C', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'null'::JSON)
) AS t(id, ${COLUMNS.join(', ')})`;

async function duckdb(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function textFile(name: string, delimiter: string): string {
  const path = join(folder, name);
  const header = ['id', ...COLUMNS].join(delimiter);
  const filled = ['A', ...COLUMNS.map((column) => FILLED[column])]
    .map((value) => (value.includes(delimiter) || value.includes('"') ? `"${value.replace(/"/g, '""')}"` : value))
    .join(delimiter);
  // An empty field: the text formats' NULL.
  const empty = ['B', ...COLUMNS.map(() => '')].join(delimiter);
  writeFileSync(path, `${header}\n${filled}\n${empty}\n`);
  return path;
}

const CASES: SourceCase[] = [
  {
    name: 'Snowflake',
    async make() {
      await snowflake.run(
        `CREATE OR REPLACE TABLE sales.billing.nullable (id VARCHAR, zip NUMBER(5,0), seats NUMBER(38,0),
           price NUMBER(10,2), ratio FLOAT, signed DATE, stamped TIMESTAMP_NTZ, active BOOLEAN, label VARCHAR,
           extra VARIANT)`,
        `INSERT INTO sales.billing.nullable SELECT 'A', 12345, 4200, 19.99, 0.5, '2024-01-31',
           '2024-01-02 03:04:05', true, 'gold', PARSE_JSON('{"tier":"gold"}')`,
        `INSERT INTO sales.billing.nullable (id) VALUES ('B')`,
        `INSERT INTO sales.billing.nullable (id, extra) SELECT 'C', PARSE_JSON('null')`,
      );
      return {
        source: {
          type: 'snowflake',
          query: `SELECT id AS "id", ${COLUMNS.map((column) => `${column} AS "${column}"`).join(', ')} FROM nullable`,
        },
        env: snowflake.env(),
      };
    },
  },
  {
    name: 'Postgres',
    async make() {
      const client = new pg.Client(postgres.url);
      await client.connect();
      try {
        await client.query(`CREATE TABLE nullable (id text, zip integer, seats bigint, price numeric(10,2),
            ratio double precision, signed date, stamped timestamp, active boolean, label text, extra jsonb);
          INSERT INTO nullable VALUES ('A', 12345, 4200, 19.99, 0.5, '2024-01-31', '2024-01-02 03:04:05',
            true, 'gold', '{"tier":"gold"}');
          INSERT INTO nullable (id) VALUES ('B');
          INSERT INTO nullable (id, extra) VALUES ('C', 'null');`);
      } finally {
        await client.end();
      }
      return {
        source: { type: 'postgres', url: 'env:NULLS_PG_URL', query: 'SELECT * FROM nullable' },
        env: { NULLS_PG_URL: postgres.url },
      };
    },
  },
  {
    name: 'DuckDB query',
    async make() {
      return Promise.resolve({ source: { type: 'duckdb', query: DUCKDB_ROWS } });
    },
  },
  {
    name: 'CSV',
    async make() {
      return Promise.resolve({ source: { type: 'file', path: textFile('nullable.csv', ',') } });
    },
  },
  {
    name: 'TSV',
    async make() {
      return Promise.resolve({ source: { type: 'file', path: textFile('nullable.tsv', '\t') } });
    },
  },
  {
    name: 'JSON lines',
    async make() {
      const path = join(folder, 'nullable.jsonl');
      const filled = {
        id: 'A',
        zip: 12345,
        seats: 4200,
        price: 19.99,
        ratio: 0.5,
        signed: '2024-01-31',
        stamped: '2024-01-02T03:04:05Z',
        active: true,
        label: 'gold',
        extra: { tier: 'gold' },
      };
      const line = (row: Record<string, unknown>) => JSON.stringify(row);
      writeFileSync(
        path,
        `${line(filled)}\n${line({ id: 'B', ...Object.fromEntries(COLUMNS.map((column) => [column, null])) })}\n`,
      );
      return Promise.resolve({ source: { type: 'file', path } });
    },
  },
  {
    name: 'Parquet',
    async make() {
      const path = join(folder, 'nullable.parquet');
      await duckdb(`COPY (${DUCKDB_ROWS}) TO '${path}' (FORMAT parquet)`);
      return { source: { type: 'file', path } };
    },
  },
];

async function readRows(made: { source: Record<string, unknown>; env?: Record<string, string> }) {
  const source = await openSource(spec(made.source, 'skip'), { env: made.env ?? {} });
  try {
    const page = await source.readPage(START, 10);
    return {
      rows: new Map(page.rows.map((row: SourceRow) => [String(row.values.id), row])),
      types: await source.columnTypes(),
    };
  } finally {
    await source.close();
  }
}

describe('a NULL reaches the mapping as no value', () => {
  for (const sourceCase of CASES) {
    test(sourceCase.name, async () => {
      const made = await sourceCase.make();
      const { rows, types } = await readRows(made);
      const filled = rows.get('A');
      const empty = rows.get('B');
      assert.ok(filled && empty, `both rows read (${[...rows.keys()].join(', ')})`);

      const jsonNull = rows.get('C');
      if (jsonNull) assert.equal(jsonNull.values.extra ?? null, null, `JSON's null is no value either`);
      for (const column of COLUMNS) {
        const value: SourceValue = empty.values[column];
        assert.ok(value === null || value === undefined, `${column}: a NULL is read as ${JSON.stringify(value)}`);
        assert.ok(filled.values[column] !== null && filled.values[column] !== undefined, `${column} is filled in A`);
      }

      const skipSpec = spec(made.source, 'skip');
      const skipped = mapRow(skipSpec, empty.values, types, 2);
      assert.ok(skipped.ok, JSON.stringify(skipped));
      assert.deepEqual(skipped.row.fields, { external_id: 'B' }, 'nulls: "skip" sends none of the fields');
      assert.deepEqual(skipped.row.custom, []);

      const cleared = mapRow(spec(made.source, 'clear'), empty.values, types, 2);
      assert.ok(cleared.ok, JSON.stringify(cleared));
      assert.deepEqual(cleared.row.fields, { external_id: 'B', zip: null }, 'nulls: "clear" clears the zip');
      assert.deepEqual(
        cleared.row.custom.map((attribute) => [attribute.key, attribute.value]),
        COLUMNS.filter((column) => column !== 'zip').map((column) => [column, null]),
        'and every custom attribute',
      );

      // The filled row maps to the values it holds: the columns really are of the types named. (JSON columns
      // are left out: a JSON object is no text for an attribute, as each source's tests show.)
      const plain = COLUMNS.filter((column) => column !== 'extra');
      const mapped = mapRow(spec(made.source, 'skip', plain), filled.values, types, 1);
      assert.ok(mapped.ok, JSON.stringify(mapped));
      assert.equal(mapped.row.fields.zip, '12345');
      const custom = Object.fromEntries(mapped.row.custom.map((attribute) => [attribute.key, attribute.value]));
      assert.equal(custom.seats, 4200);
      assert.equal(custom.price, 19.99);
      assert.equal(custom.ratio, 0.5);
      assert.equal(custom.active, true);
      assert.equal(custom.label, 'gold');
    });
  }
});

/** Reads every row of a source spec (customers, mapped from `columns`), with its column types. */
async function readSource(
  source: Record<string, unknown>,
  columns: string[],
  env: Record<string, string> = {},
): Promise<{ values: Record<string, SourceValue>[]; spec: SyncSpec; types: Record<string, ColumnType> }> {
  const result = parseSpec({
    name: 'conversions-test',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: DS,
    source,
    mapping: [{ from: 'id', to: 'external_id' }, ...columns.map((column) => ({ from: column, to: column }))],
  });
  assert.ok(result.ok, JSON.stringify(result));
  const opened = await openSource(result.spec, { env });
  try {
    const page = await opened.readPage(START, 10);
    return { values: page.rows.map((row) => row.values), spec: result.spec, types: await opened.columnTypes() };
  } finally {
    await opened.close();
  }
}

describe('values a driver or library would convert keep what the source holds', () => {
  test('DuckDB: DECIMAL as its exact text (refused past a double, never rounded), TIME as text, an infinite date rejects its row alone', async () => {
    const {
      values,
      spec: read,
      types,
    } = await readSource(
      {
        type: 'duckdb',
        query: `SELECT * FROM (VALUES ('A', 12345678901234567890.12::DECIMAL(38,2), 19.99::DECIMAL(10,2), TIME '03:04:05', DATE '2024-01-31'),
          ('B', 1.5::DECIMAL(38,2), 0.10::DECIMAL(10,2), TIME '23:59:59', 'infinity'::DATE)) AS t(id, big, price, clock, signed)`,
      },
      ['big', 'price', 'clock', 'signed'],
    );
    const [a, b] = values;
    assert.equal(a?.big, '12345678901234567890.12');
    assert.equal(a?.price, '19.99');
    assert.equal(a?.clock, '03:04:05');
    assert.equal(typeof b?.signed, 'string', 'the infinite date is read as text, not a failed page');
    const first = mapRow(read, a, types, 1);
    assert.ok(!first.ok);
    assert.match(
      first.rejected.reasons.join('\n'),
      /field "big" value "12345678901234567890\.12": expected a Decimal of at most 15 significant digits/,
    );
    const second = mapRow(read, b!, types, 2);
    assert.ok(!second.ok);
    assert.match(second.rejected.reasons.join('\n'), /field "signed" value "[^"]+": expected an ISO 8601 date/);
  });

  test("Postgres: a TIMESTAMP without time zone is read as UTC whatever the worker's zone; JSON numbers exact", async () => {
    const client = new pg.Client(postgres.url);
    await client.connect();
    try {
      await client.query(`CREATE TABLE converted (id text, stamped timestamp, signed date, extra jsonb);
        INSERT INTO converted VALUES ('A', '2024-01-02 03:04:05.123', '2024-01-31', '12345678901234567890');`);
    } finally {
      await client.end();
    }
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const {
        values,
        spec: read,
        types,
      } = await readSource(
        { type: 'postgres', url: 'env:NULLS_PG_URL', query: 'SELECT * FROM converted' },
        ['stamped', 'signed', 'extra'],
        { NULLS_PG_URL: postgres.url },
      );
      const kept = mapRow(read, values[0]!, types, 1);
      assert.ok(kept.ok, JSON.stringify(kept));
      const custom = Object.fromEntries(kept.row.custom.map((attribute) => [attribute.key, attribute.value]));
      assert.equal(custom.extra, '12345678901234567890', 'not 12345678901234567000');
      assert.equal(custom.stamped, '2024-01-02T03:04:05.123Z');
      assert.equal(custom.signed, '2024-01-31T00:00:00.000Z');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  test('JSON lines: integers past 2^53 arrive exact, and an Integer attribute refuses them rather than round', async () => {
    const path = join(folder, 'big.jsonl');
    writeFileSync(path, '{"id":"A","seats":9007199254740993,"small":12}\n');
    const { values, spec: read, types } = await readSource({ type: 'file', path }, ['seats', 'small']);
    assert.equal(String(values[0]?.seats), '9007199254740993');
    const mapped = mapRow(read, values[0]!, types, 1);
    assert.ok(!mapped.ok);
    assert.match(
      mapped.rejected.reasons.join('\n'),
      /field "seats" value 9007199254740993: expected an Integer within/,
    );
  });
});
