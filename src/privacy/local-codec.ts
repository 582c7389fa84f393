// A codec server for a Web UI this process starts (`serve`, `run`'s embedded server): started before the
// server, so the UI is told its address at start. It shows compressed pages of rows (always) and encrypted
// payloads (when keys are set) as the JSON they hold.

import { startCodecServer, type RunningCodecServer } from './codec-server';
import { chainedCodec, payloadCodecsFor } from './data-converter';
import type { EncryptionKey } from './encryption-keys';

export async function startLocalCodec(
  encryptionKeys: EncryptionKey[],
  uiPort: number,
  codecPort = 0,
): Promise<RunningCodecServer> {
  return startCodecServer({
    codec: chainedCodec(payloadCodecsFor(encryptionKeys)),
    port: codecPort,
    origins: [`http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`],
  });
}
