// Settings that come from the environment, read in one place: where Temporal is, where the state store
// and reports live, whether to print debug output. Each entry point (a CLI command, the bench, a test
// harness) calls readConfig once and passes the result down; nothing below it reads process.env or calls
// readConfig. Lookups by a name known only later read `environment`, the entry point's snapshot: an account's
// credentials (src/chartmogul/accounts.ts), a spec's env:NAME references (src/sources), and a cluster's TLS
// files (src/temporal/cluster-options.ts, read only when connecting, so a bad TLS setting never stops an
// embedded server or a source read). Limits and defaults that do not come from the environment: ./limits.ts.

import { join } from 'node:path';

import {
  ENCRYPTION_KEYS_VARIABLE,
  parseEncryptionKeys,
  readKeysFile,
  type EncryptionKey,
} from './privacy/encryption-keys';
import type { StateDatabaseOptions } from './state/database';

/** Where to look for the `temporal` CLI: `TEMPORAL_CLI_PATH`, then the folders of `PATH`. */
export interface TemporalCliLocations {
  path?: string;
  searchPath: string;
}

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
  /** `TEMPORAL_CLI_PATH`, then `PATH`: where the `temporal` CLI is looked for. */
  temporalCli: TemporalCliLocations;
  /** The environment as the entry point saw it, for lookups by a name known only later: an account's
   * `CHARTMOGUL_API_KEY_<ACCOUNT>`, a spec's `env:NAME`, a cluster's TLS settings. */
  environment: NodeJS.ProcessEnv;
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
    temporalCli: { path: env.TEMPORAL_CLI_PATH || undefined, searchPath: env.PATH ?? '' },
    environment: env,
  };
}
