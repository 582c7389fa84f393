// `chartmogul-sync codec-server`: decrypts and decompresses payloads for Temporal Web, on this machine only by default.

import { readConfig } from '../config';
import { startCodecServer } from '../privacy/codec-server';
import { chainedCodec, payloadCodecsFor } from '../privacy/data-converter';
import { ENCRYPTION_KEYS_VARIABLE } from '../privacy/encryption-keys';
import { DEFAULT_UI_URL } from '../temporal/local-service';
import { EXIT, parseCommandLine, toInteger, UsageError, type Command } from './usage';

export const DEFAULT_CODEC_PORT = 8234;

const HELP = `Usage: chartmogul-sync codec-server [--port ${DEFAULT_CODEC_PORT}] [--origin URL]... [--host H --token T]

Serves Temporal's remote codec endpoints (POST /encode, /decode) with the keys in ${ENCRYPTION_KEYS_VARIABLE}
(or ./.state/encryption-keys), so Temporal Web shows decrypted inputs, results and failures in your browser
while the server stores only ciphertext. Without keys it decompresses only: payloads of 32 KB or more (a
page's rows) are stored gzip-compressed, which Web shows as binary without it. Point the UI at it: Temporal
Web → the data encoder icon (or Temporal Cloud → Namespace → Codec Server) → http://localhost:${DEFAULT_CODEC_PORT};
a self-hosted UI takes TEMPORAL_CODEC_ENDPOINT. \`serve\` and \`run\` start one for their own Web UI.

Options:
  --port P       port (default ${DEFAULT_CODEC_PORT})
  --origin URL   a Web UI origin allowed to call it (repeatable; default ${DEFAULT_UI_URL} and
                 TEMPORAL_UI_URL), e.g. https://cloud.temporal.io
  --host H       interface to bind (default 127.0.0.1: only this machine); any other needs --token
  --token T      require "Authorization: Bearer T" (or CHARTMOGUL_SYNC_CODEC_TOKEN)
  -h, --help     this help`;

export const codecServerCommand: Command = {
  name: 'codec-server',
  summary: 'decrypt and decompress payloads for Temporal Web (remote codec endpoint)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, {
      port: { type: 'string' },
      origin: { type: 'string', multiple: true },
      host: { type: 'string' },
      token: { type: 'string' },
    });
    if (values.help) {
      console.log(HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const config = readConfig();
    const origins = values.origin ?? [DEFAULT_UI_URL, ...(config.temporalUiUrl ? [config.temporalUiUrl] : [])];
    const server = await startCodecServer({
      codec: chainedCodec(payloadCodecsFor(config.encryptionKeys)),
      port: toInteger('port', values.port, DEFAULT_CODEC_PORT),
      host: values.host,
      origins,
      token: values.token ?? process.env.CHARTMOGUL_SYNC_CODEC_TOKEN,
    });
    console.error(
      `Codec server on ${server.url} for ${origins.join(', ')} (${config.encryptionKeys.length > 0 ? `keys ${config.encryptionKeys.map((key) => key.id).join(', ')}` : `no keys in ${ENCRYPTION_KEYS_VARIABLE}: decompresses only`}). Ctrl+C to stop.`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return EXIT.ok;
  },
};
