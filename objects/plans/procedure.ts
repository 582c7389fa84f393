// Plans: one per external id in the data source, changed in place by PATCH; in insert mode a plan already
// there with other values fails (the decision table: ../../workflows/procedures/keyed-record.ts).

import { callApi } from '../../workflows/activities';
import { keyedRecordProcedures } from '../../workflows/procedures/keyed-record';

export const PLAN_PROCEDURES = keyedRecordProcedures({
  noun: 'plan',
  lookup: (target, row) => callApi('lookupPlan', `look up plan ${row.key}`, { target, externalId: row.key, row }),
  create: (target, row) => callApi('createPlan', `create plan ${row.key}`, { target, row }),
  update: (target, row, uuid) => callApi('updatePlan', `update plan ${row.key}`, { target, uuid, row }),
});
