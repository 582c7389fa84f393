// Sources: rows from files, DuckDB queries, Postgres and Snowflake, in record-key order, one page at a time.
// Node-side (activities use it). Secrets: a Postgres URL is named as env:NAME and resolved here; Snowflake's
// settings are read from the environment here.

import { isAbsolute, resolve } from 'node:path';

import type { ColumnType } from '../sync-spec/mapping';
import { recordKeyFields } from '../objects';
import type { SyncSpec } from '../sync-spec/schema';
import { closestName } from '../sync-spec/suggest';
import { HELPER_PREFIX } from './keyset';
import { openDuckDbSource } from './duckdb';
import { openPostgresSource } from './postgres';
import { openSnowflakeSource } from './snowflake';
import { snowflakeSettings } from './snowflake-settings';
import { MissingColumnsError, SourceError, type RowSource } from './types';

export { isFirstPage, mappedPages, readMappedPage, rejectedLineRows, type MappedPage } from './mapped-page';
export {
  MissingColumnsError,
  START,
  SourceError,
  SourceUnavailableError,
  type RowSource,
  type SourceCursor,
  type SourcePage,
  type SourceRow,
} from './types';

/** The source columns that hold the record key, in key order. */
export function keyColumns(spec: SyncSpec): string[] {
  return recordKeyFields(spec.object, spec.mode, spec.options).map(
    (field) => spec.mapping.find((entry) => entry.to === field)?.from ?? field,
  );
}

export function resolveEnvReference(reference: string, env: NodeJS.ProcessEnv): string {
  const name = reference.slice('env:'.length);
  const value = env[name];
  if (!value)
    throw new SourceError(`the spec's Postgres URL is env:${name}, but ${name} is not set in the worker's environment`);
  return value;
}

export interface OpenSourceOptions {
  /** Relative file paths resolve against this folder (the spec file's; else the working directory). */
  baseDir?: string;
  /** Where a spec's env:NAME references are read (the entry point's config.environment); none: no secrets. */
  env?: NodeJS.ProcessEnv;
  /** Print what DuckDB said in full (config.debug). */
  debug?: boolean;
}

export async function openSource(spec: SyncSpec, options: OpenSourceOptions = {}): Promise<RowSource> {
  const keys = keyColumns(spec);
  const source = spec.source;
  switch (source.type) {
    case 'file':
      return openDuckDbSource({
        file: isAbsolute(source.path) ? source.path : resolve(options.baseDir ?? process.cwd(), source.path),
        keyColumns: keys,
        debug: options.debug,
      });
    case 'duckdb':
      return openDuckDbSource({
        query: source.query,
        keyColumns: keys,
        database:
          source.database && !isAbsolute(source.database)
            ? resolve(options.baseDir ?? process.cwd(), source.database)
            : source.database,
        folder:
          source.folder && !isAbsolute(source.folder)
            ? resolve(options.baseDir ?? process.cwd(), source.folder)
            : source.folder,
        debug: options.debug,
      });
    case 'postgres':
      return openPostgresSource({
        connectionString: resolveEnvReference(source.url, options.env ?? {}),
        query: source.query,
        keyColumns: keys,
      });
    case 'snowflake':
      return openSnowflakeSource({
        settings: snowflakeSettings(options.env ?? {}, source.connection),
        query: source.query,
        keyColumns: keys,
      });
  }
}

/** The source's column types, once every column the spec maps is known to be there: a spec that maps a
 * missing column is refused before any row is read or any request sent, naming the columns the source has. */
export async function checkedColumnTypes(spec: SyncSpec, source: RowSource): Promise<Record<string, ColumnType>> {
  const types = await source.columnTypes();
  const columns = Object.keys(types).filter((column) => !column.startsWith(HELPER_PREFIX));
  const problems = spec.mapping.flatMap((entry, index) => {
    if (columns.includes(entry.from)) return [];
    const suggestion = closestName(entry.from, columns);
    return [
      `mapping[${index}].from: column "${entry.from}" is not in the source${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
    ];
  });
  if (problems.length > 0)
    throw new MissingColumnsError(
      `${problems.join('\n')}\n(the source has the columns ${columns.map((column) => `"${column}"`).join(', ')})`,
    );
  return types;
}

/** The source's column types, read once (open, describe, close). */
export async function sourceColumnTypes(
  spec: SyncSpec,
  options: OpenSourceOptions = {},
): Promise<Record<string, ColumnType>> {
  const source = await openSource(spec, options);
  try {
    return await source.columnTypes();
  } finally {
    await source.close();
  }
}

/** For mappedPages: a fresh source for each page, as each read activity opens its own. */
export function reopenedEachPage(spec: SyncSpec, options: OpenSourceOptions = {}) {
  return async () => {
    const source = await openSource(spec, options);
    return { source, release: () => source.close() };
  };
}

/** Opens the spec's source in this process and checks the columns it maps (see checkedColumnTypes). */
export async function checkSpecSource(spec: SyncSpec, options: OpenSourceOptions = {}): Promise<void> {
  const source = await openSource(spec, options);
  try {
    await checkedColumnTypes(spec, source);
  } finally {
    await source.close();
  }
}
