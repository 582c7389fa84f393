// Where `serve`'s Temporal server answers: `serve` writes its gRPC and Web UI addresses to
// `.state/serve.json`, so every other command in the same folder (`start`, `status`, `schedule`, `find`)
// reaches it without TEMPORAL_ADDRESS, and links point at its Web UI.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Config } from '../config';

export interface LocalService {
  /** host:port of its Temporal frontend. */
  address: string;
  uiUrl: string;
  pid: number;
}

/** The Temporal dev server's own defaults, which `serve` keeps. */
export const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';
export const DEFAULT_UI_URL = 'http://localhost:8233';

function recordPath(stateDir: string): string {
  return join(stateDir, 'serve.json');
}

export function writeLocalService(stateDir: string, service: LocalService): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(recordPath(stateDir), JSON.stringify(service, null, 2) + '\n');
}

export function removeLocalService(stateDir: string): void {
  rmSync(recordPath(stateDir), { force: true });
}

/** `serve`'s record in this folder, when it left one. */
export function readLocalService(stateDir: string): LocalService | undefined {
  const path = recordPath(stateDir);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LocalService;
  } catch {
    return undefined;
  }
}

/** The cluster a command that needs one talks to: TEMPORAL_ADDRESS or the client profile's, else `serve`'s, else the default. */
export function temporalAddressOf(config: Config): string {
  return config.temporalAddress ?? readLocalService(config.stateDir)?.address ?? DEFAULT_TEMPORAL_ADDRESS;
}

/** The Temporal Web a user works with: TEMPORAL_UI_URL, else `serve`'s, else the dev server's default. */
export function webUiUrlOf(config: Config): string {
  return (config.temporalUiUrl ?? readLocalService(config.stateDir)?.uiUrl ?? DEFAULT_UI_URL).replace(/\/+$/, '');
}

/** A workflow's page in Temporal Web. */
export function workflowWebUrl(uiUrl: string, namespace: string, workflowId: string, runId?: string): string {
  const base = `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}
