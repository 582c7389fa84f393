// Shared CLI plumbing: exit codes, usage errors and option parsing with a --help on every command.

import { parseArgs, type ParseArgsConfig } from 'node:util';

import { changesPending, rowsWithIssues } from '../client/sync-client';
import type { SyncResult } from '../contracts/sync-types';

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** Could not run: bad spec, bad credentials, unknown data source, unreachable source or server. */
  failed: 1,
  /** The command line itself is wrong. */
  usage: 2,
  /** The sync finished, but some rows were rejected or failed. */
  rowsNotSynced: 3,
  /** A dry run found rows it would create or update (0: nothing would change). */
  changesPending: 4,
} as const;

export class UsageError extends Error {}

/** A finished sync's exit code: a dry run that would write says so first (a script's "plan has changes"),
 * then rows not synced, else 0. */
export function resultExitCode(result: SyncResult): number {
  if (changesPending(result)) return EXIT.changesPending;
  return rowsWithIssues(result.totals) > 0 ? EXIT.rowsNotSynced : EXIT.ok;
}

/** How every command that connects finds its Temporal cluster (src/temporal/cluster-options.ts). */
export const TEMPORAL_CONNECTION_HELP = `Temporal: its standard client configuration, as its SDKs and CLI read it. The profile
TEMPORAL_PROFILE (else "default") from TEMPORAL_CONFIG_FILE (else ~/.config/temporalio/temporal.toml),
overridden by TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (default "default"), TEMPORAL_API_KEY, TEMPORAL_TLS=true,
TEMPORAL_TLS_CLIENT_CERT_PATH + TEMPORAL_TLS_CLIENT_KEY_PATH (aliases TEMPORAL_TLS_CERT + TEMPORAL_TLS_KEY),
TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME, TEMPORAL_GRPC_META_<HEADER>.`;

export interface Command {
  name: string;
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with `--help` built in; unknown flags become a UsageError that names the flag. */
export function parseCommandLine<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function toInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new UsageError(`--${flag} expects a whole number of 0 or more, got "${value}"`);
  return number;
}
