// Activities that check the ChartMogul side before a sync writes anything.

import type { Destination, DestinationInfo } from '../src/contracts/activities';
import type { ActivityDependencies } from './dependencies';

export function destinationActivities(deps: ActivityDependencies) {
  return {
    /** Ping (proves the key) and look up the data source; both failures are final and stop the sync. */
    checkDestination: async (input: Destination): Promise<DestinationInfo> => {
      const client = deps.clientFor(input.account);
      await client.ping();
      const source = await client.getDataSource(input.dataSourceUuid);
      return { dataSourceUuid: source.uuid, dataSourceName: source.name };
    },
  };
}
