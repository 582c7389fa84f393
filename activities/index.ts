// Activities: every side effect of a sync, in two sets, one per task queue and worker: `api` (one ChartMogul
// request each, paced per account) and `io` (source reads, the state store, reports). Each is registered
// only on its own worker and proxied with its own type, so a call on the wrong queue does not compile.
// Imports: src/ (Node-side code) and @temporalio/activity. Workflows import this folder as types only.

import type { ActivityDependencies } from './dependencies';
import { sourceActivities, type SourceSettings } from './source';
import { bulkImportActivities } from './bulk-import';
import { compareActivities } from './compare';
import { contactActivities } from '../objects/contacts/activities';
import { customerActivities } from '../objects/customers/activities';
import { invoiceActivities } from '../objects/invoices/activities';
import { planActivities } from '../objects/plans/activities';
import { subscriptionEventActivities } from '../objects/subscription_events/activities';
import { transactionActivities } from '../objects/transactions/activities';
import { destinationActivities } from './destination';
import { prefetchActivities } from './prefetch';
import { notificationActivities } from './notify';
import { scheduleActivities } from './schedule';

export function createApiActivities(deps: ActivityDependencies) {
  return {
    ...destinationActivities(deps),
    ...customerActivities(deps),
    ...contactActivities(deps),
    ...planActivities(deps),
    ...invoiceActivities(deps),
    ...transactionActivities(deps),
    ...subscriptionEventActivities(deps),
    ...prefetchActivities(deps),
    ...compareActivities(deps),
    ...bulkImportActivities(deps),
  };
}

export function createIoActivities(deps: ActivityDependencies, settings: SourceSettings) {
  return {
    ...sourceActivities(deps, settings),
    ...scheduleActivities(),
    ...notificationActivities(settings.config),
  };
}

export type ApiActivities = ReturnType<typeof createApiActivities>;
export type IoActivities = ReturnType<typeof createIoActivities>;
