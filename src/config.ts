// Settings that come from the environment, read in one place: where Temporal is (Temporal's standard client
// configuration: variables and a temporal.toml profile), where the state store and reports live, whether to
// print debug output. Each entry point (a CLI command, the bench, a test harness) calls readConfig once and
// passes the result down; nothing below it reads process.env or calls readConfig. Lookups by a name known only
// later read `environment`, the entry point's snapshot: an account's credentials (src/chartmogul/accounts.ts)
// and a spec's env:NAME references (src/sources). A cluster's TLS files are read only when connecting
// (src/temporal/cluster-options.ts), so a bad TLS setting never stops an embedded server or a source read.
// Limits and defaults that do not come from the environment: ./limits.ts.

import { join } from 'node:path';

import { loadClientConfigProfile, type ClientConfigProfile } from '@temporalio/envconfig';

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
  /** `TEMPORAL_ADDRESS`, else the address of the Temporal client profile (temporal.toml, `TEMPORAL_PROFILE`);
   * unset means "start an embedded dev server" where a command allows it. */
  temporalAddress?: string;
  /** `TEMPORAL_NAMESPACE`, else the profile's, default `default`. */
  temporalNamespace: string;
  /** Temporal's standard client configuration (loadClusterProfile below): TLS files are read only when
   * connecting, and a profile that cannot be loaded stops only the commands that connect. */
  temporalProfile: ClusterProfile;
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
   * `CHARTMOGUL_API_KEY_<ACCOUNT>`, a spec's `env:NAME`. */
  environment: NodeJS.ProcessEnv;
}

/** Temporal's standard client configuration, as its SDKs and the `temporal` CLI read it (@temporalio/envconfig):
 * a profile from temporal.toml (TEMPORAL_CONFIG_FILE, else ~/.config/temporalio/temporal.toml; TEMPORAL_PROFILE,
 * else "default"), overridden by the standard variables. The profile as loaded (files named, not yet read), or
 * why it could not be loaded. */
export type ClusterProfile =
  { profile: ClientConfigProfile; error?: undefined } | { profile?: undefined; error: string };

/** Our first names for the client certificate, kept working: each gives way to the standard name when both are set. */
const ALIASES: Record<string, string> = {
  TEMPORAL_TLS_CERT: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_TLS_KEY: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
};

function withAliases(env: NodeJS.ProcessEnv): Record<string, string> {
  const standard: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) standard[name] = value;
  for (const [alias, name] of Object.entries(ALIASES))
    if (standard[alias] && !standard[name]) standard[name] = standard[alias];
  return standard;
}

/** Loads the profile without reading its certificate files, so a bad TLS setting stops only what connects. */
export function loadClusterProfile(env: NodeJS.ProcessEnv): ClusterProfile {
  try {
    return { profile: loadClientConfigProfile({ overrideEnvVars: withAliases(env) }) };
  } catch (error) {
    const where = env.TEMPORAL_CONFIG_FILE ? `TEMPORAL_CONFIG_FILE (${env.TEMPORAL_CONFIG_FILE})` : 'temporal.toml';
    return {
      error: `cannot load Temporal's client configuration from ${where}${env.TEMPORAL_PROFILE ? `, profile "${env.TEMPORAL_PROFILE}"` : ''}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

export function defaultReportsDir(cwd: string = process.cwd()): string {
  return join(cwd, 'reports');
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const stateDir = join(cwd, '.state');
  const temporalProfile = loadClusterProfile(env);
  return {
    temporalAddress: temporalProfile.profile?.address || undefined,
    temporalNamespace: temporalProfile.profile?.namespace || 'default',
    temporalProfile,
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
