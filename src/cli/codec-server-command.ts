// `chartmogul-sync codec-server`: decrypts payloads for Temporal Web, on this machine only by default.

import { readConfig } from '../config';
import { startCodecServer } from '../privacy/codec-server';
import { ENCRYPTION_KEYS_VARIABLE } from '../privacy/encryption-keys';
import { AesGcmPayloadCodec } from '../privacy/payload-codec';
import { DEFAULT_UI_URL } from '../temporal/local-service';
import { EXIT, parseCommandLine, toInteger, UsageError, type Command } from './usage';

export const DEFAULT_CODEC_PORT = 8234;

const HELP = `Usage: chartmogul-sync codec-server [--port ${DEFAULT_CODEC_PORT}] [--origin URL]... [--host H --token T]

Serves Temporal's remote codec endpoints (POST /encode, /decode) with the keys in ${ENCRYPTION_KEYS_VARIABLE}
(or ./.state/encryption-keys), so Temporal Web shows decrypted inputs, results and failures in your browser
while the server stores only ciphertext. Point the UI at it: Temporal Web → the data encoder icon (or
Temporal Cloud → Namespace → Codec Server) → http://localhost:${DEFAULT_CODEC_PORT}; a self-hosted UI takes
TEMPORAL_CODEC_ENDPOINT. \`serve\` and \`run\` start one for their own Web UI when keys are set.

Options:
  --port P       port (default ${DEFAULT_CODEC_PORT})
  --origin URL   a Web UI origin allowed to call it (repeatable; default ${DEFAULT_UI_URL} and
                 TEMPORAL_UI_URL), e.g. https://cloud.temporal.io
  --host H       interface to bind (default 127.0.0.1: only this machine); any other needs --token
  --token T      require "Authorization: Bearer T" (or CHARTMOGUL_SYNC_CODEC_TOKEN)
  -h, --help     this help`;

export const codecServerCommand: Command = {
  name: 'codec-server',
  summary: 'decrypt payloads for Temporal Web (remote codec endpoint)',
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
    if (config.encryptionKeys.length === 0)
      throw new Error(
        `no keys: set ${ENCRYPTION_KEYS_VARIABLE} (id:base64,…) to the keys the workers use, or run this where \`serve\` keeps .state/encryption-keys`,
      );
    const origins = values.origin ?? [DEFAULT_UI_URL, ...(config.temporalUiUrl ? [config.temporalUiUrl] : [])];
    const server = await startCodecServer({
      codec: new AesGcmPayloadCodec(config.encryptionKeys),
      port: toInteger('port', values.port, DEFAULT_CODEC_PORT),
      host: values.host,
      origins,
      token: values.token ?? process.env.CHARTMOGUL_SYNC_CODEC_TOKEN,
    });
    console.error(
      `Codec server on ${server.url} for ${origins.join(', ')} (keys ${config.encryptionKeys.map((key) => key.id).join(', ')}). Ctrl+C to stop.`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return EXIT.ok;
  },
};
