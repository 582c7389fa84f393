// Activities: every side effect of a sync (ChartMogul requests, source reads, reports).
// Imports: src/ (Node-side code) and @temporalio/activity. Workflows import this folder as types only.

import type { ActivityDependencies } from './dependencies';
import { sourceActivities, type SourceSettings } from './source';
import { contactActivities } from './contacts';
import { customerActivities } from './customers';
import { destinationActivities } from './destination';
import { prefetchActivities } from './prefetch';
import { withHeartbeats } from './heartbeat';

export function createActivities(deps: ActivityDependencies, settings: SourceSettings = {}) {
  return withHeartbeats({
    ...sourceActivities(deps, settings),
    ...destinationActivities(deps),
    ...customerActivities(deps),
    ...contactActivities(deps),
    ...prefetchActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
