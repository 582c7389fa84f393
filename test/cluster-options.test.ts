// Connection settings for secured Temporal clusters come from the environment, with clear errors.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { clusterOptions } from '../src/temporal/cluster-options';

test('nothing set: a plain connection', () => {
  assert.deepEqual(clusterOptions({}), {});
});

test('an API key turns TLS on; TEMPORAL_TLS=true alone too', () => {
  assert.deepEqual(clusterOptions({ TEMPORAL_API_KEY: 'k' }), { tls: true, apiKey: 'k' });
  assert.deepEqual(clusterOptions({ TEMPORAL_TLS: 'true' }), { tls: true });
});

test('client certificates are read from their files; half a pair or a missing file is an error that names it', () => {
  const folder = mkdtempSync(join(tmpdir(), 'cms-tls-'));
  writeFileSync(join(folder, 'client.pem'), 'CERT');
  writeFileSync(join(folder, 'client.key'), 'KEY');
  const options = clusterOptions({
    TEMPORAL_TLS_CERT: join(folder, 'client.pem'),
    TEMPORAL_TLS_KEY: join(folder, 'client.key'),
  });
  assert.deepEqual(options.tls, { clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') } });
  assert.throws(
    () => clusterOptions({ TEMPORAL_TLS_CERT: join(folder, 'client.pem') }),
    /set both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/,
  );
  assert.throws(
    () => clusterOptions({ TEMPORAL_TLS_CERT: '/nope.pem', TEMPORAL_TLS_KEY: join(folder, 'client.key') }),
    /cannot read TEMPORAL_TLS_CERT "\/nope.pem": ENOENT/,
  );
});
