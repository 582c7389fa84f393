// `chartmogul-sync codec-server` over real HTTP, as Temporal Web calls it: a CORS preflight from the UI's
// origin, POST /decode with the UI's request shape, /encode; other origins refused; with a token, no request
// without it; bound beyond localhost only with a token; without keys, compressed pages decompressed.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { after, test } from 'node:test';

import { defaultPayloadConverter, type Payload } from '@temporalio/common';

import { GzipPayloadCodec } from '../src/privacy/compression-codec';
import { AesGcmPayloadCodec } from '../src/privacy/payload-codec';
import { freePort } from '../src/temporal/dev-server';
import { BIN } from './helpers/processes';

const KEY = { id: 'k1', key: randomBytes(32) };
const ENV = { ...process.env, CHARTMOGUL_SYNC_ENCRYPTION_KEYS: `${KEY.id}:${KEY.key.toString('base64')}` };
const UI = 'http://localhost:8233';
const children: ChildProcess[] = [];

after(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function codecServer(
  args: string[],
  env: NodeJS.ProcessEnv = ENV,
): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'codec-server', '--port', String(port), ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  while (!output.includes('Codec server on')) {
    if (child.exitCode !== null) throw new Error(`codec-server exited (${child.exitCode}): ${output}`);
    await once(child.stderr, 'data');
  }
  return { url: `http://127.0.0.1:${port}`, child, output: () => output };
}

/** A payload as Temporal Web sends it: metadata values and data in base64. */
function forUi(payload: Payload) {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata!).map(([key, bytes]) => [key, Buffer.from(bytes).toString('base64')]),
    ),
    data: Buffer.from(payload.data!).toString('base64'),
  };
}

async function encryptedForUi(value: unknown) {
  const [payload] = await new AesGcmPayloadCodec([KEY]).encode([defaultPayloadConverter.toPayload(value)]);
  return forUi(payload!);
}

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', origin: UI, ...headers },
    body: JSON.stringify(body),
  });
}

test('preflight, /decode in the Web UI shape, /encode round trip; other origins refused', async () => {
  const { url } = await codecServer([]);
  const preflight = await fetch(`${url}/decode`, {
    method: 'OPTIONS',
    headers: {
      origin: UI,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-namespace',
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), UI);
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /X-Namespace/i);
  assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);

  const row = { key: 'C-0012', email: 'ada@example.com' };
  const decoded = await post(`${url}/decode`, { payloads: [await encryptedForUi(row)] });
  assert.equal(decoded.status, 200);
  assert.equal(decoded.headers.get('access-control-allow-origin'), UI);
  const [plain] = ((await decoded.json()) as { payloads: { metadata: Record<string, string>; data: string }[] })
    .payloads;
  assert.equal(Buffer.from(plain!.metadata.encoding!, 'base64').toString(), 'json/plain');
  assert.deepEqual(JSON.parse(Buffer.from(plain!.data, 'base64').toString()), row);

  const encoded = (await (await post(`${url}/encode`, { payloads: [plain] })).json()) as { payloads: unknown[] };
  const back = (await (await post(`${url}/decode`, encoded)).json()) as { payloads: { data: string }[] };
  assert.deepEqual(JSON.parse(Buffer.from(back.payloads[0]!.data, 'base64').toString()), row);

  const foreign = await post(`${url}/decode`, { payloads: [] }, { origin: 'https://evil.example' });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
});

test('with --token every request needs the bearer token; beyond localhost a token is required', async () => {
  const { url } = await codecServer(['--token', 'open-sesame', '--origin', 'https://cloud.temporal.io']);
  const body = { payloads: [await encryptedForUi('x')] };
  const origin = { origin: 'https://cloud.temporal.io' };
  assert.equal((await post(`${url}/decode`, body, origin)).status, 401);
  assert.equal((await post(`${url}/decode`, body, { ...origin, authorization: 'Bearer wrong' })).status, 401);
  assert.equal((await post(`${url}/decode`, body, { ...origin, authorization: 'Bearer open-sesame' })).status, 200);

  const open = spawn(process.execPath, [BIN, 'codec-server', '--host', '0.0.0.0', '--port', '0'], {
    env: ENV,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  open.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(open, 'exit')) as [number];
  assert.equal(code, 1);
  assert.match(stderr, /bound to 0\.0\.0\.0, it needs a token/);
});

test('without keys it decompresses: a page of rows the workers stored compressed shows as its JSON', async () => {
  const { CHARTMOGUL_SYNC_ENCRYPTION_KEYS: _, ...env } = ENV;
  const { url, output } = await codecServer([], env);
  assert.match(output(), /no keys in CHARTMOGUL_SYNC_ENCRYPTION_KEYS: decompresses only/);
  const rows = Array.from({ length: 1500 }, (_, index) => ({ key: `C-${index}`, email: `c${index}@example.com` }));
  const [compressed] = await new GzipPayloadCodec().encode([defaultPayloadConverter.toPayload(rows)]);
  assert.equal(Buffer.from(compressed!.metadata!.encoding!).toString(), 'binary/gzip');
  const decoded = await post(`${url}/decode`, { payloads: [forUi(compressed!)] });
  assert.equal(decoded.status, 200);
  const [plain] = ((await decoded.json()) as { payloads: { data: string }[] }).payloads;
  assert.deepEqual(JSON.parse(Buffer.from(plain!.data, 'base64').toString()), rows);
});
