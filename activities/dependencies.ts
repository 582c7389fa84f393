// What activities need from the worker process: ChartMogul clients per account (credentials stay here).

import { resolveAccount } from '../src/chartmogul/accounts';
import { ChartMogulClient, type ChartMogulClientOptions } from '../src/chartmogul/client';
import { StateStore, type StateStoreOptions } from '../src/state/store';

export interface ActivityDependencies {
  clientFor(account: string): ChartMogulClient;
  /** What earlier syncs sent, per sync and record key. */
  store: StateStore;
}

export interface ClientSettings {
  maxConnections?: number;
  requestsPerSecond?: number;
  env?: NodeJS.ProcessEnv;
  state?: StateStoreOptions;
}

/** One pooled client per account for the life of the worker process. */
export function createActivityDependencies(settings: ClientSettings = {}): ActivityDependencies & { close(): Promise<void> } {
  const clients = new Map<string, ChartMogulClient>();
  const env = settings.env ?? process.env;
  const store = StateStore.open(settings.state ?? { url: env.STATE_DATABASE_URL, sqlitePath: env.STATE_SQLITE_PATH });
  return {
    store,
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
      await store.close();
    },
  };
}
