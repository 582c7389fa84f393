// Emulated subscription events: create, list (filtered, by cursor), update and delete, by the event's `id`
// or (2026, docs only) by data source and external id. Answers as recorded (ruby ChartMogul_SubscriptionEvent
// 2022-2025, go subscription_events.yaml 2023): the bare event, values echoed as sent (a blank "" stays ""),
// dates as `YYYY-MM-DDTHH:MM:SSZ`, the list with `meta` beside `cursor` and `has_more`. The refusals are not
// recorded (see the README's emulator choices).

import { asString, fieldErrors, notFound, ok, Reply, type RouteRequest, type Router } from '../../src/emulator/http';
import { entriesBy, entriesOf, outcomeOf, type BulkSection } from '../../src/emulator/bulk-import';
import { paginate } from '../../src/emulator/paging';
import type { EmulatorStore, RecordTable } from '../../src/emulator/store';
import { checkedDate, isCentsOrAbsent } from '../../src/emulator/values';
import { customersIn } from '../customers/emulator-table';
import { eventTypeProblems, SUBSCRIPTION_EVENT_TYPES, SUBSCRIPTION_EVENTS } from './definition';

/** The keys an event answers, in ChartMogul's order (recorded). */
const ANSWER_KEYS = [
  'id',
  'data_source_uuid',
  'customer_external_id',
  'subscription_set_external_id',
  'subscription_external_id',
  'plan_external_id',
  'event_date',
  'effective_date',
  'event_type',
  'external_id',
  'errors',
  'created_at',
  'updated_at',
  'quantity',
  'currency',
  'amount_in_cents',
  'tax_amount_in_cents',
  'retracted_event_id',
] as const;

/** The values a create or an update may set: the object's fields (event_order is taken, and not answered:
 * recorded). */
const WRITABLE_KEYS = Object.keys(SUBSCRIPTION_EVENTS.fields);

/** What a create needs: the sync's required fields, but the external id (optional to ChartMogul). */
const REQUIRED_KEYS = SUBSCRIPTION_EVENTS.requiredFields('insert').filter((field) => field !== 'external_id');

/** The emulator's words for a repeated external id (no recording has ChartMogul's). */
export const DUPLICATE_EVENT = 'has already been taken';

interface SubscriptionEvent extends Record<string, unknown> {
  id: number;
  /** The table's key: the id, as text. */
  uuid: string;
  data_source_uuid: string;
  external_id: string | null;
}

function eventsIn(store: EmulatorStore): RecordTable<SubscriptionEvent> {
  return store.table<SubscriptionEvent>('subscription_events');
}

function eventJson(event: SubscriptionEvent): Record<string, unknown> {
  return Object.fromEntries(ANSWER_KEYS.map((key) => [key, event[key] ?? null]));
}

/** A date as events answer it: `2022-02-16` → `2022-02-16T00:00:00Z`. */
function eventDate(value: string): string {
  return value.replace(/\.\d{3}Z$/, 'Z');
}

/** The event as it would be kept, and its errors by key (an empty object when valid). */
function checkEvent(store: EmulatorStore, event: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {};
  const dataSource = asString(event.data_source_uuid);
  if (!dataSource || !store.dataSources.has(dataSource)) errors.data_source_uuid = 'is not a valid data source';
  for (const key of REQUIRED_KEYS)
    if (event[key] === undefined || event[key] === null || event[key] === '') errors[key] = "can't be blank";
  const type = asString(event.event_type);
  if (type && !(SUBSCRIPTION_EVENT_TYPES as readonly string[]).includes(type))
    errors.event_type = `must be one of ${SUBSCRIPTION_EVENT_TYPES.join(', ')}`;
  for (const problem of eventTypeProblems(event)) errors[problem.split(' ')[0] ?? 'event_type'] = problem;
  for (const key of ['event_date', 'effective_date']) {
    const date = checkedDate(event[key], false);
    if ('error' in date) errors[key] = date.error;
    else if (date.value) event[key] = eventDate(date.value);
  }
  for (const key of ['amount_in_cents', 'tax_amount_in_cents', 'quantity'])
    if (event[key] !== '' && !isCentsOrAbsent(typeof event[key] === 'string' ? Number(event[key]) : event[key]))
      errors[key] = 'is not an integer';
  const customer = asString(event.customer_external_id);
  if (dataSource && customer && !customersIn(store).findByExternalId(dataSource, customer))
    errors.customer_external_id = 'is not a customer of the data source';
  const externalId = asString(event.external_id);
  const holder = dataSource && externalId ? eventsIn(store).findByExternalId(dataSource, externalId) : undefined;
  if (holder && holder.id !== event.id) errors.external_id = DUPLICATE_EVENT;
  return errors;
}

/** The event a PATCH or DELETE names: by `id`, or by `data_source_uuid` and `external_id` (2026). */
function namedEvent(store: EmulatorStore, names: Record<string, unknown>): SubscriptionEvent | undefined {
  if (typeof names.id === 'number' || typeof names.id === 'string') return eventsIn(store).get(String(names.id));
  const dataSource = asString(names.data_source_uuid);
  const externalId = asString(names.external_id);
  return dataSource && externalId ? eventsIn(store).findByExternalId(dataSource, externalId) : undefined;
}

function envelope(req: RouteRequest): Record<string, unknown> {
  const inner = req.body.subscription_event;
  return inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : {};
}

function createEvent(store: EmulatorStore, body: Record<string, unknown>): Reply {
  const id = store.newId();
  const now = eventDate(new Date().toISOString());
  const event: SubscriptionEvent = {
    id,
    uuid: String(id),
    data_source_uuid: asString(body.data_source_uuid) ?? '',
    external_id: asString(body.external_id) ?? null,
    created_at: now,
    updated_at: now,
  };
  const values: Record<string, unknown> = event;
  for (const key of WRITABLE_KEYS) if (body[key] !== undefined && body[key] !== null) values[key] = body[key];
  const errors = checkEvent(store, event);
  if (Object.keys(errors).length > 0) return fieldErrors(errors);
  event.errors = {};
  eventsIn(store).add(event);
  return ok(eventJson(event), 201);
}

function updateEvent(store: EmulatorStore, req: RouteRequest): Reply {
  const body = envelope(req);
  const event = namedEvent(store, body);
  if (!event) return notFound('Subscription event');
  // By id, the external id may change (recorded); by external id, it names the event.
  const changed: SubscriptionEvent = { ...event };
  const values: Record<string, unknown> = changed;
  for (const key of WRITABLE_KEYS) if (body[key] !== undefined) values[key] = body[key];
  const errors = checkEvent(store, changed);
  if (Object.keys(errors).length > 0) return fieldErrors(errors);
  eventsIn(store).remove(event);
  changed.external_id = asString(changed.external_id) ?? null;
  changed.updated_at = eventDate(new Date().toISOString());
  eventsIn(store).add(changed);
  return ok(eventJson(changed));
}

function deleteEvent(store: EmulatorStore, req: RouteRequest): Reply {
  // Ruby sends the names as a query (`subscription_event[id]=…`); Go, in the body.
  const fromQuery = Object.fromEntries(
    ['id', 'data_source_uuid', 'external_id'].flatMap((key) => {
      const value = req.query.get(`subscription_event[${key}]`);
      return value === null ? [] : [[key, value]];
    }),
  );
  const event = namedEvent(store, Object.keys(fromQuery).length > 0 ? fromQuery : envelope(req));
  if (!event) return notFound('Subscription event');
  eventsIn(store).remove(event);
  return new Reply(204);
}

const FILTERS = [
  'data_source_uuid',
  'customer_external_id',
  'external_id',
  'subscription_external_id',
  'plan_external_id',
  'event_type',
] as const;

function listEvents(store: EmulatorStore, req: RouteRequest): Reply {
  const matches = [...eventsIn(store).values()]
    .filter((event) => FILTERS.every((key) => req.query.get(key) === null || event[key] === req.query.get(key)))
    .sort((a, b) => b.id - a.id);
  // Newest first (recorded: go subscription_events.yaml lists the later of two events on its first page).
  const { entries, cursor, has_more } = paginate(matches, req, 'newest first');
  const perPage = Math.max(1, entries.length);
  const last = entries[entries.length - 1];
  return ok({
    subscription_events: entries.map(eventJson),
    // The legacy keys stay beside the cursor (recorded: go subscription_events.yaml, 2023).
    meta: {
      next_key: has_more && last ? last.id : null,
      prev_key: null,
      before_key: new Date().toISOString(),
      page: entries.length > 0 ? 1 : 0,
      total_pages: entries.length > 0 ? Math.ceil(matches.length / perPage) : 0,
    },
    cursor,
    has_more,
  });
}

/** Subscription events in a bulk import (../../src/emulator/bulk-import.ts): each created as `POST
 * /v1/subscription_events`, with its customer's records. */
export const SUBSCRIPTION_EVENTS_BULK: BulkSection = {
  customers: (_store, _dataSourceUuid, body) =>
    entriesOf(body, 'subscription_events').map((entry) => asString(entry.customer_external_id) ?? ''),
  importFor: (store, dataSourceUuid, body, customer, memo) =>
    outcomeOf(
      'subscription_events',
      (memo('events', () => entriesBy(body, 'subscription_events', 'customer_external_id')).get(customer) ?? []).map(
        (entry) => createEvent(store, { ...entry, data_source_uuid: dataSourceUuid }).status,
      ),
    ),
};

export function registerSubscriptionEventRoutes(router: Router, store: EmulatorStore): void {
  router
    .add('POST', '/v1/subscription_events', (req) => createEvent(store, envelope(req)))
    .add('GET', '/v1/subscription_events', (req) => listEvents(store, req))
    .add('PATCH', '/v1/subscription_events', (req) => updateEvent(store, req))
    .add('DELETE', '/v1/subscription_events', (req) => deleteEvent(store, req));
}
