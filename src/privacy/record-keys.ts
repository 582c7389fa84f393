// What a row's key looks like in the ChartMogulRecordKeys search attribute, which Temporal indexes in clear
// whatever the payload codec does. A key that is or holds an email (every contact's, `C-0012/ada@…`), or any
// key when encryption is on, is replaced by a keyed hash: HMAC-SHA256 under a key derived from the newest
// encryption key, shown as `#` and 8 characters. Without keys, such a key still gets an (unkeyed) SHA-256 in
// the same form, so no email sits in the index in clear. `find` computes every form to search with.

import { createHash, createHmac, hkdfSync } from 'node:crypto';

import { OBJECTS, type SyncObject } from '../objects';
import type { EncryptionKey } from './encryption-keys';

const EMAIL_IN_KEY = /[^\s@/]+@[^\s@/]+\.[^\s@/]+/;
/** 8 base64url characters (48 bits): enough to tell a sync's keys apart (find checks the row it finds), short
 * enough that a hashed key takes little more room than a typical key in the 2 KiB search attribute value, so a
 * page needs no more page workflows with hashing than without (measured: `npm run bench -- --scenarios
 * encryption`). */
const HASH_CHARACTERS = 8;
const DERIVATION_INFO = 'chartmogul-sync record keys';

function derive(key: EncryptionKey): Buffer {
  return Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), DERIVATION_INFO, 32));
}

function hmacOf(derived: Buffer, recordKey: string): string {
  return `#${createHmac('sha256', derived).update(recordKey).digest('base64url').slice(0, HASH_CHARACTERS)}`;
}

function sha256Of(recordKey: string): string {
  return `#${createHash('sha256').update(`${DERIVATION_INFO}\n${recordKey}`).digest('base64url').slice(0, HASH_CHARACTERS)}`;
}

export class RecordKeyHasher {
  private readonly derived: Buffer[];

  constructor(keys: EncryptionKey[]) {
    this.derived = keys.map(derive);
  }

  /** Keys that must not be indexed in clear. */
  needsHash(recordKey: string, object: SyncObject): boolean {
    return this.derived.length > 0 || OBJECTS[object].keyHoldsPersonalData || EMAIL_IN_KEY.test(recordKey);
  }

  /** The value this worker puts in the search attribute for a record key. */
  searchable(recordKey: string, object: SyncObject): string {
    if (!this.needsHash(recordKey, object)) return recordKey;
    const newest = this.derived.at(-1);
    return newest ? hmacOf(newest, recordKey) : sha256Of(recordKey);
  }

  /** Every value a record key may have been indexed as, under any configured key or none. */
  candidates(recordKey: string): string[] {
    return [recordKey, sha256Of(recordKey), ...this.derived.map((derived) => hmacOf(derived, recordKey))];
  }
}
