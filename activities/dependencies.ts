// What activities need from the worker process: ChartMogul clients per account (credentials stay here),
// each paced by the account's shared pace, the state store, and where each sync's records live in it.

import { resolveAccount } from '../src/chartmogul/accounts';
import { ChartMogulClient, type ChartMogulClientOptions } from '../src/chartmogul/client';
import type { Config } from '../src/config';
import { DEFAULT_PACE } from '../src/limits';
import type { SyncObject, SyncSpec } from '../src/sync-spec/schema';
import { RecordKeyHasher } from '../src/privacy/record-keys';
import { SharedPace } from '../src/state/shared-pace';
import { StateStore, type StateStoreOptions, type StoreNamespace } from '../src/state/store';
import { accountIdentity, parentsNamespace, recordsNamespace } from '../src/state/target';
import { countChartMogulAnswer } from './answer-metrics';

/** A sync's target and name: what the state store keys its records by (the account is resolved here). */
export interface SyncTarget {
  account: string;
  dataSourceUuid: string;
  object: SyncObject;
  syncName: string;
}

export function syncTargetOf(spec: SyncSpec): SyncTarget {
  return { account: spec.account, dataSourceUuid: spec.dataSourceUuid, object: spec.object, syncName: spec.name };
}

export interface ActivityDependencies {
  clientFor(account: string): ChartMogulClient;
  /** What earlier syncs sent, per target, sync and record key. */
  store: StateStore;
  /** Where a sync keeps its records, and the parents its rows name (src/state/target.ts). */
  namespaces(target: SyncTarget): { records: StoreNamespace; parents: StoreNamespace };
  /** How record keys are listed in the ChartMogulRecordKeys search attribute (hashed where they must be). */
  recordKeys: RecordKeyHasher;
}

export interface ClientSettings {
  /** Per ChartMogul account, for all processes that share the state store together. */
  maxConnections?: number;
  requestsPerSecond?: number;
  /** The entry point's configuration (credentials, the state store, encryption keys). */
  config: Config;
  /** Another state store than config's. */
  state?: StateStoreOptions;
}

/** One pooled client per account for the life of the worker process. */
export function createActivityDependencies(
  settings: ClientSettings,
): ActivityDependencies & { close(): Promise<void> } {
  const clients = new Map<string, ChartMogulClient>();
  const identities = new Map<string, string>();
  const { config } = settings;
  const env = config.environment;
  const stateOptions = settings.state ?? config.state;
  const store = StateStore.open(stateOptions);
  const pace = SharedPace.open(stateOptions);
  const limits = {
    requestsPerSecond: settings.requestsPerSecond ?? 0,
    maxConnections: settings.maxConnections ?? DEFAULT_PACE.maxConnections,
  };
  const identityOf = (account: string) => {
    let identity = identities.get(account);
    if (!identity) {
      identity = accountIdentity(resolveAccount(account, env));
      identities.set(account, identity);
    }
    return identity;
  };
  return {
    store,
    recordKeys: new RecordKeyHasher(config.encryptionKeys),
    clientFor(account) {
      let client = clients.get(account);
      if (!client) {
        const credentials = resolveAccount(account, env);
        const options: ChartMogulClientOptions = {
          ...credentials,
          maxConnections: limits.maxConnections,
          pace: pace.forAccount(identityOf(account), limits),
          onAnswer: countChartMogulAnswer,
        };
        client = new ChartMogulClient(options);
        clients.set(account, client);
      }
      return client;
    },
    namespaces(target) {
      const account = identityOf(target.account);
      return {
        records: recordsNamespace(account, target.dataSourceUuid, target.object, target.syncName),
        parents: parentsNamespace(account, target.dataSourceUuid, target.syncName),
      };
    },
    async close() {
      await Promise.all([...clients.values()].map((client) => client.close()));
      clients.clear();
      await store.close();
      await pace.close();
    },
  };
}
