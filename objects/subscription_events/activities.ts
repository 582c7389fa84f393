// ChartMogul subscription event activities: one request each, but a create that meets its own key
// (../../activities/create-once.ts). Bodies go in a `subscription_event` envelope; an event is named by its
// number, `id` (recorded: ruby ChartMogul_SubscriptionEvent, go subscription_events.yaml).

import { createBody, updateBody } from '../../src/chartmogul/payloads';
import { keyedRecordActivities } from '../../activities/keyed-record';
import type { ActivityDependencies } from '../../activities/dependencies';
import { SUBSCRIPTION_EVENTS } from './definition';

export function subscriptionEventActivities(deps: ActivityDependencies) {
  const event = keyedRecordActivities(deps, 'subscription_events', {
    create: (client, target, row) =>
      client.request('POST', SUBSCRIPTION_EVENTS.listPath, {
        body: { subscription_event: createBody('subscription_events', target.dataSourceUuid, row) },
      }),
    // PATCH names the event by its id in the envelope (recorded, ruby update/updates_the_subscription_event).
    update: (client, _target, id, row) =>
      client.request('PATCH', SUBSCRIPTION_EVENTS.listPath, {
        body: { subscription_event: { ...updateBody('subscription_events', row), id: Number(id) } },
      }),
  });
  return {
    lookupSubscriptionEvent: event.lookup,
    createSubscriptionEvent: event.create,
    updateSubscriptionEvent: event.update,
  };
}
