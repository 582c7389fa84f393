// Encryption keys from CHARTMOGUL_SYNC_ENCRYPTION_KEYS: comma-separated `id:base64`, each a 32-byte AES-256
// key, newest last. The newest encrypts; any of them decrypts, so keys can be rotated without a pause.

import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ENCRYPTION_KEYS_VARIABLE = 'CHARTMOGUL_SYNC_ENCRYPTION_KEYS';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const KEY_BYTES = 32;

/** Parses the variable; an empty or unset one means "no encryption". Errors name the entry, never the key. */
export function parseEncryptionKeys(text: string | undefined): EncryptionKey[] {
  if (!text?.trim()) return [];
  const keys = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index) => {
      const colon = entry.indexOf(':');
      const id = colon < 0 ? '' : entry.slice(0, colon);
      if (!KEY_ID.test(id))
        throw new Error(
          `${ENCRYPTION_KEYS_VARIABLE}: entry ${index + 1} has no valid key id: expected id:base64 with an id of letters, digits, "_", "-" or "." (e.g. k2026:…)`,
        );
      const key = Buffer.from(entry.slice(colon + 1), 'base64');
      if (key.length !== KEY_BYTES)
        throw new Error(
          `${ENCRYPTION_KEYS_VARIABLE}: key "${id}" is ${key.length} bytes; expected ${KEY_BYTES} bytes (an AES-256 key), base64-encoded. Make one with \`openssl rand -base64 32\`.`,
        );
      return { id, key };
    });
  const ids = keys.map((key) => key.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated) throw new Error(`${ENCRYPTION_KEYS_VARIABLE}: key id "${repeated}" appears twice`);
  return keys;
}

/** A new key entry, `id:base64`, as the variable takes it. */
export function newKeyEntry(id: string): string {
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/** Where `serve` keeps the key it made (`.state/encryption-keys`, mode 0600), read by every command in the
 * folder when the variable is unset. */
export function keysFilePath(stateDir: string): string {
  return join(stateDir, 'encryption-keys');
}

export function readKeysFile(stateDir: string): string | undefined {
  const path = keysFilePath(stateDir);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
}

/** Makes a key file readable by its owner only, and answers the entry written. */
export function createKeysFile(stateDir: string, now: Date = new Date()): string {
  mkdirSync(stateDir, { recursive: true });
  const entry = newKeyEntry(`k${now.toISOString().slice(0, 10).replace(/-/g, '')}`);
  writeFileSync(keysFilePath(stateDir), `${entry}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(keysFilePath(stateDir), 0o600);
  return entry;
}
