// What identifies a sync's target, for the state store and the shared pace: the ChartMogul account, the
// data source and the object. The account is known by a one-way identity of its base URL and API key,
// so the key itself is never stored, logged or sent anywhere.

import { createHash } from 'node:crypto';

import type { AccountCredentials } from '../chartmogul/accounts';
import type { SyncObject } from '../sync-spec/schema';
import type { StoreNamespace } from './store';

/** `acct_` and 16 hex digits. The key has far more entropy than a guess could search, so the hash is safe
 * to keep; a rotated key starts a new view (rows are looked up again once, never written blindly). */
export function accountIdentity(credentials: AccountCredentials): string {
  const baseUrl = credentials.baseUrl.replace(/\/+$/, '').toLowerCase();
  return `acct_${createHash('sha256').update(`chartmogul-sync account\0${baseUrl}\0${credentials.apiKey}`).digest('hex').slice(0, 16)}`;
}

export function targetKey(account: string, dataSourceUuid: string, object: SyncObject): string {
  return `${account}/${dataSourceUuid.toLowerCase()}/${object}`;
}

/** Where a sync keeps its records. */
export function recordsNamespace(
  account: string,
  dataSourceUuid: string,
  object: SyncObject,
  syncName: string,
): StoreNamespace {
  return { target: targetKey(account, dataSourceUuid, object), sync: syncName };
}

/** Where a sync keeps the parents its rows name (a contact's or an invoice's customers, a transaction's invoices),
 * by external id. The target says `customers` for every kind of parent (the first there was), so existing stores
 * keep their entries; the sync name keeps each sync's parents apart. */
export function parentsNamespace(account: string, dataSourceUuid: string, syncName: string): StoreNamespace {
  return { target: targetKey(account, dataSourceUuid, 'customers'), sync: `${syncName}#customers` };
}
