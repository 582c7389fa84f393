// ChartMogul plan activities: one request each, but a create that meets its own key (../../activities/
// create-once.ts). A plan is keyed by external id and changed in place (../../activities/keyed-record.ts).

import { createBody, updateBody } from '../../src/chartmogul/payloads';
import { keyedRecordActivities } from '../../activities/keyed-record';
import type { ActivityDependencies } from '../../activities/dependencies';
import { PLANS } from './definition';

export function planActivities(deps: ActivityDependencies) {
  const plan = keyedRecordActivities(deps, 'plans', {
    create: (client, target, row) =>
      client.request('POST', PLANS.listPath, { body: createBody('plans', target.dataSourceUuid, row) }),
    // PATCH changes a plan's name and interval.
    update: (client, _target, uuid, row) =>
      client.request('PATCH', `${PLANS.listPath}/${encodeURIComponent(uuid)}`, { body: updateBody('plans', row) }),
  });
  return { lookupPlan: plan.lookup, createPlan: plan.create, updatePlan: plan.update };
}
