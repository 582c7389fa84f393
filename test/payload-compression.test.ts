// The payload codecs every worker and client use: a page of rows is stored gzip-compressed (a seventh of its
// JSON, so a sync run holds several times the pages), a row's small payloads stay plain JSON for Temporal Web,
// payloads stored before compression read as they are, and with keys the compressed bytes are what is encrypted.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { defaultPayloadConverter } from '@temporalio/common';

import { COMPRESSED_FROM_BYTES, GzipPayloadCodec } from '../src/privacy/compression-codec';
import { chainedCodec, payloadCodecsFor } from '../src/privacy/data-converter';
import { AesGcmPayloadCodec } from '../src/privacy/payload-codec';

const KEY = { id: 'k1', key: randomBytes(32) };
const encoding = (payload: { metadata?: Record<string, Uint8Array> | null }) =>
  Buffer.from(payload.metadata?.encoding ?? new Uint8Array()).toString();

/** A page's worth of invoice rows, as a read returns them. */
function page(rows: number) {
  return Array.from({ length: rows }, (_, index) => ({
    key: `INV-${index}`,
    rowNumber: index + 1,
    hash: randomBytes(32).toString('hex'),
    fields: {
      external_id: `INV-${index}`,
      customer_external_id: `C-${index % 40}`,
      currency: 'USD',
      date: '2026-01-01',
    },
  }));
}

test('a page of rows is stored compressed and reads back equal; a small payload stays plain JSON', async () => {
  const codec = new GzipPayloadCodec();
  const large = defaultPayloadConverter.toPayload(page(400));
  const small = defaultPayloadConverter.toPayload({ key: 'INV-1', amount_in_cents: 1000 });
  assert.ok(large.data!.length >= COMPRESSED_FROM_BYTES);
  const [stored, plain] = await codec.encode([large, small]);
  assert.equal(encoding(stored!), 'binary/gzip');
  assert.ok(stored!.data!.length * 2 < large.data!.length, `${stored!.data!.length} of ${large.data!.length} bytes`);
  assert.deepEqual(plain, small, 'a row-sized payload is untouched');
  const [back, same] = await codec.decode([stored!, plain]);
  assert.deepEqual(defaultPayloadConverter.fromPayload(back!), defaultPayloadConverter.fromPayload(large));
  assert.deepEqual(same, small);
});

test('payloads stored before compression (plain or encrypted) decode as they are', async () => {
  const encrypted = await new AesGcmPayloadCodec([KEY]).encode([defaultPayloadConverter.toPayload(page(400))]);
  const plain = defaultPayloadConverter.toPayload(page(400));
  assert.deepEqual(await new GzipPayloadCodec().decode([plain, ...encrypted]), [plain, ...encrypted]);
  const [fromEncrypted] = await chainedCodec(payloadCodecsFor([KEY])).decode(encrypted);
  assert.equal(encoding(fromEncrypted!), 'json/plain');
});

test('with keys, a page is compressed before it is encrypted, and both codecs read it back', async () => {
  const rows = page(400);
  const codecs = payloadCodecsFor([KEY]);
  const [stored] = await chainedCodec(codecs).encode([defaultPayloadConverter.toPayload(rows)]);
  assert.equal(encoding(stored!), 'binary/encrypted');
  // Decrypted alone, it is the compressed page: ciphertext of compressed bytes, not of the JSON.
  const [inner] = await new AesGcmPayloadCodec([KEY]).decode([stored!]);
  assert.equal(encoding(inner!), 'binary/gzip');
  const [back] = await chainedCodec(codecs).decode([stored!]);
  assert.deepEqual(defaultPayloadConverter.fromPayload(back!), rows);
});
