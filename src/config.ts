// Settings that come from the environment, read in one place: where Temporal is, where the state store
// and reports live, and whether to print debug output. Commands read them once at start-up and pass them
// down. Two lookups stay beside what they need: per-account ChartMogul credentials
// (src/chartmogul/accounts.ts) and a cluster's TLS files (src/temporal/cluster-options.ts), read only when
// a command connects to a cluster, so a bad TLS setting never stops an embedded server or a source read.
// Limits and defaults that do not come from the environment: ./limits.ts.

import { join } from 'node:path';

import {
  ENCRYPTION_KEYS_VARIABLE,
  parseEncryptionKeys,
  readKeysFile,
  type EncryptionKey,
} from './privacy/encryption-keys';
import type { StateDatabaseOptions } from './state/database';

export interface Config {
  /** `TEMPORAL_ADDRESS`; unset means "start an embedded dev server" where a command allows it. */
  temporalAddress?: string;
  /** `TEMPORAL_NAMESPACE`, default `default`. */
  temporalNamespace: string;
  /** `STATE_DATABASE_URL` (Postgres), else the SQLite file `STATE_SQLITE_PATH` (default ./.state/…). */
  state: StateDatabaseOptions;
  /** Where run reports go: `./reports` in the working directory unless a command says otherwise. */
  reportsDir: string;
  /** `TEMPORAL_UI_URL`: the Temporal Web address links point at (else `serve`'s, else the dev server's default). */
  temporalUiUrl?: string;
  /** `./.state`: the state store's SQLite file and `serve`'s Temporal server live here. */
  stateDir: string;
  /** `CHARTMOGUL_SYNC_ENCRYPTION_KEYS` (`id:base64,…`, newest last), else the key file `serve` made in
   * ./.state: set, every payload in Temporal is encrypted. */
  encryptionKeys: EncryptionKey[];
  /** `CHARTMOGUL_SYNC_DEBUG=1`: print what DuckDB was asked, and other detail for a bug report. */
  debug: boolean;
}

export function defaultReportsDir(cwd: string = process.cwd()): string {
  return join(cwd, 'reports');
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const stateDir = join(cwd, '.state');
  return {
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    state: { url: env.STATE_DATABASE_URL, sqlitePath: env.STATE_SQLITE_PATH },
    reportsDir: defaultReportsDir(cwd),
    temporalUiUrl: env.TEMPORAL_UI_URL || undefined,
    stateDir,
    encryptionKeys: parseEncryptionKeys(env[ENCRYPTION_KEYS_VARIABLE] || readKeysFile(stateDir)),
    debug: Boolean(env.CHARTMOGUL_SYNC_DEBUG),
  };
}
