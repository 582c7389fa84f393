// How to reach a Temporal cluster beyond its address: TLS (mTLS client certificates) and API keys, as
// Temporal Cloud and secured self-hosted clusters need. Read from the environment, never from a spec.

import { readFileSync } from 'node:fs';

export interface ClusterOptions {
  tls?: boolean | { clientCertPair: { crt: Buffer; key: Buffer } };
  apiKey?: string;
}

/** TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (file paths) for mTLS; TEMPORAL_API_KEY for an API key (TLS on);
 * TEMPORAL_TLS=true for TLS with no client certificate. */
export function clusterOptions(env: NodeJS.ProcessEnv): ClusterOptions {
  const cert = env.TEMPORAL_TLS_CERT;
  const key = env.TEMPORAL_TLS_KEY;
  if (Boolean(cert) !== Boolean(key))
    throw new Error(
      'set both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (paths to the client certificate and its key), or neither',
    );
  const options: ClusterOptions = {};
  if (cert && key) {
    const read = (name: string, path: string) => {
      try {
        return readFileSync(path);
      } catch (error) {
        throw new Error(`cannot read ${name} "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
    };
    options.tls = { clientCertPair: { crt: read('TEMPORAL_TLS_CERT', cert), key: read('TEMPORAL_TLS_KEY', key) } };
  } else if (env.TEMPORAL_API_KEY || env.TEMPORAL_TLS === 'true') {
    options.tls = true;
  }
  if (env.TEMPORAL_API_KEY) options.apiKey = env.TEMPORAL_API_KEY;
  return options;
}
