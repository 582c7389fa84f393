// Registers the search attributes a sync uses, so a row's history can be found by its key. The dev
// server gets them at start; on other clusters this adds them when the caller may, else says how.

import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

import { SEARCH_ATTRIBUTES } from '../contracts/names';

const INDEXED_TYPE: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KEYWORD_LIST: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

const CLI_TYPE: Record<string, string> = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList' };

/** The CLI command that registers them, for docs and error messages. */
export function registerCommand(namespace: string): string {
  const names = SEARCH_ATTRIBUTES.map((key) => `--name ${key.name} --type ${CLI_TYPE[key.type] ?? key.type}`).join(' ');
  return `temporal operator search-attribute create --namespace ${namespace} ${names}`;
}

export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set([
    ...Object.keys(existing.customAttributes ?? {}),
    ...Object.keys(existing.systemAttributes ?? {}),
  ]);
  const missing = SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((key) => [
          key.name,
          INDEXED_TYPE[key.type] ?? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        ]),
      ),
    });
  } catch (error) {
    throw new Error(
      `The search attributes ${missing.map((key) => key.name).join(', ')} are not registered in namespace "${namespace}" and could not be added (${error instanceof Error ? error.message : String(error)}). Register them once with:\n  ${registerCommand(namespace)}`,
    );
  }
}
