// Settings that come from the environment, read in one place: where Temporal is, where the state store
// and reports live, and whether to print debug output. Commands read them once at start-up and pass them
// down; per-account ChartMogul credentials are looked up by name in src/chartmogul/accounts.ts.
// Limits and defaults that do not come from the environment: ./limits.ts.

import { join } from 'node:path';

import type { StateDatabaseOptions } from './state/database';
import { clusterOptions, type ClusterOptions } from './temporal/cluster-options';

export interface Config {
  /** `TEMPORAL_ADDRESS`; unset means "start an embedded dev server" where a command allows it. */
  temporalAddress?: string;
  /** `TEMPORAL_NAMESPACE`, default `default`. */
  temporalNamespace: string;
  /** TLS or an API key for a secured cluster (`TEMPORAL_TLS_*`, `TEMPORAL_API_KEY`). */
  cluster: ClusterOptions;
  /** `STATE_DATABASE_URL` (Postgres), else the SQLite file `STATE_SQLITE_PATH` (default ./.state/…). */
  state: StateDatabaseOptions;
  /** Where run reports go: `./reports` in the working directory unless a command says otherwise. */
  reportsDir: string;
  /** `CHARTMOGUL_SYNC_DEBUG=1`: print what DuckDB was asked, and other detail for a bug report. */
  debug: boolean;
}

export function defaultReportsDir(cwd: string = process.cwd()): string {
  return join(cwd, 'reports');
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  return {
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    cluster: clusterOptions(env),
    state: { url: env.STATE_DATABASE_URL, sqlitePath: env.STATE_SQLITE_PATH },
    reportsDir: defaultReportsDir(cwd),
    debug: Boolean(env.CHARTMOGUL_SYNC_DEBUG),
  };
}
