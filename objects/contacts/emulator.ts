// Emulated contact endpoints: create (two paths), list (two paths), retrieve, update, delete, merge.

import { randomUUID } from 'node:crypto';

import { CONTACTS } from './definition';
import { fieldsOfKind } from '../../src/objects/definition';
import { asString, codeError, isReply, ok, type Reply, type Router, type RouteRequest } from '../../src/emulator/http';
import { paginate } from '../../src/emulator/paging';
import { withoutPrefix, type EmulatorStore, type RecordTable } from '../../src/emulator/store';
import { customersIn, type Customer } from '../customers/emulator-table';
import { isEmail } from '../../src/emulator/values';

export interface Contact {
  id: number;
  uuid: string;
  customer_uuid: string;
  data_source_uuid: string;
  /** undefined: never set (the key is left out of responses, as ChartMogul does). */
  external_id?: string | null;
  position: number;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
  linked_in: string | null;
  twitter: string | null;
  notes: string | null;
  custom: Record<string, unknown>;
}

/** A customer's contacts. */
export function contactsOf(store: EmulatorStore, customerUuid: string): Contact[] {
  return [...contactsIn(store).values()].filter((contact) => contact.customer_uuid === customerUuid);
}

/** The emulated account's contacts. */
export function contactsIn(store: EmulatorStore): RecordTable<Contact> {
  return store.table<Contact>('contacts');
}

// The writable text fields, from the product's definition of contacts.
const TEXT_FIELDS = fieldsOfKind(CONTACTS, 'text', 'notes') as TextField[];
type TextField = 'first_name' | 'last_name' | 'title' | 'phone' | 'linked_in' | 'twitter' | 'notes';

export function contactJson(store: EmulatorStore, contact: Contact): Record<string, unknown> {
  const json: Record<string, unknown> = {
    uuid: contact.uuid,
    customer_uuid: contact.customer_uuid,
    customer_external_id: customersIn(store).get(contact.customer_uuid)?.external_id ?? null,
    data_source_uuid: contact.data_source_uuid,
  };
  // ChartMogul leaves `external_id` out until it has been set once.
  if (contact.external_id !== undefined) json.external_id = contact.external_id;
  const { position, first_name, last_name, title, email, phone, linked_in, twitter, notes } = contact;
  return {
    ...json,
    position,
    first_name,
    last_name,
    title,
    email,
    phone,
    linked_in,
    twitter,
    notes,
    custom: { ...contact.custom },
  };
}

export type ContactFields = Partial<Omit<Contact, 'id' | 'uuid' | 'data_source_uuid' | 'custom'>> & {
  custom?: Record<string, unknown>;
};

/** Checks the writable fields of a create or PATCH body. Custom keys the account has not defined are
 * dropped without an error, as ChartMogul does (recorded: go contacts.yaml). */
export function checkContactFields(
  store: EmulatorStore,
  body: Record<string, unknown>,
  dataSourceUuid: string,
): ContactFields | Reply {
  const fields: ContactFields = {};
  for (const field of TEXT_FIELDS) {
    const value = body[field];
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string') return codeError(422, `The ${field} must be a string.`, field);
    fields[field] = value;
  }
  if (body.email !== undefined) {
    const email = body.email;
    if (email !== null && (typeof email !== 'string' || !isEmail(email))) {
      return codeError(422, 'The value provided does not appear to be a valid email address.', 'email');
    }
    fields.email = email;
  }
  if (body.external_id !== undefined) {
    if (body.external_id !== null && typeof body.external_id !== 'string')
      return codeError(422, 'The external_id must be a string.', 'external_id');
    fields.external_id = body.external_id;
  }
  if (body.position !== undefined) {
    if (typeof body.position !== 'number' || !Number.isInteger(body.position))
      return codeError(422, 'The position must be an integer.', 'position');
    fields.position = body.position;
  }
  if (body.customer_external_id !== undefined) {
    const externalId = asString(body.customer_external_id) ?? '';
    const target = customersIn(store).findByExternalId(dataSourceUuid, externalId);
    if (!target)
      return codeError(404, `Customer with external ID "${externalId}" does not exist`, 'customer_external_id');
    fields.customer_uuid = target.uuid;
  }
  if (body.custom !== undefined) {
    if (!Array.isArray(body.custom))
      return codeError(422, 'custom must be an array of {key, value} objects.', 'custom');
    fields.custom = {};
    for (const item of body.custom as unknown[]) {
      const { key, value } = (item ?? {}) as { key?: unknown; value?: unknown };
      if (typeof key !== 'string' || key === '')
        return codeError(422, `Custom attribute key ${JSON.stringify(key)} is invalid.`, 'custom');
      if (store.definedAttributes.has(key)) fields.custom[key] = value ?? null;
    }
  }
  return fields;
}

function notFound(uuid: string): Reply {
  return codeError(404, `Contact "${withoutPrefix(uuid)}" does not exist`, 'contact_uuid');
}

function createContact(store: EmulatorStore, customerUuid: string | undefined, body: Record<string, unknown>): Reply {
  if (!customerUuid) return codeError(422, 'A customer_uuid is required for each contact.', 'customer_uuid');
  const customer = customersIn(store).get(customerUuid);
  if (!customer) return codeError(404, `Customer "${withoutPrefix(customerUuid)}" does not exist`, 'customer_uuid');
  const dataSourceUuid = asString(body.data_source_uuid);
  if (!dataSourceUuid) return codeError(422, 'A data_source_uuid is required for each contact.', 'data_source_uuid');
  if (dataSourceUuid !== customer.data_source_uuid) {
    return codeError(
      422,
      `Data source "${withoutPrefix(dataSourceUuid)}" does not belong to the customer.`,
      'data_source_uuid',
    );
  }
  const checked = checkContactFields(store, { ...body, customer_external_id: undefined }, dataSourceUuid);
  if (isReply(checked)) return checked;
  const taken = takenExternalId(store, dataSourceUuid, checked.external_id);
  if (taken) return taken;
  return ok(contactJson(store, addContact(store, customer, checked)), 201);
}

/** The emulator's refusal of a contact external id another contact of the data source holds (2026 gave
 * contacts an external_id; no recording shows whether, or how, ChartMogul refuses a repeat). */
export const DUPLICATE_CONTACT = 'The external ID for this contact already exists in our system.';

function takenExternalId(
  store: EmulatorStore,
  dataSourceUuid: string,
  externalId: string | null | undefined,
  self?: Contact,
): Reply | undefined {
  const holder = externalId ? contactsIn(store).findByExternalId(dataSourceUuid, externalId) : undefined;
  return holder && holder !== self ? codeError(422, DUPLICATE_CONTACT, 'external_id') : undefined;
}

/** Adds a checked contact to a customer, after its other contacts. */
export function addContact(store: EmulatorStore, customer: Customer, fields: ContactFields): Contact {
  const siblings = contactsOf(store, customer.uuid);
  const contact: Contact = {
    id: store.newId(),
    uuid: `con_${randomUUID()}`,
    customer_uuid: customer.uuid,
    data_source_uuid: customer.data_source_uuid,
    position: siblings.reduce((max, sibling) => Math.max(max, sibling.position), 0) + 1,
    first_name: null,
    last_name: null,
    title: null,
    email: null,
    phone: null,
    linked_in: null,
    twitter: null,
    notes: null,
    ...fields,
    custom: fields.custom ?? {},
  };
  contactsIn(store).add(contact);
  return contact;
}

function listContacts(store: EmulatorStore, req: RouteRequest, customerUuid?: string): Reply {
  const q = (name: string) => req.query.get(name);
  const matches = [...contactsIn(store).values()]
    .filter(
      (contact) =>
        (customerUuid === undefined || contact.customer_uuid === customerUuid) &&
        (q('customer_uuid') === null || contact.customer_uuid === q('customer_uuid')) &&
        (q('customer_external_id') === null ||
          customersIn(store).get(contact.customer_uuid)?.external_id === q('customer_external_id')) &&
        (q('email') === null || contact.email === q('email')) &&
        (q('data_source_uuid') === null || contact.data_source_uuid === q('data_source_uuid')),
    )
    .sort((a, b) => a.id - b.id);
  const page = paginate(matches, req);
  return ok({ ...page, entries: page.entries.map((contact) => contactJson(store, contact)) });
}

export function registerContactRoutes(router: Router, store: EmulatorStore): void {
  const find = (req: RouteRequest, name = 'uuid'): Contact | Reply => {
    const uuid = req.params[name] ?? '';
    return contactsIn(store).get(uuid) ?? notFound(uuid);
  };
  router
    .add('POST', '/v1/contacts', (req) => createContact(store, asString(req.body.customer_uuid), req.body))
    .add('POST', '/v1/customers/:uuid/contacts', (req) => createContact(store, req.params.uuid, req.body))
    .add('GET', '/v1/contacts', (req) => listContacts(store, req))
    .add('GET', '/v1/customers/:uuid/contacts', (req) => {
      const uuid = req.params.uuid ?? '';
      if (!customersIn(store).has(uuid))
        return codeError(404, `Customer "${withoutPrefix(uuid)}" does not exist`, 'customer_id');
      return listContacts(store, req, uuid);
    })
    .add('GET', '/v1/contacts/:uuid', (req) => {
      const contact = find(req);
      return isReply(contact) ? contact : ok(contactJson(store, contact));
    })
    .add('PATCH', '/v1/contacts/:uuid', (req) => {
      const contact = find(req);
      if (isReply(contact)) return contact;
      const checked = checkContactFields(store, req.body, contact.data_source_uuid);
      if (isReply(checked)) return checked;
      const taken = takenExternalId(store, contact.data_source_uuid, checked.external_id, contact);
      if (taken) return taken;
      const { custom, ...rest } = checked;
      // Re-indexed: the table finds a contact by its external id.
      contactsIn(store).remove(contact);
      Object.assign(contact, rest);
      contactsIn(store).add(contact);
      if (custom) Object.assign(contact.custom, custom);
      return ok(contactJson(store, contact));
    })
    .add('DELETE', '/v1/contacts/:uuid', (req) => {
      const contact = find(req);
      if (isReply(contact)) return contact;
      store.deleteRecord('contacts', contact);
      return ok({});
    })
    .add('POST', '/v1/contacts/:into/merge/:from', (req) => {
      const into = find(req, 'into');
      const from = find(req, 'from');
      if (isReply(into)) return into;
      if (isReply(from)) return from;
      for (const field of [...TEXT_FIELDS, 'email'] as const) into[field] ??= from[field];
      into.notes = `${into.notes ?? ''} This contact was merged`.trim();
      into.custom = { ...from.custom, ...into.custom };
      store.deleteRecord('contacts', from);
      return ok({ ...contactJson(store, into), customer_uuid: null });
    });
}
