// Files (CSV, JSON lines, JSON, Parquet) and DuckDB queries, read through an in-process DuckDB.

import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

import type { SourceValue } from '../spec/fields';
import type { ColumnType } from '../spec/mapping';
import { HELPER_PREFIX, KEY_ALIAS_PREFIX, keysetQuery, toPage, type KeysetDialect } from './keyset';
import { SourceError, type RowSource, type SourceCursor, type SourcePage } from './types';

const SOURCE_ORDER = `${HELPER_PREFIX}source_order`;

/** Rows with equal keys keep the source's own order, so "later rows are duplicates" means later in the file. */
const dialect: KeysetDialect = {
  quote: (identifier) => `"${identifier.replace(/"/g, '""')}"`,
  keyText: (column) => `COALESCE(CAST(${column} AS VARCHAR), '')`,
  tieBreak: (alias) => `${alias}.${SOURCE_ORDER}`,
  placeholder: (index) => `$${index}`,
};

function numbered(relation: string): string {
  return `(SELECT *, row_number() OVER () AS ${SOURCE_ORDER} FROM ${relation})`;
}

/** Bump when the cached layout changes, so old copies are not read. */
const CACHE_LAYOUT = 2;
export const CACHE_FOLDER = join(tmpdir(), 'chartmogul-sync-cache');

/** DuckDB may use this much memory before it spills to disk (keeps a worker's memory bounded). */
const MEMORY_LIMIT = '256MB';

/** A file's rows sorted once by record key into a Parquet copy, with each row's key and position in that
 * order, so a page reads only its own range instead of scanning and sorting the whole file again. The copy
 * is named by the file's path, size and modification time: a changed file gets a new copy. */
async function sortedCopy(connection: DuckDBConnection, file: string, relation: string, keyColumns: string[]): Promise<string> {
  const stat = statSync(file);
  const id = createHash('sha256').update(JSON.stringify([resolve(file), stat.size, stat.mtimeMs, keyColumns, CACHE_LAYOUT])).digest('hex').slice(0, 32);
  mkdirSync(CACHE_FOLDER, { recursive: true });
  const path = join(CACHE_FOLDER, `${id}.parquet`);
  if (existsSync(path)) return path;
  const keys = keyColumns.map((column, index) => `${dialect.keyText(dialect.quote(column))} AS ${KEY_ALIAS_PREFIX}${index}`).join(', ');
  const order = [...keyColumns.map((_, index) => `${KEY_ALIAS_PREFIX}${index}`), SOURCE_ORDER].join(', ');
  const temporary = `${path}.${randomUUID()}.tmp`;
  try {
    // A plain ORDER BY spills to disk under the memory limit; a row's position is then its row in the file.
    await connection.run(`COPY (SELECT *, ${keys} FROM ${numbered(relation)} ORDER BY ${order}) TO ${literal(temporary)} (FORMAT parquet, ROW_GROUP_SIZE 10000)`);
    // Several workers may build the same copy; whichever renames last wins, and both copies are equal.
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
  return path;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The DuckDB table function for a file, by its extension. CSV values are read as text, exactly as
 * written (leading zeros kept); its column types come from DuckDB's detection over the whole file. */
function fileRelations(path: string): { values: string; types: string } {
  const extension = extname(path).toLowerCase();
  switch (extension) {
    case '.csv':
    case '.tsv':
      return { values: `read_csv(${literal(path)}, header = true, all_varchar = true)`, types: `read_csv(${literal(path)}, header = true, sample_size = -1)` };
    case '.jsonl':
    case '.ndjson':
      return { values: `read_json(${literal(path)}, format = 'newline_delimited', sample_size = -1)`, types: '' };
    case '.json':
      return { values: `read_json(${literal(path)}, sample_size = -1)`, types: '' };
    case '.parquet':
      return { values: `read_parquet(${literal(path)})`, types: '' };
    default:
      throw new SourceError(`cannot read "${path}": the file type "${extension || '(none)'}" is not one of .csv, .tsv, .jsonl, .ndjson, .json, .parquet`);
  }
}

export function columnTypeOf(duckdbType: string): ColumnType {
  const type = duckdbType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(type)) return 'integer';
  if (/^(FLOAT|DOUBLE|REAL|DECIMAL)/.test(type)) return 'decimal';
  if (type === 'BOOLEAN') return 'boolean';
  if (/^(DATE|TIMESTAMP)/.test(type)) return 'timestamp';
  return 'string';
}

export interface DuckDbSourceOptions {
  /** A file path (already resolved) or a query. */
  file?: string;
  query?: string;
  /** A DuckDB database file for `query`, opened read-only. */
  database?: string;
  keyColumns: string[];
}

export async function openDuckDbSource(options: DuckDbSourceOptions): Promise<RowSource> {
  const settings = { memory_limit: MEMORY_LIMIT, threads: '1', temp_directory: join(CACHE_FOLDER, 'spill') };
  const instance = await DuckDBInstance.create(options.database ?? ':memory:', options.database ? { ...settings, access_mode: 'READ_ONLY' } : settings);
  const connection: DuckDBConnection = await instance.connect();
  let sorted: string | undefined;
  const relations = options.file ? fileRelations(options.file) : { values: `(${options.query ?? ''})`, types: '' };

  async function rows(sql: string, params: (string | number)[] = []): Promise<Record<string, SourceValue>[]> {
    try {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS() as Record<string, SourceValue>[];
    } catch (error) {
      const what = options.file ? `file "${options.file}"` : 'query';
      throw new SourceError(`could not read the ${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return {
    async columnTypes() {
      const described = await rows(`DESCRIBE SELECT * FROM ${relations.types || relations.values}`);
      return Object.fromEntries(described.map((column) => [String(column.column_name), columnTypeOf(String(column.column_type))]));
    },
    async readPage(cursor: SourceCursor, limit: number): Promise<SourcePage> {
      if (options.file) {
        sorted ??= await sortedCopy(connection, options.file, relations.values, options.keyColumns).catch((error: unknown) => {
          throw new SourceError(`could not read the file "${options.file}": ${error instanceof Error ? error.message : String(error)}`);
        });
        // The rows after the last one read, by position; that last row comes too, to check the file is the one
        // the cursor was made on (else fall back to the key comparison below).
        const from = cursor.lastKey ? cursor.rowsRead - 1 : cursor.rowsRead;
        const fetched = await rows(
          `SELECT * EXCLUDE (file_row_number) FROM read_parquet(${literal(sorted)}, file_row_number = true) WHERE file_row_number >= $1 AND file_row_number < $2 ORDER BY file_row_number`,
          [from, cursor.rowsRead + limit],
        );
        if (!cursor.lastKey) return toPage(fetched, options.keyColumns.length, cursor, limit, SOURCE_ORDER);
        const [last, ...rest] = fetched;
        const sameFile = last !== undefined && cursor.lastKey.every((part, index) => String(last[`${KEY_ALIAS_PREFIX}${index}`] ?? '') === part);
        if (sameFile) return toPage(rest, options.keyColumns.length, cursor, limit, SOURCE_ORDER);
      }
      const query = keysetQuery(dialect, numbered(relations.values), options.keyColumns, cursor, limit);
      return toPage(await rows(query.sql, query.params), options.keyColumns.length, cursor, limit, SOURCE_ORDER);
    },
    async countRows() {
      const [row] = await rows(`SELECT count(*) AS n FROM ${relations.values}`);
      return Number(row?.n ?? 0);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
      return Promise.resolve();
    },
  };
}
