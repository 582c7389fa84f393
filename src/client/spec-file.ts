// Loads a sync spec file (JSON or YAML), resolves its relative paths against the file's folder, and checks it.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';

import { parse as parseYaml } from 'yaml';

import { parseSpec, type SyncSpec } from '../sync-spec/schema';

export class SpecError extends Error {}

/** Spec files were named `*.spec.json`, which reads as a test file in JavaScript; they are `*.sync.json` now
 * (the examples too). A missing `x.spec.json` whose `x.sync.json` exists is read from there, with a note. */
function renamedSpecFile(path: string): string | undefined {
  const renamed = path.replace(/\.spec\.(json|ya?ml)$/i, '.sync.$1');
  return renamed !== path && !existsSync(path) && existsSync(renamed) ? renamed : undefined;
}

export function loadSpecFile(
  requested: string,
  note: (line: string) => void = (line) => console.error(line),
): SyncSpec {
  const renamed = renamedSpecFile(requested);
  if (renamed) note(`${requested} is now named ${renamed}: reading that.`);
  const path = renamed ?? requested;
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
  if (source.type === 'duckdb')
    return {
      ...spec,
      source: {
        ...source,
        ...(source.database ? { database: absolute(source.database) } : {}),
        folder: absolute(source.folder ?? '.'),
      },
    };
  return spec;
}
