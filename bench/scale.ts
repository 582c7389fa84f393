// Scale check, run in its own process by bench/run.ts: reads a generated file of N rows through the source,
// the mapping and the state-store diff, page by page as a sync does, and reports rows/s and peak memory.
// `tsx bench/scale.ts N snowflake` reads the same rows from a Snowflake table instead (the fakesnow stand-in
// the tests use; `npm run setup:fakesnow` first).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DuckDBInstance } from '@duckdb/node-api';

import { parseSpec } from '../src/sync-spec/schema';
import { classifyRows } from '../src/state/classify';
import { StateStore } from '../src/state/store';
import { recordsNamespace } from '../src/state/target';
import { mappedPages, reopenedEachPage, sourceColumnTypes } from '../src/sources';
import { startTestSnowflake, type TestSnowflake } from '../test/helpers/snowflake';

function peakMemoryMb(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const folder = mkdtempSync(join(tmpdir(), 'cms-scale-'));
  const path = join(folder, 'million.csv');
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  // Keys in shuffled order, so the sorted copy has real work to do.
  await connection.run(`COPY (SELECT 'S-' || lpad(((i * 7919) % ${rows})::VARCHAR, 8, '0') AS id, 'Name ' || i AS name,
    'user' || i || '@example.com' AS email, (i % 500)::INTEGER AS seats, DATE '2020-01-01' + (i % 1500)::INTEGER AS signed_up
    FROM range(${rows}) t(i)) TO '${path}' (HEADER)`);
  connection.closeSync();
  db.closeSync();
  let snowflake: TestSnowflake | undefined;
  let env: Record<string, string> = {};
  if (process.argv[3] === 'snowflake') {
    snowflake = await startTestSnowflake();
    await snowflake.run(`CREATE OR REPLACE TABLE sales.billing.scale AS SELECT * FROM read_csv('${path}')`);
    env = snowflake.env();
  }
  const parsed = parseSpec({
    name: 'scale',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: 'ds_11111111-2222-4333-8444-555555555555',
    source: snowflake
      ? {
          type: 'snowflake',
          query:
            'SELECT id AS "id", name AS "name", email AS "email", seats AS "seats", signed_up AS "signed_up" FROM scale',
        }
      : { type: 'file', path },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'email', to: 'email' },
      { from: 'seats', to: 'seats' },
      { from: 'signed_up', to: 'lead_created_at' },
    ],
    options: { pageSize: 1000 },
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const spec = parsed.spec;
  const store = StateStore.open({ sqlitePath: join(folder, 'state.sqlite') });
  const started = Date.now();
  let read = 0;
  let valid = 0;
  const columnTypes = await sourceColumnTypes(spec, { env });
  // The sync's own page loop, with a fresh source per page as each read activity opens its own.
  for await (const page of mappedPages(spec, columnTypes, reopenedEachPage(spec, { env }))) {
    const stored = await store.lookup(
      recordsNamespace('acct_bench', spec.dataSourceUuid, spec.object, spec.name),
      page.rows.map((row) => row.key),
    );
    const classified = classifyRows(spec, page.rows, stored, new Map());
    read += page.read;
    valid += classified.toSend.length;
  }
  await store.close();
  await snowflake?.stop();
  const seconds = (Date.now() - started) / 1000;
  console.log(
    JSON.stringify({
      source: snowflake ? 'snowflake' : 'file',
      rows: read,
      valid,
      seconds: Number(seconds.toFixed(1)),
      rowsPerSecond: Math.round(read / seconds),
      peakMemoryMb: Math.round(peakMemoryMb()),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
