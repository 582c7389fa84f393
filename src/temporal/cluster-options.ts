// How to reach a Temporal cluster beyond its address: TLS (client certificates, a private CA) and API keys,
// from the Temporal client profile src/config.ts loads (Temporal's standard client configuration). The files
// it names are read here, only when connecting.

import { readFileSync } from 'node:fs';

import { toClientOptions, type ClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';

/** What a Connection and a NativeConnection need beyond the address. */
export interface ClusterOptions {
  tls?: Exclude<ReturnType<typeof toClientOptions>['connectionOptions']['tls'], null>;
  apiKey?: string;
  metadata?: Record<string, string>;
}

const TLS_FILES = {
  clientCert:
    'the client certificate (TEMPORAL_TLS_CLIENT_CERT_PATH, alias TEMPORAL_TLS_CERT, or tls.client_cert_path)',
  clientKey: 'the client key (TEMPORAL_TLS_CLIENT_KEY_PATH, alias TEMPORAL_TLS_KEY, or tls.client_key_path)',
  serverCACert: 'the server CA certificate (TEMPORAL_TLS_SERVER_CA_CERT_PATH or tls.server_ca_cert_path)',
} as const;

function readSource(what: string, source: ConfigDataSource | undefined): ConfigDataSource | undefined {
  if (!source || !('path' in source)) return source;
  try {
    return { data: readFileSync(source.path) };
  } catch (error) {
    throw new Error(`cannot read ${what} "${source.path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** Reads the profile's TLS files and turns it into connection options. Half a client certificate pair is an
 * error (the SDK would silently connect without one). */
export function clusterOptions(profile: ClientConfigProfile): ClusterOptions {
  const tls = profile.tls;
  if (tls && !tls.disabled && Boolean(tls.clientCert) !== Boolean(tls.clientKey))
    throw new Error(
      "set both the client certificate and its key (TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH, aliases TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY, or a profile's tls.client_cert_path and tls.client_key_path), or neither",
    );
  const read = tls && {
    ...tls,
    clientCert: readSource(TLS_FILES.clientCert, tls.clientCert),
    clientKey: readSource(TLS_FILES.clientKey, tls.clientKey),
    serverCACert: readSource(TLS_FILES.serverCACert, tls.serverCACert),
  };
  const { connectionOptions } = toClientOptions({ ...profile, tls: read });
  const options: ClusterOptions = {};
  const tlsOptions = connectionOptions.tls;
  if (typeof tlsOptions === 'object' && tlsOptions !== null) {
    // TLS on with nothing else to say is `true`; keep only the settings given.
    const given = Object.fromEntries(Object.entries(tlsOptions).filter(([, value]) => value !== undefined));
    options.tls = Object.keys(given).length > 0 ? given : true;
  } else if (typeof tlsOptions === 'boolean') options.tls = tlsOptions;
  if (connectionOptions.apiKey !== undefined) options.apiKey = connectionOptions.apiKey;
  if (connectionOptions.metadata) options.metadata = connectionOptions.metadata as Record<string, string>;
  return options;
}
