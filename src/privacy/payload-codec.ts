// AES-256-GCM over every payload the Temporal SDK stores: workflow and activity inputs and results, signals,
// queries, memos, summaries, child workflow arguments and (see ./failure-converter.ts) failure messages.
// Each encrypted payload records the id of its key; a payload is decrypted with the key of that id, and a
// missing key is named in the error, so a worker without it fails the task clearly and can be fixed.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

import { ENCRYPTION_KEYS_VARIABLE, type EncryptionKey } from './encryption-keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class MissingEncryptionKeyError extends Error {}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly newest: EncryptionKey;

  constructor(keys: EncryptionKey[]) {
    const newest = keys.at(-1);
    if (!newest) throw new Error('AesGcmPayloadCodec needs at least one key');
    this.newest = newest;
    this.byId = new Map(keys.map((key) => [key.id, key.key]));
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return this.each(payloads, (payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.newest.key, iv);
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: encoder.encode(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: encoder.encode(this.newest.id),
        },
        data,
      };
    });
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return this.each(payloads, (payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || decoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const idBytes = payload.metadata?.[KEY_ID_METADATA];
      const id = idBytes ? decoder.decode(idBytes) : '';
      const key = this.byId.get(id);
      if (!key)
        throw new MissingEncryptionKeyError(
          `a payload is encrypted with key "${id}", which is not in ${ENCRYPTION_KEYS_VARIABLE} here (it has ${[...this.byId.keys()].map((known) => `"${known}"`).join(', ')}). Add key "${id}" back (keys are id:base64, newest last) to read it.`,
        );
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const iv = data.subarray(0, IV_BYTES);
      const tag = data.subarray(data.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }

  /** The codec's work is synchronous; a failure still rejects the promise, as the SDK expects. */
  private each(payloads: Payload[], transform: (payload: Payload) => Payload): Promise<Payload[]> {
    try {
      return Promise.resolve(payloads.map(transform));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
