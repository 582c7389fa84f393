// What activities need from the worker process: ChartMogul clients per account (credentials stay here).

import { resolveAccount } from '../src/chartmogul/accounts';
import { ChartMogulClient, type ChartMogulClientOptions } from '../src/chartmogul/client';

export interface ActivityDependencies {
  clientFor(account: string): ChartMogulClient;
}

export interface ClientSettings {
  maxConnections?: number;
  requestsPerSecond?: number;
  env?: NodeJS.ProcessEnv;
}

/** One pooled client per account for the life of the worker process. */
export function createActivityDependencies(settings: ClientSettings = {}): ActivityDependencies & { close(): Promise<void> } {
  const clients = new Map<string, ChartMogulClient>();
  return {
    clientFor(account) {
      let client = clients.get(account);
      if (!client) {
        const credentials = resolveAccount(account, settings.env);
        const options: ChartMogulClientOptions = { ...credentials, maxConnections: settings.maxConnections, requestsPerSecond: settings.requestsPerSecond };
        client = new ChartMogulClient(options);
        clients.set(account, client);
      }
      return client;
    },
    async close() {
      await Promise.all([...clients.values()].map((client) => client.close()));
      clients.clear();
    },
  };
}
