// What activities need from the worker process: ChartMogul clients per account (credentials stay here),
// each paced by the account's shared pace, the state store, and where each sync's records live in it.

import { resolveAccount } from '../src/chartmogul/accounts';
import { ChartMogulClient, type ChartMogulClientOptions } from '../src/chartmogul/client';
import type { Config } from '../src/config';
import { DEFAULT_PACE, type PaceLimits } from '../src/limits';
import { RecordKeyHasher } from '../src/privacy/record-keys';
import { SharedPace } from '../src/state/shared-pace';
import type { SyncTarget } from '../src/contracts/activities';
import { StateStore, type StateStoreOptions, type StoreNamespace } from '../src/state/store';
import { accountIdentity, parentsNamespace, recordsNamespace } from '../src/state/target';
import { countChartMogulAnswer } from './answer-metrics';

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
  /** Per ChartMogul account, for all processes that share the state store together (default DEFAULT_PACE). */
  pace?: PaceLimits;
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
  const limits = settings.pace ?? DEFAULT_PACE;
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
          limits,
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
