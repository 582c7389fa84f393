// What a row's key looks like in the ChartMogulRecordKeys search attribute, which Temporal indexes in clear
// whatever the payload codec does. A key that is or holds an email (every contact's, `C-0012/ada@…`), or any
// key when encryption is on, is replaced by a keyed hash: HMAC-SHA256 under a key derived from the newest
// encryption key, tagged with that key's id. Without keys, such a key still gets an (unkeyed) SHA-256, so no
// email sits in the index in clear. `find` and `key-hash` compute the same values to search with.

import { createHash, createHmac, hkdfSync } from 'node:crypto';

import type { EncryptionKey } from './encryption-keys';

const EMAIL_IN_KEY = /[^\s@/]+@[^\s@/]+\.[^\s@/]+/;
const HASH_CHARACTERS = 22; // base64url: 132 bits
const DERIVATION_INFO = 'chartmogul-sync record keys';

function derive(key: EncryptionKey): Buffer {
  return Buffer.from(hkdfSync('sha256', key.key, Buffer.alloc(0), DERIVATION_INFO, 32));
}

function hmacOf(derived: Buffer, id: string, recordKey: string): string {
  return `#${id}:${createHmac('sha256', derived).update(recordKey).digest('base64url').slice(0, HASH_CHARACTERS)}`;
}

function sha256Of(recordKey: string): string {
  return `#sha256:${createHash('sha256').update(`${DERIVATION_INFO}\n${recordKey}`).digest('base64url').slice(0, HASH_CHARACTERS)}`;
}

export class RecordKeyHasher {
  private readonly derived: { id: string; key: Buffer }[];

  constructor(keys: EncryptionKey[]) {
    this.derived = keys.map((key) => ({ id: key.id, key: derive(key) }));
  }

  /** Keys that must not be indexed in clear. */
  needsHash(recordKey: string, object: 'customers' | 'contacts'): boolean {
    return this.derived.length > 0 || object === 'contacts' || EMAIL_IN_KEY.test(recordKey);
  }

  /** The value this worker puts in the search attribute for a record key. */
  searchable(recordKey: string, object: 'customers' | 'contacts'): string {
    if (!this.needsHash(recordKey, object)) return recordKey;
    const newest = this.derived.at(-1);
    return newest ? hmacOf(newest.key, newest.id, recordKey) : sha256Of(recordKey);
  }

  /** Every value a record key may have been indexed as, under any configured key or none. */
  candidates(recordKey: string): string[] {
    return [
      recordKey,
      sha256Of(recordKey),
      ...this.derived.map((derived) => hmacOf(derived.key, derived.id, recordKey)),
    ];
  }
}
