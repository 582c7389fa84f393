// Seeds a large data source in minutes, not hours: a generated CSV, the emulator's customers (created in
// process, without HTTP or its rate limit) and the state store as a finished sync leaves it (each row's payload
// hash and ChartMogul UUID), so a re-run of a million rows can be measured on its own.

import { DuckDBInstance } from '@duckdb/node-api';

import type { SentRecord } from '../src/contracts/sync-types';
import { createActivityDependencies } from '../activities/dependencies';
import { syncTargetOf } from '../src/contracts/activities';
import { readConfig } from '../src/config';
import type { EmulatorHandle } from '../src/emulator';
import { mappedPages, reopenedEachPage, sourceColumnTypes } from '../src/sources';
import { parseSpec, type SyncSpec } from '../src/sync-spec/schema';
import { payloadHash } from '../src/state/diff';

/** Rows read and written at a time while seeding. */
const SEED_BATCH = 10_000;

/** `rows` customers (`id,name,email,seats`, keys `M-0000000`…) in a CSV; rows whose index `changed` picks get
 * another name. Written by DuckDB, so a million rows take seconds. */
export async function generateCustomersCsv(path: string, rows: number, changedEvery = 0): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const changed = changedEvery > 0 ? `CASE WHEN i % ${changedEvery} = 7 THEN ' v2' ELSE '' END` : `''`;
  await connection.run(`COPY (SELECT 'M-' || lpad(i::VARCHAR, 7, '0') AS id, 'Company ' || i || ${changed} AS name,
    'owner' || i || '@example.com' AS email, (i % 250)::INTEGER AS seats FROM range(${rows}) t(i)) TO '${path}' (HEADER)`);
  connection.closeSync();
  db.closeSync();
}

export function parsedSpec(spec: Record<string, unknown>): SyncSpec {
  const parsed = parseSpec(spec);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.spec;
}

/** Creates every row of the spec's source in the emulator and records it in the state store at `env`'s
 * STATE_SQLITE_PATH, exactly as a sync that sent them all would have. Answers the rows seeded. */
export async function seedSyncedSource(
  emulator: EmulatorHandle,
  spec: SyncSpec,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const deps = createActivityDependencies({ config: readConfig(env) });
  const records = deps.namespaces(syncTargetOf(spec)).records;
  const columnTypes = await sourceColumnTypes(spec);
  let seeded = 0;
  try {
    for await (const page of mappedPages(spec, columnTypes, reopenedEachPage(spec), SEED_BATCH)) {
      const uuids = emulator.seedCustomers(
        page.rows.map((row) => ({
          data_source_uuid: spec.dataSourceUuid,
          ...row.fields,
          attributes: { custom: row.custom },
        })),
      );
      const sent: SentRecord[] = page.rows.map((row) => ({
        key: row.key,
        uuid: uuids.get(row.key) ?? '',
        hash: payloadHash(spec, row),
        status: 'created',
        attributeKeys: row.custom.map((attribute) => attribute.key).sort(),
      }));
      await deps.store.recordSent(records, sent);
      seeded += sent.length;
    }
  } finally {
    await deps.close();
  }
  return seeded;
}
