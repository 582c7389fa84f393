// Temporal's standard client configuration, end to end: a temporal.toml profile (address, namespace, TLS with
// a client certificate) connects `worker`, `start` and `status` to a dev server behind a TLS terminator that
// requires the client certificate, and our earlier variables (TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY) still work.
// The dev server has no TLS of its own: a small Node TLS proxy stands in front of it, as a load balancer would.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';

import { SEARCH_ATTRIBUTES } from '../src/contracts/names';
import { readConfig } from '../src/config';
import { startDevServer, type DevServer } from '../src/temporal/dev-server';
import { customersSpecFile, killStartedProcesses, runCommand, startWorkerProcess } from './helpers/processes';
import { listAll, workFolder } from './helpers/sync';
import { startTestEmulator, type TestEmulator } from './helpers/temporal';

const NAMESPACE = 'secured';
const ROWS = 40;

let server: DevServer;
let emulator: TestEmulator;
let proxy: TlsServer;
let handshakesRefused = 0;
const file = (name: string) => join(workFolder, name);

/** A CA, a server certificate for localhost signed by it, and a client certificate signed by it. */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: workFolder, stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=test-ca',
  );
  for (const [name, extensions] of [
    ['server', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    writeFileSync(file(`${name}.ext`), extensions);
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name === 'server' ? 'localhost' : 'chartmogul-sync'}`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  }
}

/** Terminates TLS (client certificate required, HTTP/2 offered) and passes the bytes on to the dev server. */
function startTlsProxy(target: string): Promise<number> {
  const [host, port] = target.split(':');
  proxy = createTlsServer(
    {
      key: readFileSync(file('server.key')),
      cert: readFileSync(file('server.pem')),
      ca: readFileSync(file('ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket) => {
      const upstream = connectTcp(Number(port), host);
      socket.pipe(upstream).pipe(socket);
      const close = () => (socket.destroy(), upstream.destroy());
      socket.on('error', close);
      upstream.on('error', close);
    },
  );
  proxy.on('tlsClientError', () => handshakesRefused++);
  return new Promise((resolve) =>
    proxy.listen(0, '127.0.0.1', () => resolve((proxy.address() as { port: number }).port)),
  );
}

function toml(port: number): string {
  return `[profile.secure]
address = "localhost:${port}"
namespace = "${NAMESPACE}"

[profile.secure.tls]
client_cert_path = "${file('client.pem')}"
client_key_path = "${file('client.key')}"
server_ca_cert_path = "${file('ca.pem')}"

[profile.no-client-cert]
address = "localhost:${port}"
namespace = "${NAMESPACE}"

[profile.no-client-cert.tls]
server_ca_cert_path = "${file('ca.pem')}"
`;
}

let proxyPort: number;

before(async () => {
  makeCertificates();
  server = await startDevServer({
    ui: false,
    namespace: NAMESPACE,
    searchAttributes: SEARCH_ATTRIBUTES,
    temporalCli: readConfig().temporalCli,
  });
  emulator = await startTestEmulator();
  proxyPort = await startTlsProxy(server.address);
  writeFileSync(file('temporal.toml'), toml(proxyPort));
});

after(async () => {
  killStartedProcesses();
  proxy?.close();
  await emulator?.stop();
  await server?.stop();
});

/** The user's environment with no Temporal variable of ours: only the standard configuration. */
function profileEnv(profile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...emulator.env };
  for (const name of Object.keys(env))
    if (name.startsWith('TEMPORAL_') && name !== 'TEMPORAL_CLI_PATH') delete env[name];
  return { ...env, TEMPORAL_CONFIG_FILE: file('temporal.toml'), TEMPORAL_PROFILE: profile };
}

test(
  'a temporal.toml profile with a client certificate connects worker, start and status through TLS',
  { timeout: 180_000 },
  async () => {
    const env = profileEnv('secure');
    const worker = await startWorkerProcess(env, ['--reports-dir', file('reports')]);
    const spec = customersSpecFile(workFolder, 'tls-profile', ROWS, emulator.dataSourceUuid);
    const start = await runCommand(['start', spec], { env });
    assert.equal(start.code, 0, start.stderr);

    let status = await runCommand(['status', 'tls-profile', '--json'], { env });
    const deadline = Date.now() + 120_000;
    while (JSON.parse(status.stdout || '{}').status !== 'completed') {
      assert.ok(Date.now() < deadline, `the sync completes: ${status.stdout}${status.stderr}\n${worker.output()}`);
      await sleep(500);
      status = await runCommand(['status', 'tls-profile', '--json'], { env });
    }
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout).totals.created, ROWS);
    assert.equal(
      (await listAll(emulator, '/v1/customers')).length,
      ROWS,
      'the worker, connected through the proxy, wrote every row',
    );
    worker.kill('SIGTERM');
  },
);

test(
  'without the client certificate the terminator refuses the connection, and the command says where it tried',
  { timeout: 60_000 },
  async () => {
    const refusedBefore = handshakesRefused;
    const status = await runCommand(['status', 'tls-profile'], { env: profileEnv('no-client-cert') });
    assert.equal(status.code, 1);
    assert.match(status.stderr, new RegExp(`cannot reach Temporal at localhost:${proxyPort}`));
    assert.ok(handshakesRefused > refusedBefore, 'the proxy refused a handshake with no client certificate');
  },
);

test(
  'the earlier variables still work: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY',
  { timeout: 60_000 },
  async () => {
    const env = profileEnv('unused');
    delete env.TEMPORAL_PROFILE;
    delete env.TEMPORAL_CONFIG_FILE;
    const status = await runCommand(['status', 'tls-profile', '--json'], {
      env: {
        ...env,
        TEMPORAL_ADDRESS: `localhost:${proxyPort}`,
        TEMPORAL_NAMESPACE: NAMESPACE,
        TEMPORAL_TLS_CERT: file('client.pem'),
        TEMPORAL_TLS_KEY: file('client.key'),
        // Our test CA is in no system store: the standard variable names it.
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('ca.pem'),
      },
    });
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout).totals.created, ROWS);
  },
);

test('a profile that is not in the file stops the command with a message that names it', async () => {
  const status = await runCommand(['status', 'tls-profile'], { env: profileEnv('staging') });
  assert.equal(status.code, 1);
  assert.match(status.stderr, /profile "staging".*not found/);
});
