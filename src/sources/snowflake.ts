// Snowflake queries, read with Snowflake's Node driver (snowflake-sdk), one keyset page per query. Connection
// settings come from the worker's environment (src/sources/snowflake-settings.ts); one session per settings
// is kept for the process, so pages do not log in again.

import type { Connection } from 'snowflake-sdk';

import type { SourceValue } from '../sync-spec/fields';
import type { ColumnType } from '../sync-spec/mapping';
import { HELPER_PREFIX, keysetQuery, toPage, type KeysetDialect } from './keyset';
import { describeSnowflakeError, isPassingTrouble } from './snowflake-errors';
import { connectionOptions, type SnowflakeSettings } from './snowflake-settings';
import { SourceError, SourceUnavailableError, type RowSource, type SourceCursor, type SourcePage } from './types';

const dialect: KeysetDialect = {
  quote: (identifier) => `"${identifier.replace(/"/g, '""')}"`,
  // Text without a collation compares byte by byte (Snowflake's default), the order keyset paging needs.
  keyText: (column) => `COALESCE(TO_VARCHAR(${column}), '')`,
  tieBreak: (alias) => `TO_VARCHAR(OBJECT_CONSTRUCT(${alias}.*))`,
  placeholder: () => '?',
  inlinePaging: true,
};

let driver: Promise<typeof import('snowflake-sdk')> | undefined;

/** The driver, loaded on first use: it takes most of a second to load, and only Snowflake specs need it. */
export function snowflakeDriver(): Promise<typeof import('snowflake-sdk')> {
  driver ??= import('snowflake-sdk').then((loaded) => {
    const sdk = (loaded as { default?: typeof import('snowflake-sdk') }).default ?? loaded;
    // It logs to a file in the working directory unless told otherwise; the product logs for itself.
    sdk.configure({ logLevel: 'OFF', additionalLogToConsole: false });
    return sdk;
  });
  return driver;
}

/** Snowflake column types by the type they give custom attributes. */
function columnType(type: string, scale: number | null): ColumnType {
  if (type === 'fixed') return scale ? 'decimal' : 'integer';
  if (type === 'real') return 'decimal';
  if (type === 'boolean') return 'boolean';
  if (type === 'date' || type.startsWith('timestamp')) return 'timestamp';
  return 'string';
}

/** A driver value as the spec reads values: numbers as their exact text (NUMBER(38,0) and decimals lose
 * nothing), dates as `2024-01-31`, timestamps as UTC ISO 8601, VARIANT/OBJECT/ARRAY as JSON text. */
function toSourceValue(value: unknown, type: string): SourceValue {
  if (value === null || value === undefined) return null;
  if (type === 'date' && value instanceof Date) return value.toISOString().slice(0, 10);
  if (value instanceof Date) return value.toISOString();
  if (type === 'variant' || type === 'object' || type === 'array' || type === 'map')
    return typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

interface Column {
  name: string;
  type: string;
  scale: number | null;
}

const sessions = new Map<string, Promise<Connection>>();

function connect(settings: SnowflakeSettings): Promise<Connection> {
  const key = JSON.stringify(settings);
  let session = sessions.get(key);
  if (!session) {
    session = snowflakeDriver().then(
      (sdk) =>
        new Promise<Connection>((resolve, reject) => {
          sdk.createConnection(connectionOptions(settings)).connect((error, connection) => {
            if (error) reject(error);
            else resolve(connection);
          });
        }),
    );
    sessions.set(key, session);
    // A failed login is not kept: the next page tries again.
    session.catch(() => sessions.delete(key));
  }
  return session;
}

function execute(
  connection: Connection,
  sqlText: string,
  binds: (string | number)[],
): Promise<{ rows: Record<string, unknown>[]; columns: Column[] }> {
  return new Promise((resolve, reject) => {
    connection.execute({
      sqlText,
      binds,
      // Numbers as text: exact for NUMBER(38,0) and decimals; the mapping types them.
      fetchAsString: ['Number'],
      complete: (error, statement, rows) => {
        if (error) return reject(error);
        const columns = (statement.getColumns() ?? []).map((column) => ({
          name: column.getName(),
          type: column.getType(),
          scale: column.getScale(),
        }));
        resolve({ rows: (rows ?? []) as Record<string, unknown>[], columns });
      },
    });
  });
}

export interface SnowflakeSourceOptions {
  settings: SnowflakeSettings;
  query: string;
  keyColumns: string[];
}

export async function openSnowflakeSource(options: SnowflakeSourceOptions): Promise<RowSource> {
  const { settings } = options;
  const failure = (error: unknown, doing: 'connect' | 'query'): Error => {
    const message = describeSnowflakeError(error, settings, doing);
    if (isPassingTrouble(error)) {
      // A session that failed this way may be gone: the retry logs in again.
      sessions.delete(JSON.stringify(settings));
      return new SourceUnavailableError(message);
    }
    return new SourceError(message);
  };
  let connection: Connection;
  try {
    connection = await connect(settings);
  } catch (error) {
    throw failure(error, 'connect');
  }
  const relation = `(${options.query})`;

  async function run(sql: string, params: (string | number)[] = []) {
    try {
      return await execute(connection, sql, params);
    } catch (error) {
      throw failure(error, 'query');
    }
  }

  return {
    async columnTypes() {
      const result = await run(`SELECT * FROM ${relation} q LIMIT 0`);
      return Object.fromEntries(result.columns.map((column) => [column.name, columnType(column.type, column.scale)]));
    },
    async readPage(cursor: SourceCursor, limit: number): Promise<SourcePage> {
      const query = keysetQuery(dialect, relation, options.keyColumns, cursor, limit);
      const result = await run(query.sql, query.params);
      const types = new Map(result.columns.map((column) => [column.name, column.type]));
      const rows = result.rows.map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([column, value]) => [
            // Snowflake upper-cases unquoted names: the helper columns come back as __CMS_KEY_0.
            column.toUpperCase().startsWith(HELPER_PREFIX.toUpperCase()) ? column.toLowerCase() : column,
            toSourceValue(value, types.get(column) ?? 'text'),
          ]),
        ),
      );
      return toPage(rows, options.keyColumns.length, cursor, limit);
    },
    rejectedLines() {
      return [];
    },
    async countRows() {
      const result = await run(`SELECT COUNT(*) AS N FROM ${relation} q`);
      return Number(result.rows[0]?.N ?? 0);
    },
    async close() {
      // The session stays open for the next page of this process.
    },
  };
}
