// A remote codec for Temporal Web (and `temporal` CLI's --codec-endpoint): POST /encode and /decode with
// `{"payloads":[{"metadata":{…base64},"data":"base64"}]}`, as Temporal's UI sends them. The UI runs in the
// user's browser and calls this server directly, so it answers CORS preflights for the UI's origins only.
// Access: bound to localhost by default (only this machine's browser reaches it); with a token, every
// request must carry `Authorization: Bearer <token>` (for a server other machines reach).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export interface CodecServerOptions {
  codec: PayloadCodec;
  port: number;
  /** Default 127.0.0.1. Anything else requires a token. */
  host?: string;
  /** Origins of the Temporal Web UIs allowed to call it, e.g. `http://localhost:8233`. */
  origins: string[];
  token?: string;
}

export interface RunningCodecServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

type JsonPayload = { metadata?: Record<string, string>; data?: string };

function toPayload(json: JsonPayload): Payload {
  return temporal.api.common.v1.Payload.fromObject(json);
}

function toJson(payload: Payload): JsonPayload {
  return temporal.api.common.v1.Payload.toObject(temporal.api.common.v1.Payload.create(payload), {
    bytes: String,
  });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function handler(options: CodecServerOptions) {
  const allowed = new Set(options.origins.map((origin) => origin.replace(/\/+$/, '')));
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const origin = request.headers.origin;
    if (origin && allowed.has(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Vary', 'Origin');
    }
    const send = (status: number, body?: unknown) => {
      if (body === undefined) {
        response.writeHead(status).end();
        return;
      }
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (origin && !allowed.has(origin)) return send(403, { message: `origin ${origin} is not allowed` });
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      response.setHeader('Access-Control-Max-Age', '600');
      return send(204);
    }
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'POST' || (path !== '/encode' && path !== '/decode'))
      return send(404, { message: 'POST /encode or /decode' });
    if (options.token && request.headers.authorization !== `Bearer ${options.token}`)
      return send(401, { message: 'a bearer token is required' });
    try {
      const body = JSON.parse(await readBody(request)) as { payloads?: JsonPayload[] };
      const payloads = (body.payloads ?? []).map(toPayload);
      const result = path === '/encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
      return send(200, { payloads: result.map(toJson) });
    } catch (error) {
      return send(400, { message: error instanceof Error ? error.message : String(error) });
    }
  };
}

export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const host = options.host ?? '127.0.0.1';
  const local = host === '127.0.0.1' || host === 'localhost' || host === '::1';
  if (!local && !options.token)
    throw new Error(
      `the codec server decrypts for anyone who reaches it: bound to ${host}, it needs a token (--token or CHARTMOGUL_SYNC_CODEC_TOKEN)`,
    );
  const serve = handler(options);
  const server: Server = createServer((request, response) => {
    void serve(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
