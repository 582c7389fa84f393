// An object is one folder: objects/<name>/ holds what the object is and does (definition, procedure, activities,
// emulator routes), and the engine outside it derives what it needs from the definition. This test fails when
// a production file outside an object's folder names that object (its name as a string, its constant), its
// endpoints, or a field only it has, other than a registry line: the import of the folder's file and the one
// `name: VALUE` line of each registry.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

import { OBJECTS, SYNC_OBJECTS } from '../src/objects';

const ROOT = join(__dirname, '..');
/** Production code: what ships (the CLI, the engine, the emulator), not tests, scripts or the bench. */
const PRODUCTION = ['src', 'activities', 'workflows', 'objects'];
/** The registries: each lists every object once, by a `name: VALUE` line, and imports its folder's file; and
 * the list of objects' names (SYNC_OBJECTS in src/objects/definition.ts). */
const REGISTRIES = [
  'src/objects/index.ts',
  'workflows/procedures/index.ts',
  'activities/index.ts',
  'src/emulator/index.ts',
];
/** Names kept in stored data, which cannot change without orphaning what earlier releases stored. */
const STORED_NAMES: Record<string, RegExp> = {
  // The state store keys every sync's parents under the customers target (src/state/target.ts says why).
  'src/state/target.ts': /targetKey\(account, dataSourceUuid, 'customers'\)/,
};

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

/** Field names (and its nested lists' keys) that belong to one object alone and could mean nothing else: two objects' shared names say
 * nothing of either, and a one-word field (`type`, `state`, `uuid`) is also a word the engine uses. */
function ownFields(): Map<string, string> {
  const owners = new Map<string, Set<string>>();
  for (const object of SYNC_OBJECTS)
    for (const [field, rule] of Object.entries(OBJECTS[object].fields))
      for (const name of [field, ...Object.keys(rule.list?.keys ?? {})])
        owners.set(name, (owners.get(name) ?? new Set()).add(object));
  return new Map(
    [...owners]
      .filter(([field, objects]) => objects.size === 1 && field.includes('_'))
      .map(([field, objects]) => [field, [...objects][0] ?? '']),
  );
}

/** Objects a folder may name: its object's parent, the objects whose parent it is, and those its rows name in
 * nested values (an invoice's line items name plans): the relations its definition declares. */
function relatedTo(object: string): string[] {
  const definition = OBJECTS[object as keyof typeof OBJECTS];
  const children = SYNC_OBJECTS.filter((other) => OBJECTS[other].parent?.object === object);
  return [...(definition.parent ? [definition.parent.object] : []), ...children, ...(definition.references ?? [])];
}

/** How a file could name an object: its name or a field of its own in quotes, its constant, its paths. */
function namesOf(object: string, fields: Map<string, string>): RegExp[] {
  const definition = OBJECTS[object as keyof typeof OBJECTS];
  const quoted = (word: string) => new RegExp(`['"\`]${word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}['"\`]`);
  return [
    quoted(object),
    new RegExp(`\\b${object.toUpperCase()}\\b`),
    // A path as a whole, or with a record's UUID: `/v1/customers/:uuid/contacts` is a contact endpoint.
    ...[definition.listPath, definition.readPath]
      .filter((path): path is string => !!path)
      .map((path) => new RegExp(`${path.replace(/\//g, '\\/')}(['"\`]|\\/:uuid['"\`]|\\/\\$\\{[^}]*\\}[\`])`)),
    ...[...fields].filter(([, owner]) => owner === object).map(([field]) => quoted(field)),
  ];
}

function isRegistryLine(file: string, line: string, object: string): boolean {
  if (new RegExp(`from '[./]*objects/${object}/`).test(line)) return true;
  // The list of objects' names, on one line or one name a line.
  if (file === 'src/objects/definition.ts' && line.startsWith('export const SYNC_OBJECTS = [')) return true;
  if (file === 'src/objects/definition.ts' && new RegExp(`^\\s*'${object}',$`).test(line)) return true;
  return REGISTRIES.includes(file) && new RegExp(`^\\s*${object}: (\\w+|\\[[\\w, ]+\\]),?$`).test(line);
}

test('no production file outside an object folder names that object, its paths or its own fields, but a registry line', () => {
  const fields = ownFields();
  const found: string[] = [];
  const files = PRODUCTION.flatMap((folder) => sources(join(ROOT, folder)));
  for (const object of SYNC_OBJECTS) {
    const names = namesOf(object, fields);
    for (const file of files) {
      if (file.startsWith(`objects/${object}/`)) continue;
      const folder = /^objects\/([^/]+)\//.exec(file)?.[1];
      if (folder && relatedTo(folder).includes(object)) continue;
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, index) => {
          const code = line.replace(/\/\/.*$|^\s*\*.*$|\/\*\*.*$/, '');
          if (!names.some((name) => name.test(code)) || isRegistryLine(file, line, object)) return;
          if (STORED_NAMES[file]?.test(line)) return;
          found.push(`${file}:${index + 1} names ${object}: ${line.trim()}`);
        });
    }
  }
  assert.deepEqual(found, []);
});

test('the structure test sees a name where it is: a quoted object name outside its folder is found', () => {
  const names = namesOf('invoices', ownFields());
  assert.ok(names.some((name) => name.test("if (spec.object === 'invoices') return;")));
  assert.ok(names.some((name) => name.test("client.request('GET', '/v1/invoices')")));
  assert.ok(!names.some((name) => name.test('const definition = OBJECTS[spec.object];')));
});
