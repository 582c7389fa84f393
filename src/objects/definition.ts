// What the product knows of one ChartMogul object, declared once: its standard fields and their kinds, its
// record key and required fields per mode, how custom attributes are sent, its parent, its endpoints, and how
// its JSON answer reads back as fields. Spec validation, mapping, request bodies, the diff, the prefetch and
// the emulator's checks all derive from a definition. Pure (types and data), so workflows may import it.

export const SYNC_OBJECTS = [
  'customers',
  'contacts',
  'plans',
  'invoices',
  'transactions',
  'subscription_events',
] as const;
export type SyncObject = (typeof SYNC_OBJECTS)[number];

export const SYNC_MODES = ['insert', 'update', 'upsert'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

/** How a field's value is checked and converted (src/sync-spec/fields.ts), and how the emulator checks it. */
export type FieldKind =
  /** Text of at most 255 characters. */
  | 'text'
  /** Free text of at most 4,000 characters. */
  | 'notes'
  | 'email'
  /** ISO 3166-1 alpha-2. */
  | 'country'
  /** ISO 3166-2 (a bare US state code with country US). */
  | 'state'
  /** ISO 8601, in the past. */
  | 'past-timestamp'
  | 'url'
  /** The record's own key in its data source (text). */
  | 'external-id'
  /** Another record's external id, to find the parent by (text; never sent as a field). */
  | 'reference'
  /** The record's ChartMogul UUID (text; finds the record, never sent as a field). */
  | 'uuid'
  /** A whole number of at least 1 (a plan's interval count). */
  | 'count'
  /** One of the field's `choices` (a plan's interval unit). */
  | 'choice'
  /** ISO 8601, 1900 to 2200 (an invoice's date). */
  | 'timestamp'
  /** ISO 4217. */
  | 'currency'
  /** A whole number of minor units (cents), not below 0. */
  | 'amount'
  /** A whole number of minor units that may be negative (a line item's amount after discounts, a credit). */
  | 'signed-amount'
  | 'integer'
  /** A whole number other than 0 (a line item's quantity: a credit is negative). */
  | 'non-zero-integer'
  | 'boolean'
  /** A set of labels (a customer's tags): a JSON array of text, or text separated by commas; kept sorted and
   * without repeats, compared as a set. */
  | 'tags'
  /** A JSON array of objects nested in the row (an invoice's line items): the field's `list` says what an
   * element may hold, each key checked as a field of its kind. */
  | 'list';

/** A JSON object as it goes to ChartMogul (a line item): keys in a fixed order, values converted. */
export type JsonObject = { readonly [key: string]: string | number | boolean | null };

/** A standard field's value, converted: text (dates as ISO 8601), a number, a boolean, a list of objects, or a
 * set of labels (sorted). */
export type FieldValue = string | number | boolean | readonly JsonObject[] | readonly string[];

export interface FieldDefinition {
  kind: FieldKind;
  /** Left out of an update's body (ChartMogul does not change a customer's external_id by PATCH). */
  createOnly?: boolean;
  /** Only these modes may map the field (a contact's `uuid`: update mode). */
  modes?: readonly SyncMode[];
  /** A `choice` field's values, as ChartMogul spells them. */
  choices?: readonly string[];
  /** A `list` field's elements. */
  list?: NestedList;
}

/** The elements of a list nested in a row (an invoice's line items, its transactions). */
export interface NestedList {
  /** One element, in messages: `line item`. */
  noun: string;
  /** The list may not be empty. */
  atLeastOne: boolean;
  /** The keys an element may have, in the order they are sent (row hashes depend on it), each checked as a
   * field of its kind. */
  keys: Readonly<Record<string, FieldDefinition>>;
  /** ChartMogul may hold elements the row does not carry, and that is no difference (an invoice's transactions:
   * another spec may have added payments). Else the held list is exactly the row's. */
  othersMayBeHeld?: boolean;
  /** What an element needs beyond each key's own check (a subscription line item needs its plan and period),
   * each problem in a few words. `element`: the keys whose values converted; `given(key)`: whether the source
   * gave the key a value (one that did not convert has a problem of its own already). */
  problems(element: Readonly<Record<string, unknown>>, given: (key: string) => boolean): string[];
}

/** ChartMogul's answer in the row's terms: `{ field: value, custom: { key: value } }`, '' as null. */
export type RemoteValues = Record<string, unknown> & { custom?: Record<string, unknown> };

/** The spec options a record's key depends on (a contact's: options.contactKey). */
export interface KeyOptions {
  contactKey?: 'email' | 'external_id';
}

/** How an object's rows go in ChartMogul's bulk import. */
export interface BulkShape {
  /** A row's records as the body's arrays hold them (an invoice: itself, its line items and its transactions,
   * each naming the invoice by external id). */
  entries(key: string, fields: Readonly<Record<string, FieldValue | null>>): Record<string, Record<string, unknown>[]>;
  /** A row an import cannot carry whole (an invoice with a status, set by its own endpoint): it goes one by
   * one. Asked in the workflow of every new row, so it only looks. */
  goesAlone?(fields: Readonly<Record<string, FieldValue | null>>): boolean;
  /** The external id of the customer the row's records belong to: ChartMogul processes an import customer by
   * customer, tells its status by customer, and takes a customer's next import only once the last is done. */
  customerOf(key: string, fields: Readonly<Record<string, FieldValue | null>>): string;
}

/** A bulk import's entries for an object sent as it is sent alone: the row's fields that have a value, and its
 * key as `external_id`, in the body's array `array`. */
export function entriesAsSentAlone(array: string): BulkShape['entries'] {
  return (key, fields) => ({
    [array]: [
      { ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null)), external_id: key },
    ],
  });
}

export interface ObjectDefinition {
  name: SyncObject;
  /** One record, in messages: `customer`. */
  noun: string;
  /** The modes a spec may choose: billing records are created, and some never changed, in place. */
  modes: readonly SyncMode[];
  /** Standard fields; any other mapping target is a custom attribute, when the object has them. */
  fields: Readonly<Record<string, FieldDefinition>>;
  /** The fields a row is keyed by, in order: rows are read by key, a key seen twice is a duplicate, reports
   * and search attributes name rows by it (`C-12`, or `C-12/ada@example.com`). */
  keyFields(mode: SyncMode, options?: KeyOptions): readonly string[];
  /** Fields every spec of this object and mode must map. */
  requiredFields(mode: SyncMode, options?: KeyOptions): readonly string[];
  /** Key fields a row may leave empty in this mode (a contact without an email can still be inserted). */
  optionalKeyFields?(mode: SyncMode, options?: KeyOptions): readonly string[];
  /** Custom attributes as a typed array (customers), as key/value pairs (contacts), or none (billing
   * objects: a mapping target that is not a field is then a mistake). */
  customAttributes: 'typed' | 'key-value' | 'none';
  /** Other objects its rows name inside nested values (an invoice's line items name plans by external id). */
  references?: readonly SyncObject[];
  /** The record a row belongs to, named by one of its fields (a contact's customer). */
  parent?: { object: SyncObject; field: string };
  /** The record key holds personal data (an email): search attributes list it hashed. */
  keyHoldsPersonalData: boolean;
  /** Where ChartMogul lists the data source's records (`per_page`, `cursor`), and the answer's key for them. */
  listPath: string;
  listEntries: string;
  /** The key under which a listing of the parent shows this object's records (an invoice lists its
   * transactions): a sync that lists the parents learns its own records with no request more. */
  listedInParent?: string;
  /** Where one record is read by its UUID (`readPath/uuid`), for a dry run's comparison of a row the store
   * knows. Absent: the record is compared by its lookup instead (an invoice names plans by UUID). */
  readPath?: string;
  /** ChartMogul keeps a record it judged invalid and hides it from default reads (`validation_type=valid`):
   * a lookup by key asks for all, and a record found with `errors` is told apart (invoices, transactions). */
  keepsInvalidRecords?: boolean;
  /** A changed record is not edited in place but fails, or with options.invoiceChanges `replace` is deleted and
   * imported again (an invoice). */
  replacedOnChange?: boolean;
  /** The record's id as ChartMogul names it in requests and the state store keeps it: its `uuid`, or (a
   * subscription event) its number. Absent: the `uuid`. */
  recordId?(entry: Record<string, unknown>): string;
  /** A listed record's key, as the rows of this mode are keyed. */
  listedKey(entry: Record<string, unknown>, mode: SyncMode, options?: KeyOptions): string;
  /** ChartMogul's answer (a list entry, a create or update answer) as values to compare a row with: the
   * standard fields it carries but the key and references, and the custom attributes. */
  remoteValues(answer: Record<string, unknown>): RemoteValues;
  /** False when a listed record cannot be compared with a row as it stands (before 2026 a listed invoice's line
   * items named plans by UUID only): a listing then tells only the record's UUID, and the record's own
   * activity compares it. */
  listingComparesRows: boolean;
  /** What a row's converted fields need beyond each field's own rules, given the spec's options (an invoice
   * edited in place needs an external id on each line item and transaction), each problem in a few words. */
  rowProblems?(
    fields: Readonly<Record<string, FieldValue | null>>,
    options: Readonly<Record<string, unknown>>,
  ): string[];
  /** Whether a changed record of this row can be edited in place (an invoice whose line items and
   * transactions all have external ids): `validate` counts them for options.invoiceChanges `auto`. */
  editableInPlace?(fields: Readonly<Record<string, FieldValue | null>>): boolean;
  /** ChartMogul's bulk import takes the object (2026, `json_imports`). Absent: always sent one record at a
   * time. */
  bulk?: BulkShape;
  /** Why ChartMogul answered without a custom attribute the row sent. */
  customAttributeNotKept(key: string): string;
}

/** '' and absent read as null: ChartMogul answers an unset name or email as "". */
export function blankToNull(value: unknown): unknown {
  return value === '' || value === undefined ? null : value;
}

function isLabels(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Sets of labels (tags) are equal whatever their order; no labels equal none at all. */
function sameLabels(a: unknown, b: unknown): boolean {
  const set = (value: unknown) => [...new Set(isLabels(value) ? value : [])].sort().join('\u0000');
  return (isLabels(a) || a === null) && (isLabels(b) || b === null) && set(a) === set(b);
}

type Element = Readonly<Record<string, unknown>>;

function isElements(value: unknown): value is readonly Element[] {
  return Array.isArray(value) && value.every((item) => !!item && typeof item === 'object' && !Array.isArray(item));
}

/** A row's element is held when every key it gives that ChartMogul answers holds the same value. */
function holdsElement(ours: Element, theirs: Element): boolean {
  return Object.entries(ours).every(([key, value]) => !(key in theirs) || sameValue(value, theirs[key]));
}

/** A row's list (line items, transactions) and ChartMogul's: elements matched by external id when the row names
 * each, else by position; the held list is exactly the row's, or with `othersMayBeHeld` may hold more. */
function sameElements(ours: readonly Element[], theirs: readonly Element[], othersMayBeHeld: boolean): boolean {
  const idOf = (element: Element) =>
    typeof element.external_id === 'string' && element.external_id !== '' ? element.external_id : undefined;
  if (!othersMayBeHeld && ours.length !== theirs.length) return false;
  if (ours.length > 0 && ours.every(idOf)) {
    const held = new Map(theirs.map((element) => [idOf(element), element]));
    return ours.every((element) => {
      const match = held.get(idOf(element));
      return match !== undefined && holdsElement(element, match);
    });
  }
  // Unnamed elements by position, among the held ones the row could own.
  const candidates = othersMayBeHeld ? theirs.filter((element) => !idOf(element)) : theirs;
  let next = 0;
  return ours.every((element) => {
    if (idOf(element)) {
      const match = theirs.find((held) => idOf(held) === idOf(element));
      return match !== undefined && holdsElement(element, match);
    }
    const match = candidates[next++];
    return match !== undefined && holdsElement(element, match);
  });
}

/** The one equality of a row's value (`ours`) and ChartMogul's: '' and absent are no value, a timestamp equals
 * the same instant however ChartMogul writes it (`…T00:00:00Z`, `…T00:00:00.000Z`), tags are a set, and a list
 * of elements is compared element by element on the keys the row gives (`rule`: the field's definition). */
export function sameValue(ours: unknown, theirs: unknown, rule?: FieldDefinition): boolean {
  const a = blankToNull(ours);
  const b = blankToNull(theirs);
  if (isElements(a) && a.length > 0 && (isElements(b) || b === null))
    return sameElements(a, b ?? [], rule?.list?.othersMayBeHeld ?? false);
  if (typeof a === 'string' && typeof b === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(a) && /^\d{4}-\d{2}-\d{2}T/.test(b))
    return Date.parse(a) === Date.parse(b);
  if (isLabels(a) || isLabels(b)) return sameLabels(a, b);
  return a === b;
}

/** A listed or answered record's id (ObjectDefinition.recordId), '' when it has none. */
export function recordIdOf(definition: ObjectDefinition, entry: Record<string, unknown>): string {
  if (definition.recordId) return definition.recordId(entry);
  return typeof entry.uuid === 'string' ? entry.uuid : '';
}

/** Whether a dry run can read one record of the object to compare a row the store knows with it: by its UUID
 * (`readPath`), or else by its lookup by external id when a listed record compares with a row as it stands. */
export function readsOneRecord(definition: ObjectDefinition): boolean {
  return definition.readPath !== undefined || definition.listingComparesRows;
}

/** The fields of an answer worth comparing: everything but the key, references and UUIDs, and `except`. */
export function comparedFields(definition: ObjectDefinition, except: readonly string[] = []): string[] {
  const notCompared = new Set<FieldKind>(['external-id', 'reference', 'uuid']);
  return Object.entries(definition.fields)
    .filter(([field, rule]) => !notCompared.has(rule.kind) && !except.includes(field))
    .map(([field]) => field);
}

/** The answer's values of `fields`, a field the answer does not carry left out (unknown, not empty). */
export function answeredValues(answer: Record<string, unknown>, fields: readonly string[]): RemoteValues {
  const values: RemoteValues = {};
  for (const field of fields) if (field in answer) values[field] = blankToNull(answer[field]);
  return values;
}

/** Fields of these kinds, for checks that treat a kind alike (the emulator's). */
export function fieldsOfKind(definition: ObjectDefinition, ...kinds: FieldKind[]): string[] {
  return Object.entries(definition.fields)
    .filter(([, rule]) => kinds.includes(rule.kind))
    .map(([field]) => field);
}
