// Loads a spec file (JSON or YAML), resolves its relative paths against the file's folder, and checks it.

import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';

import { parse as parseYaml } from 'yaml';

import { parseSpec, type SyncSpec } from '../spec/schema';

export class SpecError extends Error {}

export function loadSpecFile(path: string): SyncSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SpecError(
      `cannot read the spec file "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(extname(path)) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new SpecError(
      `the spec file "${path}" is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const result = parseSpec(raw);
  if (!result.ok)
    throw new SpecError(
      `the spec "${path}" has ${result.problems.length} problem${result.problems.length > 1 ? 's' : ''}:\n${result.problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  return resolvePaths(result.spec, dirname(resolve(path)));
}

/** Relative file paths in a spec mean "next to the spec file"; workers may run elsewhere, so make them absolute. */
export function resolvePaths(spec: SyncSpec, folder: string): SyncSpec {
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(folder, path));
  const source = spec.source;
  if (source.type === 'file') return { ...spec, source: { ...source, path: absolute(source.path) } };
  if (source.type === 'duckdb' && source.database)
    return { ...spec, source: { ...source, database: absolute(source.database) } };
  return spec;
}
