// Files (CSV, JSON lines, JSON, Parquet) and DuckDB queries, read through an in-process DuckDB.

import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';

import type { DuckDBConnection, DuckDBValueConverter, JS } from '@duckdb/node-api';

import type { SourceValue } from '../sync-spec/fields';
import type { ColumnType } from '../sync-spec/mapping';
import { HELPER_PREFIX, KEY_ALIAS_PREFIX, keysetQuery, toPage, type KeysetDialect } from './keyset';
import { fromJsonText } from './json-values';
import { checkedCopy, ROW_NUMBER_COLUMN, type CheckedFile } from './line-check';
import { SourceError, type RowSource, type SourceCursor, type SourcePage } from './types';

/** Each row's position in the source: its data row number in a file. */
const SOURCE_ORDER = ROW_NUMBER_COLUMN;

/** Rows with equal keys keep the source's own order, so "later rows are duplicates" means later in the file. */
const dialect: KeysetDialect = {
  quote: (identifier) => `"${identifier.replace(/"/g, '""')}"`,
  keyText: (column) => `COALESCE(CAST(${column} AS VARCHAR), '')`,
  tieBreak: (alias) => `${alias}.${SOURCE_ORDER}`,
  placeholder: (index) => `$${index}`,
};

/** A relation with each row's position; a checked file's clean copy carries it already. */
function numbered(relation: string, carriesOrder: boolean): string {
  return carriesOrder ? relation : `(SELECT *, row_number() OVER () AS ${SOURCE_ORDER} FROM ${relation})`;
}

/** Bump when the cached layout changes, so old copies are not read. */
const CACHE_LAYOUT = 2;
export const CACHE_FOLDER = join(tmpdir(), 'chartmogul-sync-cache');

/** DuckDB may use this much memory before it spills to disk (keeps a worker's memory bounded). */
const MEMORY_LIMIT = '256MB';

/** A file's rows sorted once by record key into a Parquet copy, with each row's key and position in that
 * order, so a page reads only its own range instead of scanning and sorting the whole file again. The copy
 * is named by the file's path, size and modification time: a changed file gets a new copy. */
async function sortedCopy(
  connection: DuckDBConnection,
  file: string,
  relation: string,
  keyColumns: string[],
  carriesOrder: boolean,
): Promise<string> {
  const stat = statSync(file);
  const id = createHash('sha256')
    .update(JSON.stringify([resolve(file), stat.size, stat.mtimeMs, keyColumns, CACHE_LAYOUT]))
    .digest('hex')
    .slice(0, 32);
  mkdirSync(CACHE_FOLDER, { recursive: true });
  const path = join(CACHE_FOLDER, `${id}.parquet`);
  if (existsSync(path)) return path;
  const keys = keyColumns
    .map((column, index) => `${dialect.keyText(dialect.quote(column))} AS ${KEY_ALIAS_PREFIX}${index}`)
    .join(', ');
  const order = [...keyColumns.map((_, index) => `${KEY_ALIAS_PREFIX}${index}`), SOURCE_ORDER].join(', ');
  const temporary = `${path}.${randomUUID()}.tmp`;
  try {
    // A plain ORDER BY spills to disk under the memory limit; a row's position is then its row in the file.
    await connection.run(
      `COPY (SELECT *, ${keys} FROM ${numbered(relation, carriesOrder)} ORDER BY ${order}) TO ${literal(temporary)} (FORMAT parquet, ROW_GROUP_SIZE 10000)`,
    );
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

/** How a file is read: CSV, TSV and JSON lines through their checked clean copy (bad lines are rejections,
 * never a failed file); JSON and Parquet as they are. CSV values are read as text, exactly as written
 * (leading zeros kept); its column types come from DuckDB's detection over all the good lines. */
async function fileRelations(path: string): Promise<{ values: string; types: string; checked?: CheckedFile }> {
  const extension = extname(path).toLowerCase();
  switch (extension) {
    case '.csv':
    case '.tsv': {
      const checked = await checkedCopy(path, 'csv', CACHE_FOLDER, extension === '.tsv' ? '\t' : ',');
      const csv = `${literal(checked.path)}, header = true, delim = ${literal(checked.delimiter ?? ',')}, quote = '"', escape = '"'`;
      return {
        values: `(SELECT * REPLACE (CAST(${SOURCE_ORDER} AS BIGINT) AS ${SOURCE_ORDER}) FROM read_csv(${csv}, all_varchar = true))`,
        types: `read_csv(${csv}, sample_size = -1)`,
        checked,
      };
    }
    case '.jsonl':
    case '.ndjson': {
      const checked = await checkedCopy(path, 'jsonl', CACHE_FOLDER);
      return {
        values: `read_json(${literal(checked.path)}, format = 'newline_delimited', sample_size = -1)`,
        types: '',
        checked,
      };
    }
    case '.json':
      return { values: `read_json(${literal(path)}, sample_size = -1)`, types: '' };
    case '.parquet':
      return { values: `read_parquet(${literal(path)})`, types: '' };
    default:
      throw new SourceError(
        `cannot read "${path}": the file type "${extension || '(none)'}" is not one of .csv, .tsv, .jsonl, .ndjson, .json, .parquet`,
      );
  }
}

/** DuckDB's words without its SQL: the first line, without the error class. The original goes to the debug log. */
function plainMessage(error: unknown, debug = false): string {
  const text = error instanceof Error ? error.message : String(error);
  if (debug) console.error(`[debug] DuckDB: ${text}`);
  const first = (text.split('\n')[0] ?? text).replace(/^[A-Za-z ]+Error: /, '');
  return /\b(SELECT|FROM|read_csv|read_json|read_parquet|DESCRIBE)\b/.test(first)
    ? 'the file could not be read in this format'
    : first;
}

export function columnTypeOf(duckdbType: string): ColumnType {
  const type = duckdbType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(type))
    return 'integer';
  if (/^(FLOAT|DOUBLE|REAL|DECIMAL)/.test(type)) return 'decimal';
  if (type === 'BOOLEAN') return 'boolean';
  if (/^(DATE|TIMESTAMP)/.test(type)) return 'timestamp';
  return 'string';
}

/** DuckDB's values as the spec reads them: its JS conversion, but for what that conversion would change.
 * DECIMAL becomes a double there (DECIMAL(38,2) loses digits in silence): here it is its exact text, which
 * the field rules type or refuse. TIME becomes a count of microseconds there: here its text (03:04:05).
 * A DATE or TIMESTAMP beyond a JS Date (`infinity`) throws there, failing the whole page: here it is its
 * text, which the field rules refuse for that row alone. NULL stays null. */
function sourceValueConverter(duckdb: typeof import('@duckdb/node-api')): DuckDBValueConverter<JS> {
  const { DuckDBTypeId: TypeId, JSDuckDBValueConverter: asJS } = duckdb;
  const asText = new Set<number>([TypeId.DECIMAL, TypeId.TIME, TypeId.TIME_NS, TypeId.TIME_TZ]);
  const dates = new Set<number>([
    TypeId.DATE,
    TypeId.TIMESTAMP,
    TypeId.TIMESTAMP_S,
    TypeId.TIMESTAMP_MS,
    TypeId.TIMESTAMP_NS,
    TypeId.TIMESTAMP_TZ,
  ]);
  const convert: DuckDBValueConverter<JS> = (value, type) => {
    if (value === null || value === undefined) return null;
    if (asText.has(type.typeId)) return String(value);
    if (dates.has(type.typeId)) {
      try {
        return asJS(value, type, convert);
      } catch {
        return String(value);
      }
    }
    // Lists and structs convert their members with this converter too.
    return asJS(value, type, convert);
  };
  return convert;
}

export interface DuckDbSourceOptions {
  /** A file path (already resolved) or a query. */
  file?: string;
  query?: string;
  /** A DuckDB database file for `query`, opened read-only. */
  database?: string;
  /** Where the query's relative file paths are found (DuckDB's file_search_path). */
  folder?: string;
  keyColumns: string[];
  /** Print DuckDB's own message in full before its plain first line (config.debug). */
  debug?: boolean;
}

export async function openDuckDbSource(options: DuckDbSourceOptions): Promise<RowSource> {
  const settings: Record<string, string> = {
    memory_limit: MEMORY_LIMIT,
    threads: '1',
    temp_directory: join(CACHE_FOLDER, 'spill'),
    ...(options.folder ? { file_search_path: options.folder } : {}),
  };
  // Loaded on first use: a worker that never reads a file or query does not carry DuckDB.
  const duckdb = await import('@duckdb/node-api');
  const { DuckDBInstance } = duckdb;
  const toSourceValue = sourceValueConverter(duckdb);
  const instance = await DuckDBInstance.create(
    options.database ?? ':memory:',
    options.database ? { ...settings, access_mode: 'READ_ONLY' } : settings,
  );
  const connection: DuckDBConnection = await instance.connect();
  let sorted: string | undefined;
  let relations: Awaited<ReturnType<typeof fileRelations>>;
  try {
    relations = options.file ? await fileRelations(options.file) : { values: `(${options.query ?? ''})`, types: '' };
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    if (error instanceof SourceError) throw error;
    throw new SourceError(
      `could not read the file "${options.file}": ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : plainMessage(error, options.debug)}`,
    );
  }
  const carriesOrder = relations.checked !== undefined;
  /** Columns DuckDB typed JSON (a JSON source whose lines disagree on a value's type): their values arrive as
   * JSON text and are decoded, so a string is the string and an object stays an object (not text). */
  let jsonColumns: Promise<Set<string>> | undefined;
  const csvFile = options.file !== undefined && /\.(csv|tsv)$/i.test(options.file);
  const decodeJsonColumns = async (fetched: Record<string, SourceValue>[]) => {
    if (csvFile) return fetched; // read as text: never JSON
    // A file's sorted copy answers from its Parquet metadata, without reading the rows again.
    jsonColumns ??= rows(
      `DESCRIBE SELECT * FROM ${sorted ? `read_parquet(${literal(sorted)})` : relations.values}`,
    ).then(
      (described) =>
        new Set(
          described
            .filter((column) => String(column.column_type).toUpperCase() === 'JSON')
            .map((column) => String(column.column_name)),
        ),
    );
    const columns = await jsonColumns;
    if (columns.size === 0) return fetched;
    for (const row of fetched) for (const column of columns) row[column] = fromJsonText(row[column]);
    return fetched;
  };

  /** The file's rows sorted by key, in a Parquet copy made once (see sortedCopy). */
  async function sortedFile(file: string): Promise<string> {
    sorted ??= await sortedCopy(connection, file, relations.values, options.keyColumns, carriesOrder).catch(
      (error: unknown) => {
        throw new SourceError(`could not read the file "${file}": ${plainMessage(error, options.debug)}`);
      },
    );
    return sorted;
  }

  async function rows(sql: string, params: (string | number)[] = []): Promise<Record<string, SourceValue>[]> {
    try {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.convertRowObjects(toSourceValue) as Record<string, SourceValue>[];
    } catch (error) {
      const what = options.file ? `file "${options.file}"` : 'query';
      throw new SourceError(`could not read the ${what}: ${plainMessage(error, options.debug)}`);
    }
  }

  return {
    async columnTypes() {
      const described = await rows(`DESCRIBE SELECT * FROM ${relations.types || relations.values}`);
      return Object.fromEntries(
        described
          .filter((column) => !String(column.column_name).startsWith(HELPER_PREFIX))
          .map((column) => [String(column.column_name), columnTypeOf(String(column.column_type))]),
      );
    },
    rejectedLines() {
      return relations.checked?.rejections ?? [];
    },
    async readPage(cursor: SourceCursor, limit: number): Promise<SourcePage> {
      if (options.file) {
        sorted = await sortedFile(options.file);
        // The rows after the last one read, by position; that last row comes too, to check the file is the one
        // the cursor was made on (else fall back to the key comparison below).
        const from = cursor.lastKey ? cursor.rowsRead - 1 : cursor.rowsRead;
        const fetched = await rows(
          `SELECT * EXCLUDE (file_row_number) FROM read_parquet(${literal(sorted)}, file_row_number = true) WHERE file_row_number >= $1 AND file_row_number < $2 ORDER BY file_row_number`,
          [from, cursor.rowsRead + limit],
        );
        await decodeJsonColumns(fetched);
        if (!cursor.lastKey) return toPage(fetched, options.keyColumns.length, cursor, limit, SOURCE_ORDER);
        const [last, ...rest] = fetched;
        const sameFile =
          last !== undefined &&
          cursor.lastKey.every((part, index) => String(last[`${KEY_ALIAS_PREFIX}${index}`] ?? '') === part);
        if (sameFile) return toPage(rest, options.keyColumns.length, cursor, limit, SOURCE_ORDER);
      }
      const query = keysetQuery(dialect, numbered(relations.values, carriesOrder), options.keyColumns, cursor, limit);
      return toPage(
        await decodeJsonColumns(await rows(query.sql, query.params)),
        options.keyColumns.length,
        cursor,
        limit,
        SOURCE_ORDER,
      );
    },
    async countRows() {
      // A file's sorted copy answers from its Parquet metadata: no scan of a large file (nor its memory).
      const counted = options.file ? `read_parquet(${literal(await sortedFile(options.file))})` : relations.values;
      const [row] = await rows(`SELECT count(*) AS n FROM ${counted}`);
      return Number(row?.n ?? 0);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
      return Promise.resolve();
    },
  };
}
