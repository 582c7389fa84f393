// A codec server for a Web UI this process starts (`serve`, `run`'s embedded server), when keys are set:
// started before the server, so the UI is told its address at start.

import { startCodecServer, type RunningCodecServer } from './codec-server';
import type { EncryptionKey } from './encryption-keys';
import { AesGcmPayloadCodec } from './payload-codec';

/** Undefined when encryption is off: the UI then reads payloads as they are. */
export async function startLocalCodec(
  encryptionKeys: EncryptionKey[],
  uiPort: number,
  codecPort = 0,
): Promise<RunningCodecServer | undefined> {
  if (encryptionKeys.length === 0) return undefined;
  return startCodecServer({
    codec: new AesGcmPayloadCodec(encryptionKeys),
    port: codecPort,
    origins: [`http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`],
  });
}
