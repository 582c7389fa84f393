// Connection settings for Temporal clusters: Temporal's standard client configuration (variables and
// temporal.toml profiles), our earlier variable names as aliases, and clear errors.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadClusterProfile, readConfig } from '../src/config';
import { clusterOptions } from '../src/temporal/cluster-options';

const folder = mkdtempSync(join(tmpdir(), 'cms-tls-'));
writeFileSync(join(folder, 'client.pem'), 'CERT');
writeFileSync(join(folder, 'client.key'), 'KEY');
writeFileSync(join(folder, 'ca.pem'), 'CA');
const tomlPath = join(folder, 'temporal.toml');
writeFileSync(
  tomlPath,
  `[profile.default]
address = "default.example:7233"

[profile.prod]
address = "prod.example:7233"
namespace = "billing"
api_key = "profile-key"

[profile.prod.grpc_meta]
team = "revops"

[profile.secure]
address = "localhost:7443"
namespace = "secure-ns"

[profile.secure.tls]
client_cert_path = "${join(folder, 'client.pem')}"
client_key_path = "${join(folder, 'client.key')}"
server_ca_cert_path = "${join(folder, 'ca.pem')}"
server_name = "localhost"
`,
);

function optionsFor(env: NodeJS.ProcessEnv) {
  const loaded = loadClusterProfile(env);
  if (loaded.error !== undefined) throw new Error(loaded.error);
  return clusterOptions(loaded.profile);
}

test('nothing set: a plain connection, and `run` embeds a server', () => {
  assert.deepEqual(optionsFor({}), {});
  assert.equal(readConfig({}).temporalAddress, undefined);
  assert.equal(readConfig({}).temporalNamespace, 'default');
});

test('an API key turns TLS on; TEMPORAL_TLS=true alone too', () => {
  assert.deepEqual(optionsFor({ TEMPORAL_API_KEY: 'k' }), { tls: true, apiKey: 'k' });
  assert.deepEqual(optionsFor({ TEMPORAL_TLS: 'true' }), { tls: true });
});

test('a temporal.toml profile names the address, namespace, API key, gRPC metadata and TLS files', () => {
  const prod = readConfig({ TEMPORAL_CONFIG_FILE: tomlPath, TEMPORAL_PROFILE: 'prod' });
  assert.equal(prod.temporalAddress, 'prod.example:7233');
  assert.equal(prod.temporalNamespace, 'billing');
  assert.deepEqual(optionsFor({ TEMPORAL_CONFIG_FILE: tomlPath, TEMPORAL_PROFILE: 'prod' }), {
    tls: true,
    apiKey: 'profile-key',
    metadata: { team: 'revops' },
  });
  assert.deepEqual(optionsFor({ TEMPORAL_CONFIG_FILE: tomlPath, TEMPORAL_PROFILE: 'secure' }).tls, {
    serverNameOverride: 'localhost',
    serverRootCACertificate: Buffer.from('CA'),
    clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
  });
  // With no TEMPORAL_PROFILE, the "default" profile.
  assert.equal(readConfig({ TEMPORAL_CONFIG_FILE: tomlPath }).temporalAddress, 'default.example:7233');
});

test('the standard variables override the profile', () => {
  const env = {
    TEMPORAL_CONFIG_FILE: tomlPath,
    TEMPORAL_PROFILE: 'prod',
    TEMPORAL_ADDRESS: 'other:7233',
    TEMPORAL_NAMESPACE: 'other-ns',
    TEMPORAL_API_KEY: 'env-key',
  };
  assert.equal(readConfig(env).temporalAddress, 'other:7233');
  assert.equal(readConfig(env).temporalNamespace, 'other-ns');
  assert.equal(optionsFor(env).apiKey, 'env-key');
});

test('a missing profile or file stops what connects, with a message that names it', () => {
  const config = readConfig({ TEMPORAL_CONFIG_FILE: tomlPath, TEMPORAL_PROFILE: 'staging' });
  assert.match(config.temporalProfile.error ?? '', /profile "staging".*Profile 'staging' not found/);
  assert.equal(config.temporalAddress, undefined);
  // A missing file is no profile at all (as in the SDK), unless a profile was asked for.
  assert.equal(readConfig({ TEMPORAL_CONFIG_FILE: join(folder, 'nope.toml') }).temporalProfile.error, undefined);
});

test('the earlier TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY still work, as aliases of the standard names', () => {
  const viaAlias = optionsFor({
    TEMPORAL_TLS_CERT: join(folder, 'client.pem'),
    TEMPORAL_TLS_KEY: join(folder, 'client.key'),
  });
  assert.deepEqual(viaAlias.tls, { clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') } });
  const viaStandard = optionsFor({
    TEMPORAL_TLS_CLIENT_CERT_PATH: join(folder, 'client.pem'),
    TEMPORAL_TLS_CLIENT_KEY_PATH: join(folder, 'client.key'),
  });
  assert.deepEqual(viaStandard, viaAlias);
});

test('half a client certificate pair or a missing file is an error that names it', () => {
  assert.throws(
    () => optionsFor({ TEMPORAL_TLS_CERT: join(folder, 'client.pem') }),
    /set both the client certificate and its key .*TEMPORAL_TLS_CLIENT_CERT_PATH/,
  );
  assert.throws(
    () => optionsFor({ TEMPORAL_TLS_CERT: '/nope.pem', TEMPORAL_TLS_KEY: join(folder, 'client.key') }),
    /cannot read the client certificate \(TEMPORAL_TLS_CLIENT_CERT_PATH, alias TEMPORAL_TLS_CERT.*"\/nope.pem": ENOENT/,
  );
});
