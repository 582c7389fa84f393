// Files (CSV, JSON lines, JSON, Parquet) and DuckDB queries, read through an in-process DuckDB.

import { extname } from 'node:path';

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

import type { SourceValue } from '../spec/fields';
import type { ColumnType } from '../spec/mapping';
import { HELPER_PREFIX, keysetQuery, toPage, type KeysetDialect } from './keyset';
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
  const instance = await DuckDBInstance.create(options.database ?? ':memory:', options.database ? { access_mode: 'READ_ONLY' } : {});
  const connection: DuckDBConnection = await instance.connect();
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
      const types = Object.fromEntries(described.map((column) => [String(column.column_name), columnTypeOf(String(column.column_type))]));
      const missing = options.keyColumns.filter((column) => !(column in types));
      if (missing.length > 0) throw new SourceError(`the key column${missing.length > 1 ? 's' : ''} ${missing.map((column) => `"${column}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the source (it has ${Object.keys(types).map((column) => `"${column}"`).join(', ')})`);
      return types;
    },
    async readPage(cursor: SourceCursor, limit: number): Promise<SourcePage> {
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
