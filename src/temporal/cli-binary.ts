// Finds the `temporal` CLI (which holds the dev server and Web UI), or installs it with Go.
// Order: TEMPORAL_CLI_PATH, `temporal` on PATH, Go's bin folder, `go install`, then the SDK's own download.

import { execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { TemporalCliLocations } from '../config';

const run = promisify(execFile);

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** What the Temporal SDK's test server accepts: a binary we found, or its own download (needs internet). */
export type TemporalExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function goBinFolder(): Promise<string | undefined> {
  try {
    const { stdout } = await run('go', ['env', 'GOBIN', 'GOPATH']);
    const [gobin, gopath] = stdout.split('\n').map((line) => line.trim());
    if (gobin) return gobin;
    if (gopath) return join(gopath.split(delimiter)[0] ?? gopath, 'bin');
  } catch {
    // No Go: fall back to its default folder, where an earlier install may have left the binary.
  }
  return join(homedir(), 'go', 'bin');
}

async function hasGo(): Promise<boolean> {
  try {
    await run('go', ['version']);
    return true;
  } catch {
    return false;
  }
}

/** Looks for an installed CLI without installing anything. */
export async function findTemporalCli(locations: TemporalCliLocations): Promise<string | undefined> {
  const fromEnv = locations.path;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new Error(`TEMPORAL_CLI_PATH is set to "${fromEnv}", but no executable is there. Fix the path or unset it.`);
  }
  for (const folder of locations.searchPath.split(delimiter).filter(Boolean)) {
    const candidate = join(folder, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  const goBin = await goBinFolder();
  const candidate = goBin ? join(goBin, 'temporal') : undefined;
  return candidate && isExecutable(candidate) ? candidate : undefined;
}

/** Builds the CLI from its Go module (minutes on a small machine); streams Go's output to stderr. */
async function goInstall(locations: TemporalCliLocations, log: (line: string) => void): Promise<string | undefined> {
  log(`Building the Temporal CLI: go install ${TEMPORAL_CLI_MODULE} (this takes a few minutes, once per machine)...`);
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('go', ['install', TEMPORAL_CLI_MODULE], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => resolve(-1));
    child.on('exit', resolve);
  });
  if (code !== 0) {
    log(`go install failed (exit ${code}).`);
    return undefined;
  }
  log(`Built the Temporal CLI in ${Math.round((Date.now() - started) / 1000)} s.`);
  return findTemporalCli(locations);
}

export interface EnsureOptions {
  locations: TemporalCliLocations;
  /** May build the CLI with `go install` when it is not found (default true). */
  install?: boolean;
  log?: (line: string) => void;
}

/** Finds the CLI, builds it when Go is there, else falls back to the SDK's download (internet needed). */
export async function ensureTemporalCli(options: EnsureOptions): Promise<TemporalExecutable> {
  const log = options.log ?? ((line: string) => console.error(line));
  const found = await findTemporalCli(options.locations);
  if (found) return { type: 'existing-path', path: found };
  if ((options.install ?? true) && (await hasGo())) {
    const built = await goInstall(options.locations, log);
    if (built) return { type: 'existing-path', path: built };
  }
  log("No Temporal CLI found and none could be built; falling back to the Temporal SDK's download (needs internet).");
  return { type: 'cached-download' };
}

export const INSTALL_HINT = [
  'Could not find or install the Temporal CLI. Any one of these fixes it:',
  `  - install Go 1.25 or later, then run: go install ${TEMPORAL_CLI_MODULE}`,
  '  - download the Temporal CLI (https://docs.temporal.io/cli) and put `temporal` on your PATH,',
  '    or set TEMPORAL_CLI_PATH to the binary',
  '  - or point at a running Temporal server with TEMPORAL_ADDRESS=host:port (or a temporal.toml profile, TEMPORAL_PROFILE)',
].join('\n');
