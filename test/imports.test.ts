// The layering, held by a test: no import cycle between modules or folders; the base (src/) never imports
// activities or workflows, but for the three parts that compose them: the worker (registers both), the
// client (starts workflows and signals them, by their types and message definitions) and the CLI; activities
// never import workflows; and nothing below an entry point reads process.env or calls readConfig().
// An object's folder (objects/<name>/) holds files of every layer, each known by its name (objectRole).

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..');
const LAYERS = ['src', 'objects', 'activities', 'workflows'];

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

const files = LAYERS.flatMap((layer) => sources(join(ROOT, layer)));
const text = new Map(files.map((file) => [file, readFileSync(join(ROOT, file), 'utf8')]));

/** The project modules a file imports (type-only imports too: a cycle of types is still a tangle). */
function importsOf(file: string): string[] {
  const found: string[] = [];
  for (const match of (text.get(file) ?? '').matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) {
    const target = resolve(ROOT, dirname(file), match[1] ?? '');
    const module = [`${target}.ts`, join(target, 'index.ts')].find((candidate) => existsSync(candidate));
    if (module) found.push(relative(ROOT, module));
  }
  return found;
}

const graph = new Map(files.map((file) => [file, importsOf(file)]));

/** The folder an object's file extends, by its name: `procedure.ts` is workflow code, `activities.ts` activity
 * code, `emulator*.ts` the emulator's routes, `payloads.ts` the request bodies (src/chartmogul), anything else (`definition.ts`) the pure definitions. */
function objectRole(file: string): string {
  const name = file.split('/')[2] ?? '';
  if (name === 'procedure.ts') return 'workflows';
  if (name === 'activities.ts') return 'activities';
  if (name.startsWith('emulator')) return 'src/emulator';
  if (name === 'payloads.ts') return 'src/chartmogul';
  return 'src/objects';
}

/** A folder: `activities`, `workflows`, or `src/<folder>` (a top-level src module counts as its own); an
 * object's file counts as the folder it extends. */
function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'objects') return objectRole(file);
  return parts[0] === 'src' ? `src/${(parts[1] ?? '').replace(/\.ts$/, '')}` : (parts[0] ?? '');
}

/** The layer: `src`, `activities` or `workflows`. */
function layerOf(file: string): string {
  return folderOf(file).split('/')[0] ?? '';
}

/** A cycle in the graph, as a path that ends where it starts, or undefined. */
function findCycle(edges: Map<string, Set<string> | string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

test('no module imports itself through others', () => {
  assert.equal(findCycle(graph)?.join(' -> '), undefined);
});

test('no folder imports itself through others', () => {
  const folders = new Map<string, Set<string>>();
  for (const [file, imports] of graph) {
    const from = folderOf(file);
    for (const target of imports) {
      if (folderOf(target) === from) continue;
      folders.set(from, (folders.get(from) ?? new Set()).add(folderOf(target)));
    }
  }
  assert.equal(findCycle(folders)?.join(' -> '), undefined);
});

test('imports run one way: workflows -> activities -> src; only the worker, the client and the CLI compose them', () => {
  const upward = [...graph].flatMap(([file, imports]) =>
    imports
      .filter((target) => {
        if (layerOf(file) === 'activities') return layerOf(target) === 'workflows';
        if (['src/cli/', 'src/client/', 'src/worker/'].some((composer) => file.startsWith(composer))) return false;
        return layerOf(file) === 'src' && layerOf(target) !== 'src';
      })
      .map((target) => `${file} -> ${target}`),
  );
  assert.deepEqual(upward, []);
});

test('only the configuration module and the entry points (the CLI) read the environment', () => {
  const readers = files.filter(
    (file) =>
      file !== 'src/config.ts' &&
      !file.startsWith('src/cli/') &&
      /process\.env\b|readConfig\(/.test(text.get(file) ?? ''),
  );
  assert.deepEqual(readers, []);
});
