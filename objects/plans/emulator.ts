// Emulated plan endpoints: create, list (by data source and external_id), retrieve, update, delete. Answers
// as recorded (go plans.yaml; ruby ChartMogul_Plan): create 201, update 202, delete 204, the list under
// `plans`. Validation messages are the recorded 2016 ones; the duplicate and not-found answers are not
// recorded (see the README's emulator choices).

import { randomUUID } from 'node:crypto';

import { PLAN_INTERVAL_UNITS } from './definition';
import {
  asString,
  fieldErrors,
  isReply,
  notFound,
  ok,
  Reply,
  type RouteRequest,
  type Router,
} from '../../src/emulator/http';
import { entriesOf, outcomeOf, type BulkSection } from '../../src/emulator/bulk-import';
import { paginate, withLegacyKeys } from '../../src/emulator/paging';
import type { EmulatorStore, RecordTable } from '../../src/emulator/store';

export interface Plan {
  id: number;
  uuid: string;
  data_source_uuid: string;
  external_id: string;
  name: string;
  interval_count: number;
  interval_unit: string;
}

/** The emulated account's plans. */
export function plansIn(store: EmulatorStore): RecordTable<Plan> {
  return store.table<Plan>('plans');
}

/** The go client's constant for a repeated plan external_id; no recording has the real answer. */
export const DUPLICATE_PLAN = 'A plan with this identifier already exists in our system.';

export function planJson(plan: Plan): Record<string, unknown> {
  return {
    external_id: plan.external_id,
    name: plan.name,
    interval_count: plan.interval_count,
    interval_unit: plan.interval_unit,
    data_source_uuid: plan.data_source_uuid,
    uuid: plan.uuid,
  };
}

type PlanFields = Partial<Pick<Plan, 'name' | 'interval_count' | 'interval_unit'>>;

/** The writable fields of a create (every one required) or a PATCH (those given); all problems at once,
 * in the recorded 2016 words. */
function checkPlanFields(body: Record<string, unknown>, create: boolean): PlanFields | Reply {
  const errors: Record<string, string> = {};
  const fields: PlanFields = {};
  if (create || body.name !== undefined) {
    const name = asString(body.name);
    if (!name?.trim()) errors.name = 'A unique name is required for each plan.';
    else fields.name = name;
  }
  if (create || body.interval_count !== undefined) {
    const count = body.interval_count;
    if (typeof count !== 'number' || !Number.isInteger(count)) errors.interval_count = 'is not a number';
    else if (count < 1) errors.interval_count = 'must be greater than 0';
    else fields.interval_count = count;
  }
  if (create || body.interval_unit !== undefined) {
    const unit = asString(body.interval_unit);
    if (!unit || !(PLAN_INTERVAL_UNITS as readonly string[]).includes(unit))
      errors.interval_unit = "Only 'day', 'month' or 'year' are valid values for interval_unit.";
    else fields.interval_unit = unit;
  }
  return Object.keys(errors).length > 0 ? fieldErrors(errors) : fields;
}

function createPlan(store: EmulatorStore, body: Record<string, unknown>): Reply {
  const dataSourceUuid = asString(body.data_source_uuid);
  const checked = checkPlanFields(body, true);
  const validSource = dataSourceUuid !== undefined && store.dataSources.has(dataSourceUuid);
  if (isReply(checked) || !validSource) {
    const errors = isReply(checked) ? (checked.body as { errors: Record<string, string> }).errors : {};
    if (!validSource) errors.data_source_uuid = 'A valid data source UUID is required for each plan.';
    return fieldErrors(errors);
  }
  // ChartMogul makes up an external_id when none is given: the UUID's own hex (ruby creates_the_plan_correctly).
  const hex = randomUUID();
  const externalId = asString(body.external_id) || hex;
  if (plansIn(store).findByExternalId(dataSourceUuid, externalId)) return fieldErrors({ external_id: DUPLICATE_PLAN });
  const plan: Plan = {
    id: store.newId(),
    uuid: `pl_${hex}`,
    data_source_uuid: dataSourceUuid,
    external_id: externalId,
    name: checked.name ?? '',
    interval_count: checked.interval_count ?? 1,
    interval_unit: checked.interval_unit ?? 'month',
  };
  plansIn(store).add(plan);
  return ok(planJson(plan), 201);
}

/** Plans in a bulk import (../../src/emulator/bulk-import.ts): the data source's own, each created as
 * `POST /v1/plans`, before any customer's records. */
export const PLANS_BULK: BulkSection = {
  customers: (_store, _dataSourceUuid, body) => (entriesOf(body, 'plans').length > 0 ? [''] : []),
  importFor: (store, dataSourceUuid, body, customer) =>
    customer !== ''
      ? []
      : outcomeOf(
          'plans',
          entriesOf(body, 'plans').map(
            (entry) => createPlan(store, { ...entry, data_source_uuid: dataSourceUuid }).status,
          ),
        ),
};

function findPlan(store: EmulatorStore, req: RouteRequest): Plan | Reply {
  return plansIn(store).get(req.params.uuid ?? '') ?? notFound('Plan');
}

export function registerPlanRoutes(router: Router, store: EmulatorStore): void {
  router
    .add('GET', '/v1/plans', (req) => {
      const q = (name: string) => req.query.get(name);
      const byKey = q('data_source_uuid') && q('external_id');
      const candidates = byKey
        ? [plansIn(store).findByExternalId(q('data_source_uuid') ?? '', q('external_id') ?? '')].filter(
            (plan) => plan !== undefined,
          )
        : [...plansIn(store).values()];
      const matches = candidates
        .filter(
          (plan) =>
            (q('data_source_uuid') === null || plan.data_source_uuid === q('data_source_uuid')) &&
            (q('system') === null || q('system') === 'Custom'),
        )
        .sort((a, b) => a.id - b.id);
      const { entries, cursor, has_more } = paginate(matches, req);
      // The first page also says where it stands in page numbers (recorded: go plans.yaml, ruby paginates).
      const { current_page, total_pages } = withLegacyKeys({ entries, cursor, has_more }, req, matches.length);
      return ok({
        plans: entries.map(planJson),
        ...(req.query.get('cursor') ? {} : { current_page, total_pages }),
        cursor,
        has_more,
      });
    })
    .add('POST', '/v1/plans', (req) => createPlan(store, req.body))
    .add('GET', '/v1/plans/:uuid', (req) => {
      const plan = findPlan(store, req);
      return isReply(plan) ? plan : ok(planJson(plan));
    })
    .add('PATCH', '/v1/plans/:uuid', (req) => {
      const plan = findPlan(store, req);
      if (isReply(plan)) return plan;
      const checked = checkPlanFields(req.body, false);
      if (isReply(checked)) return checked;
      Object.assign(plan, checked);
      return ok(planJson(plan), 202);
    })
    .add('DELETE', '/v1/plans/:uuid', (req) => {
      const plan = findPlan(store, req);
      if (isReply(plan)) return plan;
      store.deleteRecord('plans', plan);
      return new Reply(204);
    });
}
