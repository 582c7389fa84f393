// Connects to Temporal: the cluster the configuration names (TEMPORAL_ADDRESS or a temporal.toml profile),
// or an embedded dev server (with Web UI).

import { Client, Connection } from '@temporalio/client';
import type { ClientConfigProfile } from '@temporalio/envconfig';

import type { Config } from '../config';
import { dataConverterFor } from '../privacy/data-converter';
import { clusterOptions, type ClusterOptions } from '../temporal/cluster-options';
import { startLocalCodec } from '../privacy/local-codec';
import { freePort, startDevServer, type DevServer } from '../temporal/dev-server';
import { temporalAddressOf } from '../temporal/local-service';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { SEARCH_ATTRIBUTES } from '../contracts/names';

export interface TemporalSession {
  client: Client;
  connection: Connection;
  address: string;
  namespace: string;
  /** Set when an embedded dev server was started. */
  embedded?: DevServer;
  /** TLS and API key for the cluster (none for an embedded server), for workers that connect too. */
  cluster: ClusterOptions;
  close(): Promise<void>;
}

async function connect(
  config: Config,
  address: string,
  namespace: string,
  embedded?: DevServer,
): Promise<TemporalSession> {
  const cluster = embedded ? {} : clusterOptions(clusterProfileOf(config));
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: 10_000, ...cluster });
  } catch (error) {
    throw new Error(
      `cannot reach Temporal at ${address}: ${error instanceof Error ? error.message : String(error)}. Check TEMPORAL_ADDRESS or your Temporal profile (TEMPORAL_PROFILE, temporal.toml); \`run\` uses an embedded server when neither names an address.`,
    );
  }
  await ensureSearchAttributes(connection, namespace);
  return {
    client: new Client({ connection, namespace, dataConverter: dataConverterFor(config.encryptionKeys) }),
    connection,
    address,
    namespace,
    embedded,
    cluster,
    async close() {
      await connection.close();
      await embedded?.stop();
    },
  };
}

function clusterProfileOf(config: Config): ClientConfigProfile {
  if (config.temporalProfile.error !== undefined) throw new Error(config.temporalProfile.error);
  return config.temporalProfile.profile;
}

/** `allowEmbedded`: with no address (TEMPORAL_ADDRESS or a profile's), start a dev server in this process (for `run`). */
export async function openTemporal(options: {
  allowEmbedded: boolean;
  log?: (line: string) => void;
  config: Config;
}): Promise<TemporalSession> {
  const config = options.config;
  const { temporalAddress: address, temporalNamespace: namespace } = config;
  // A profile that cannot be loaded was meant to name a cluster: never fall back to an embedded server.
  clusterProfileOf(config);
  if (address) return connect(config, address, namespace);
  if (!options.allowEmbedded) return connect(config, temporalAddressOf(config), namespace);
  options.log?.('Starting an embedded Temporal dev server (set TEMPORAL_ADDRESS to use your own cluster)...');
  const uiPort = await freePort();
  const codec = await startLocalCodec(config.encryptionKeys, uiPort);
  try {
    const server = await startDevServer({
      temporalCli: config.temporalCli,
      ui: true,
      uiPort,
      codecEndpoint: codec.url,
      searchAttributes: SEARCH_ATTRIBUTES,
      namespace,
    });
    return await connect(config, server.address, namespace, {
      ...server,
      stop: async () => {
        await server.stop();
        await codec.close();
      },
    });
  } catch (error) {
    await codec.close();
    throw error;
  }
}
