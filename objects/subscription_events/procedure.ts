// Subscription events: one per external id in the data source, changed in place by PATCH; in insert mode an
// event already there with other values fails (the decision table: ../../workflows/procedures/keyed-record.ts).

import { callApi } from '../../workflows/activities';
import { keyedRecordProcedures } from '../../workflows/procedures/keyed-record';

export const SUBSCRIPTION_EVENT_PROCEDURES = keyedRecordProcedures({
  noun: 'subscription event',
  lookup: (target, row) =>
    callApi('lookupSubscriptionEvent', `look up subscription event ${row.key}`, { target, externalId: row.key, row }),
  create: (target, row) => callApi('createSubscriptionEvent', `create subscription event ${row.key}`, { target, row }),
  update: (target, row, id) =>
    callApi('updateSubscriptionEvent', `update subscription event ${row.key}`, { target, uuid: id, row }),
});
