// ChartMogul plan activities: one request each, but a create that meets its own key (./create-once.ts).

import { createBody, updateBody } from '../../src/chartmogul/payloads';
import type {
  BillingRef,
  CreateRecordInput,
  LookupByKeyInput,
  RecordWriteInput,
  WriteAnswer,
} from '../../src/contracts/activities';
import { PLANS } from './definition';
import { fieldDifferences, notKept } from '../../src/state/diff';
import type { MappedRow } from '../../src/sync-spec/mapping';
import { createOnce, findByExternalId } from '../../activities/create-once';
import type { ActivityDependencies } from '../../activities/dependencies';

interface PlanJson {
  uuid: string;
  external_id: string;
  data_source_uuid?: string;
  name?: string;
  interval_count?: number;
  interval_unit?: string;
}

const KEY_FIELDS = PLANS.keyFields('upsert');

function valuesOf(plan: PlanJson) {
  return PLANS.remoteValues(plan as unknown as Record<string, unknown>);
}

function refOf(plan: PlanJson, row?: MappedRow): BillingRef {
  if (!row) return { uuid: plan.uuid };
  const differences = fieldDifferences(row, valuesOf(plan), KEY_FIELDS);
  return { uuid: plan.uuid, holdsRow: differences.length === 0, differences };
}

function notKeptOf(plan: PlanJson | undefined, row: MappedRow): WriteAnswer {
  const found = plan ? notKept('plans', row, valuesOf(plan), KEY_FIELDS) : [];
  return found.length > 0 ? { notKept: found } : {};
}

export function planActivities(deps: ActivityDependencies) {
  async function find(target: LookupByKeyInput['target'], externalId: string): Promise<PlanJson | null> {
    return findByExternalId<PlanJson>(deps.clientFor(target.account), target, 'plans', externalId);
  }

  return {
    /** Finds a plan by its key (data source, external_id); given the row, says whether it holds it already. */
    lookupPlan: async ({ target, externalId, row }: LookupByKeyInput): Promise<BillingRef | null> => {
      const found = await find(target, externalId);
      return found ? refOf(found, row) : null;
    },

    /** Creates a plan, exactly once (./create-once.ts); one whose key was taken before is answered with
     * `existed` and whether it holds the row, for the procedure to decide. */
    createPlan: async ({ target, row }: CreateRecordInput): Promise<BillingRef> => {
      const created = await createOnce(
        () =>
          deps.clientFor(target.account).request<PlanJson>('POST', PLANS.listPath, {
            body: createBody('plans', target.dataSourceUuid, row),
          }),
        () => find(target, row.key),
      );
      if (created.existed) return { ...refOf(created.record, row), existed: true };
      return { uuid: created.record.uuid, ...notKeptOf(created.record, row) };
    },

    /** PATCHes a plan's name and interval (safe to repeat); answers what of the row ChartMogul did not keep. */
    updatePlan: async ({ target, uuid, row }: RecordWriteInput): Promise<WriteAnswer> => {
      const plan = await deps
        .clientFor(target.account)
        .request<PlanJson>('PATCH', `${PLANS.listPath}/${encodeURIComponent(uuid)}`, {
          body: updateBody('plans', row),
        });
      return notKeptOf(plan, row);
    },
  };
}
