// Emulated customer endpoints: create, list, search, retrieve, update, delete, attributes and custom attributes.

import { randomUUID } from 'node:crypto';

import { BULK_CUSTOMER_FIELDS, CUSTOMERS, LEAD_STATUSES } from './definition';
import { fieldsOfKind } from '../../src/objects/definition';
import { US_STATES } from '../../src/sync-spec/iso3166';
import {
  applyAttributeChange,
  checkAttributeMap,
  checkTypedAttributes,
  type AttributeChange,
} from '../../src/emulator/custom-attributes';
import { addContact, checkContactFields, type ContactFields } from '../contacts/emulator';
import {
  asString,
  codeError,
  fieldErrors,
  isReply,
  ok,
  Reply,
  type RouteRequest,
  type Router,
} from '../../src/emulator/http';
import { paginate, withLegacyKeys } from '../../src/emulator/paging';
import { withoutPrefix, type EmulatorStore } from '../../src/emulator/store';
import { customersIn, type Customer } from './emulator-table';
import { entriesBy, entriesOf, outcomeOf, type BulkSection } from '../../src/emulator/bulk-import';
import { isCountry, isEmail, normaliseState, toTimestamp } from '../../src/emulator/values';

// The writable fields, by kind, from the product's definition of customers. ChartMogul checks a URL as text.
const TEXT_FIELDS = fieldsOfKind(CUSTOMERS, 'text', 'url') as ('name' | 'company' | 'city' | 'zip' | 'website_url')[];
const EMAIL_FIELDS = fieldsOfKind(CUSTOMERS, 'email') as ('email' | 'owner')[];
const TIMESTAMP_FIELDS = fieldsOfKind(CUSTOMERS, 'past-timestamp') as ('lead_created_at' | 'free_trial_started_at')[];
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

export function customerJson(customer: Customer): Record<string, unknown> {
  // The app link ends in the company when there is one, else the name (recorded: ruby update cassette).
  const slug = (customer.company || customer.name || customer.external_id).replace(/[^A-Za-z0-9]+/g, '_');
  return {
    id: customer.id,
    uuid: customer.uuid,
    external_id: customer.external_id,
    name: customer.name,
    email: customer.email,
    status: customer.status,
    'customer-since': null,
    // No `clearbit` since 2025 (recorded: ruby ChartMogul_Transactions_Payment, Mar 2025).
    attributes: { custom: { ...customer.custom }, stripe: {}, tags: [...customer.tags] },
    data_source_uuid: customer.data_source_uuid,
    data_source_uuids: [customer.data_source_uuid],
    external_ids: [customer.external_id],
    company: customer.company,
    country: customer.country,
    state: customer.state,
    city: customer.city,
    zip: customer.zip,
    lead_created_at: customer.lead_created_at,
    free_trial_started_at: customer.free_trial_started_at,
    address: {
      country: customer.country ? (regionNames.of(customer.country) ?? customer.country) : null,
      state: customer.state ? (US_STATES[customer.state] ?? customer.state) : null,
      city: customer.city,
      address_zip: customer.zip,
    },
    mrr: 0,
    arr: 0,
    'billing-system-url': null,
    'chartmogul-url': `https://app.chartmogul.com/#/customers/${customer.id}-${slug}`,
    'billing-system-type': 'Custom',
    currency: 'USD',
    'currency-sign': '$',
    owner: customer.owner,
    website_url: customer.website_url,
  };
}

type Fields = Partial<Omit<Customer, 'id' | 'uuid' | 'data_source_uuid' | 'external_id' | 'custom'>>;

/** Checks the writable fields of a create or PATCH body; answers the first problem like ChartMogul does. */
function checkFields(
  body: Record<string, unknown>,
  current: Customer | undefined,
  store: EmulatorStore,
  customStyle: 'typed' | 'map',
): { fields: Fields; attributes?: AttributeChange } | Reply {
  const fields: Fields = {};
  for (const field of TEXT_FIELDS) {
    const value = body[field];
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string') return codeError(422, `The ${field} must be a string.`, field);
    // ChartMogul answers an unset name or company as "", never null.
    (fields as Record<string, unknown>)[field] = field === 'company' || field === 'name' ? (value ?? '') : value;
  }
  for (const field of EMAIL_FIELDS) {
    const value = body[field];
    if (value === undefined) continue;
    if (value !== null && (typeof value !== 'string' || !isEmail(value))) {
      return codeError(422, 'The value provided does not appear to be a valid email address.', field);
    }
    if (field === 'email') fields.email = value ?? '';
    // An owner must be a user of the account; ChartMogul answers 200 and keeps the old owner otherwise.
    else if (value === null || store.users.has(value.toLowerCase())) fields.owner = value;
  }
  if (body.country !== undefined) {
    const country = body.country;
    if (country !== null && (typeof country !== 'string' || !isCountry(country))) {
      return codeError(
        422,
        'The value provided does not appear to be a valid ISO 3166-1 alpha-2 country code.',
        'country',
      );
    }
    fields.country = country === null ? null : country.toUpperCase();
  }
  if (body.state !== undefined) {
    const state = body.state;
    if (state !== null && typeof state !== 'string') return codeError(422, 'The state must be a string.', 'state');
    const normalised = state === null ? null : normaliseState(state, fields.country ?? current?.country ?? null);
    if (normalised === undefined)
      return codeError(422, 'The value provided does not appear to be a valid US state code.', 'state');
    fields.state = normalised;
  }
  for (const field of TIMESTAMP_FIELDS) {
    const value = body[field];
    if (value === undefined) continue;
    if (value === null) {
      fields[field] = null;
      continue;
    }
    const timestamp = toTimestamp(value);
    if (!timestamp) return codeError(422, `The ${field} must be an ISO 8601 timestamp.`, field);
    if (Date.parse(timestamp) > Date.now()) return codeError(422, `The ${field} must be in the past.`, field);
    fields[field] = timestamp;
  }
  if (body.status !== undefined) {
    if (typeof body.status !== 'string' || !(LEAD_STATUSES as readonly string[]).includes(body.status)) {
      return codeError(422, `The status must be one of ${LEAD_STATUSES.join(', ')}.`, 'status');
    }
    fields.status = body.status;
  }
  const attributes = body.attributes as { tags?: unknown; custom?: unknown } | undefined;
  if (attributes?.tags !== undefined) {
    if (!Array.isArray(attributes.tags) || attributes.tags.some((tag) => typeof tag !== 'string')) {
      return codeError(422, 'The tags must be an array of strings.', 'tags');
    }
    fields.tags = attributes.tags as string[];
  }
  if (attributes?.custom === undefined) return { fields };
  const change =
    customStyle === 'typed'
      ? checkTypedAttributes(store, attributes.custom)
      : checkAttributeMap(store, attributes.custom);
  return isReply(change) ? change : { fields, attributes: change };
}

export function customerNotFound(uuid: string): Reply {
  return codeError(404, `Customer "${withoutPrefix(uuid)}" does not exist`, 'customer_id');
}

function findCustomer(store: EmulatorStore, req: RouteRequest): Customer | Reply {
  const uuid = req.params.uuid ?? '';
  return customersIn(store).get(uuid) ?? customerNotFound(uuid);
}

function sortedCustomers(
  store: EmulatorStore,
  keep: (customer: Customer) => boolean,
  candidates: Iterable<Customer> = customersIn(store).values(),
): Customer[] {
  return [...candidates].filter(keep).sort((a, b) => a.id - b.id);
}

function createCustomer(store: EmulatorStore, body: Record<string, unknown>): Reply {
  const dataSourceUuid = asString(body.data_source_uuid);
  const externalId = asString(body.external_id);
  const missing: Record<string, string> = {};
  if (!externalId) missing.external_id = 'A unique external ID is required for each customer.';
  if (!dataSourceUuid || !store.dataSources.has(dataSourceUuid)) {
    missing.data_source_uuid = 'A valid data source UUID is required for each customer.';
  }
  if (Object.keys(missing).length > 0 || !externalId || !dataSourceUuid) return fieldErrors(missing);
  if (customersIn(store).findByExternalId(dataSourceUuid, externalId)) {
    return fieldErrors({ external_id: store.duplicateMessage });
  }
  const checked = checkFields(body, undefined, store, 'typed');
  if (isReply(checked)) return checked;
  const primaryContact = checkPrimaryContact(store, body.primary_contact, dataSourceUuid);
  if (isReply(primaryContact)) return primaryContact;
  const id = store.newId();
  const customer: Customer = {
    id,
    uuid: `cus_${randomUUID()}`,
    data_source_uuid: dataSourceUuid,
    external_id: externalId,
    name: '',
    email: '',
    company: '',
    country: null,
    state: null,
    city: null,
    zip: null,
    lead_created_at: null,
    free_trial_started_at: null,
    owner: null,
    website_url: null,
    status: 'New Lead',
    tags: [],
    custom: {},
    ...checked.fields,
  };
  if (checked.attributes) applyAttributeChange(store, customer.custom, checked.attributes);
  customersIn(store).add(customer);
  if (primaryContact) addContact(store, customer, primaryContact);
  return ok(customerJson(customer), 201);
}

/** Customers in a bulk import (../../src/emulator/bulk-import.ts): each created as `POST /v1/customers`. */
export const CUSTOMERS_BULK: BulkSection = {
  customers: (_store, _dataSourceUuid, body) =>
    entriesOf(body, 'customers').map((entry) => asString(entry.external_id) ?? ''),
  importFor: (store, dataSourceUuid, body, customer, memo) =>
    outcomeOf(
      'customers',
      (customer === ''
        ? []
        : (memo('customers', () => entriesBy(body, 'customers', 'external_id')).get(customer) ?? [])
      ).map((entry) => {
        const fields = Object.fromEntries(
          BULK_CUSTOMER_FIELDS.filter((key) => key in entry).map((key) => [key, entry[key]]),
        );
        return createCustomer(store, { ...fields, data_source_uuid: dataSourceUuid }).status;
      }),
    ),
};

/** Test-only bulk load (the bench's million-row data source): each body is created as `POST /v1/customers`
 * would create it, without HTTP, limits or latency. Answers each created customer's uuid by external_id;
 * a body the API would refuse is left out. */
export function seedCustomers(store: EmulatorStore, bodies: Record<string, unknown>[]): Map<string, string> {
  const created = new Map<string, string>();
  for (const body of bodies) {
    const reply = createCustomer(store, body);
    const customer = reply.body as { uuid?: string; external_id?: string };
    if (reply.status === 201 && customer.uuid && customer.external_id) created.set(customer.external_id, customer.uuid);
  }
  return created;
}

/** `primary_contact` on create: the docs say it creates the customer's first contact. */
function checkPrimaryContact(
  store: EmulatorStore,
  value: unknown,
  dataSourceUuid: string,
): ContactFields | undefined | Reply {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    return codeError(422, 'The primary_contact must be an object.', 'primary_contact');
  const { customer_external_id: _ignored, ...fields } = value as Record<string, unknown>;
  return checkContactFields(store, fields, dataSourceUuid);
}

function updateCustomer(store: EmulatorStore, req: RouteRequest): Reply {
  const customer = findCustomer(store, req);
  if (isReply(customer)) return customer;
  const checked = checkFields(req.body, customer, store, 'map');
  if (isReply(checked)) return checked;
  Object.assign(customer, checked.fields);
  if (checked.attributes) applyAttributeChange(store, customer.custom, checked.attributes);
  return ok(customerJson(customer));
}

function registerAttributeRoutes(router: Router, store: EmulatorStore): void {
  const path = '/v1/customers/:uuid/attributes/custom';
  const change = (req: RouteRequest, style: 'typed' | 'map'): Reply => {
    const customer = findCustomer(store, req);
    if (isReply(customer)) return customer;
    const checked =
      style === 'typed' ? checkTypedAttributes(store, req.body.custom) : checkAttributeMap(store, req.body.custom);
    if (isReply(checked)) return checked;
    applyAttributeChange(store, customer.custom, checked);
    return ok({ custom: { ...customer.custom } });
  };
  const changeTags = (req: RouteRequest, change: 'add' | 'remove'): Reply => {
    const customer = findCustomer(store, req);
    if (isReply(customer)) return customer;
    const tags = req.body.tags;
    if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string'))
      return codeError(422, 'The tags must be an array of strings.', 'tags');
    const held = new Set(customer.tags);
    for (const tag of tags as string[]) {
      if (change === 'add') held.add(tag);
      else held.delete(tag);
    }
    customer.tags = [...held];
    return ok({ tags: [...customer.tags] });
  };
  router
    .add('GET', '/v1/customers/:uuid/attributes', (req) => {
      const customer = findCustomer(store, req);
      return isReply(customer)
        ? customer
        : ok({ tags: [...customer.tags], stripe: {}, clearbit: {}, custom: { ...customer.custom } });
    })
    .add('POST', path, (req) => change(req, 'typed'))
    .add('PUT', path, (req) => change(req, 'map'))
    // Tags added or removed, idempotently; the answer is the customer's whole set (recorded: ruby
    // adds_tags_correctly, removes_tags_correctly).
    .add('POST', '/v1/customers/:uuid/attributes/tags', (req) => changeTags(req, 'add'))
    .add('DELETE', '/v1/customers/:uuid/attributes/tags', (req) => changeTags(req, 'remove'))
    .add('DELETE', path, (req) => {
      const customer = findCustomer(store, req);
      if (isReply(customer)) return customer;
      const keys = req.body.custom;
      if (!Array.isArray(keys)) return codeError(422, 'custom must be an array of attribute keys.', 'custom');
      for (const key of keys) delete customer.custom[String(key)];
      return new Reply(204);
    });
}

export function registerCustomerRoutes(router: Router, store: EmulatorStore): void {
  router
    .add('GET', '/v1/customers/search', (req) => {
      const email = req.query.get('email');
      if (!email) return codeError(400, 'Parameter "email" is required.', 'email');
      const matches = sortedCustomers(store, (customer) => customer.email === email);
      if (matches.length === 0) return codeError(404, `Can't find any customers with email: "${email}"`, 'email');
      const page = paginate(matches, req);
      return ok({
        ...withLegacyKeys({ ...page, entries: page.entries.map(customerJson) }, req, matches.length),
        total_pages: null,
      });
    })
    .add('GET', '/v1/customers', (req) => {
      const q = (name: string) => req.query.get(name);
      const status = q('status')?.replace(/_/g, ' ');
      // A lookup by key is one map read, not a scan: the bench's data sources hold a million customers.
      const byKey = q('data_source_uuid') && q('external_id');
      const candidates = byKey
        ? [customersIn(store).findByExternalId(q('data_source_uuid') ?? '', q('external_id') ?? '')].filter(
            (customer) => customer !== undefined,
          )
        : undefined;
      const matches = sortedCustomers(
        store,
        (customer) =>
          (q('data_source_uuid') === null || customer.data_source_uuid === q('data_source_uuid')) &&
          (q('external_id') === null || customer.external_id === q('external_id')) &&
          (q('email') === null || customer.email === q('email')) &&
          (status === undefined || customer.status === status) &&
          (q('system') === null || q('system') === 'Custom'),
        candidates,
      );
      const page = paginate(matches, req);
      return ok(withLegacyKeys({ ...page, entries: page.entries.map(customerJson) }, req, matches.length));
    })
    .add('POST', '/v1/customers', (req) => createCustomer(store, req.body))
    .add('GET', '/v1/customers/:uuid', (req) => {
      const customer = findCustomer(store, req);
      return isReply(customer) ? customer : ok(customerJson(customer));
    })
    .add('PATCH', '/v1/customers/:uuid', (req) => updateCustomer(store, req))
    // The official Node client's `Customer.update` still sends PUT; ChartMogul documents PATCH.
    .add('PUT', '/v1/customers/:uuid', (req) => updateCustomer(store, req))
    .add('DELETE', '/v1/customers/:uuid', (req) => {
      const customer = findCustomer(store, req);
      if (isReply(customer)) return customer;
      store.deleteRecord('customers', customer);
      return new Reply(204);
    });
  registerAttributeRoutes(router, store);
}
