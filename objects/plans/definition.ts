// Plans: keyed by external_id in their data source (always sent, so a retried create is recognised by it;
// ChartMogul would otherwise make one up). No custom attributes. Created by POST, changed in place by
// PATCH (the interval too); invoices name them by external_id.

import {
  answeredValues,
  comparedFields,
  entriesAsSentAlone,
  type ObjectDefinition,
} from '../../src/objects/definition';

export const PLAN_INTERVAL_UNITS = ['day', 'month', 'year'] as const;

export const PLANS: ObjectDefinition = {
  name: 'plans',
  noun: 'plan',
  modes: ['insert', 'update', 'upsert'],
  fields: {
    external_id: { kind: 'external-id', createOnly: true },
    name: { kind: 'text' },
    interval_count: { kind: 'count' },
    interval_unit: { kind: 'choice', choices: PLAN_INTERVAL_UNITS },
  },
  keyFields: () => ['external_id'],
  // A plan is created whole: ChartMogul refuses one without its name or interval.
  requiredFields: (mode) =>
    mode === 'update' ? ['external_id'] : ['external_id', 'name', 'interval_count', 'interval_unit'],
  customAttributes: 'none',
  keyHoldsPersonalData: false,
  listEntries: 'plans',
  listingComparesRows: true,
  listPath: '/v1/plans',
  readPath: '/v1/plans',
  listedKey: (entry) => (typeof entry.external_id === 'string' ? entry.external_id : ''),
  remoteValues: (answer) => answeredValues(answer, comparedFields(PLANS)),
  bulk: {
    entries: entriesAsSentAlone('plans'),
    // The data source's own: an import's plans are processed before its customers, and told by their type.
    customerOf: () => '',
  },
  customAttributeNotKept: () => 'plans have no custom attributes',
};
