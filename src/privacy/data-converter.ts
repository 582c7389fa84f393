// The one data converter of every worker, workflow bundle, client, CLI command and replay: failure messages
// as encoded payloads always, and AES-256-GCM over every payload when CHARTMOGUL_SYNC_ENCRYPTION_KEYS is set.

import type { DataConverter } from '@temporalio/common';

import type { EncryptionKey } from './encryption-keys';
import { AesGcmPayloadCodec } from './payload-codec';

/** For `bundleWorkflowCode` and workers: the module exporting `failureConverter`. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export function dataConverterFor(keys: EncryptionKey[]): DataConverter {
  return {
    failureConverterPath: FAILURE_CONVERTER_PATH,
    ...(keys.length > 0 ? { payloadCodecs: [new AesGcmPayloadCodec(keys)] } : {}),
  };
}
