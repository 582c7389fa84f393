// The one data converter of every worker, workflow bundle, client, CLI command and replay: failure messages
// as encoded payloads always, large payloads (pages of rows) gzip-compressed always, and AES-256-GCM over every
// payload when CHARTMOGUL_SYNC_ENCRYPTION_KEYS is set.

import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';

import { GzipPayloadCodec } from './compression-codec';
import type { EncryptionKey } from './encryption-keys';
import { AesGcmPayloadCodec } from './payload-codec';

/** For `bundleWorkflowCode` and workers: the module exporting `failureConverter`. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** Compression first: ciphertext does not compress. */
export function payloadCodecsFor(keys: EncryptionKey[]): PayloadCodec[] {
  return [new GzipPayloadCodec(), ...(keys.length > 0 ? [new AesGcmPayloadCodec(keys)] : [])];
}

export function dataConverterFor(keys: EncryptionKey[]): DataConverter {
  return { failureConverterPath: FAILURE_CONVERTER_PATH, payloadCodecs: payloadCodecsFor(keys) };
}

/** The codecs as one, as the SDK applies them (encoded in order, decoded in reverse): for codec servers. */
export function chainedCodec(codecs: PayloadCodec[]): PayloadCodec {
  return {
    async encode(payloads: Payload[]) {
      for (const codec of codecs) payloads = await codec.encode(payloads);
      return payloads;
    },
    async decode(payloads: Payload[]) {
      for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
      return payloads;
    },
  };
}
