// The emulator's in-memory account: data sources, customers, contacts, plans, invoices and the custom
// attribute types.

import { randomUUID } from 'node:crypto';

import type { DataSource } from '../chartmogul/objects';
import type { AttributeType } from '../sync-spec/schema';

export { ATTRIBUTE_TYPES, type AttributeType } from '../sync-spec/schema';
export type { DataSource } from '../chartmogul/objects';

export interface Customer {
  id: number;
  uuid: string;
  data_source_uuid: string;
  external_id: string;
  /** ChartMogul answers an unset name, email or company as "", never null. */
  name: string;
  email: string;
  company: string;
  country: string | null;
  state: string | null;
  city: string | null;
  zip: string | null;
  lead_created_at: string | null;
  free_trial_started_at: string | null;
  owner: string | null;
  website_url: string | null;
  status: string;
  tags: string[];
  custom: Record<string, unknown>;
}

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

export interface Plan {
  id: number;
  uuid: string;
  data_source_uuid: string;
  external_id: string;
  name: string;
  interval_count: number;
  interval_unit: string;
}

/** A subscription: the import API names it `sub_<uuid>`, the metrics API by another, bare UUID and a number
 * (recorded: go subscriptions.yaml, customer_subscriptions.yaml). */
export interface Subscription {
  id: number;
  uuid: string;
  metrics_uuid: string;
}

/** An imported invoice, as ChartMogul answers it (line items and transactions with their UUIDs). */
export interface Invoice {
  id: number;
  uuid: string;
  data_source_uuid: string;
  customer_uuid: string;
  external_id: string;
  date: string;
  due_date: string | null;
  currency: string;
  collection_method: string | null;
  line_items: Record<string, unknown>[];
  transactions: Record<string, unknown>[];
}

/** The go client's constant for this refusal; no recording has the real text (see the README's choices). */
export const DUPLICATE_EXTERNAL_ID = 'The external ID for this customer already exists in our system.';

export class EmulatorStore {
  readonly dataSources = new Map<string, DataSource>();
  readonly customers = new Map<string, Customer>();
  /** `data_source_uuid + external_id` → customer uuid: the key ChartMogul keeps unique. */
  private readonly customerKeys = new Map<string, string>();
  readonly contacts = new Map<string, Contact>();
  readonly plans = new Map<string, Plan>();
  readonly invoices = new Map<string, Invoice>();
  /** `data_source_uuid + external_id` → invoice uuid. */
  private readonly invoiceKeys = new Map<string, string>();
  /** `customer_uuid + subscription_external_id` → the subscription its first subscription line item made. */
  readonly subscriptions = new Map<string, Subscription>();
  /** `data_source_uuid + external_id` → plan uuid. */
  private readonly planKeys = new Map<string, string>();
  /** A custom attribute key's type is fixed, account-wide, when the key is first created. */
  readonly attributeTypes = new Map<string, AttributeType>();
  /** The account's users: a customer's `owner` must be one of them, or ChartMogul keeps the old owner. */
  readonly users = new Set<string>();
  /** Contact custom attribute keys the account defines; a contact keeps only these. */
  readonly contactAttributes = new Set<string>();
  /** Test-only: the message of the duplicate external_id refusal (see EmulatorOptions.duplicateMessage). */
  duplicateMessage = DUPLICATE_EXTERNAL_ID;
  private nextId = 100_000_001;

  constructor(private readonly initialDataSources: readonly string[]) {
    this.clear();
  }

  /** Empties the account, keeping the data sources it was started with. */
  clear(): void {
    this.dataSources.clear();
    this.customers.clear();
    this.customerKeys.clear();
    this.contacts.clear();
    this.plans.clear();
    this.planKeys.clear();
    this.invoices.clear();
    this.invoiceKeys.clear();
    this.subscriptions.clear();
    this.attributeTypes.clear();
    this.initialDataSources.forEach((uuid, index) => this.addDataSource(`Emulated source ${index + 1}`, uuid));
  }

  newId(): number {
    return this.nextId++;
  }

  addDataSource(name: string, uuid = `ds_${randomUUID()}`): DataSource {
    const source: DataSource = { uuid, name, system: 'Custom', created_at: new Date().toISOString(), status: 'idle' };
    this.dataSources.set(uuid, source);
    return source;
  }

  findCustomerByExternalId(dataSourceUuid: string, externalId: string): Customer | undefined {
    const uuid = this.customerKeys.get(`${dataSourceUuid}\u0000${externalId}`);
    return uuid === undefined ? undefined : this.customers.get(uuid);
  }

  addCustomer(customer: Customer): void {
    this.customers.set(customer.uuid, customer);
    this.customerKeys.set(`${customer.data_source_uuid}\u0000${customer.external_id}`, customer.uuid);
  }

  deleteCustomer(customer: Customer): void {
    this.customers.delete(customer.uuid);
    this.customerKeys.delete(`${customer.data_source_uuid}\u0000${customer.external_id}`);
    for (const contact of this.contactsOf(customer.uuid)) this.contacts.delete(contact.uuid);
    for (const invoice of [...this.invoices.values()])
      if (invoice.customer_uuid === customer.uuid) this.deleteInvoice(invoice);
  }

  findPlanByExternalId(dataSourceUuid: string, externalId: string): Plan | undefined {
    const uuid = this.planKeys.get(`${dataSourceUuid}\u0000${externalId}`);
    return uuid === undefined ? undefined : this.plans.get(uuid);
  }

  addPlan(plan: Plan): void {
    this.plans.set(plan.uuid, plan);
    this.planKeys.set(`${plan.data_source_uuid}\u0000${plan.external_id}`, plan.uuid);
  }

  deletePlan(plan: Plan): void {
    this.plans.delete(plan.uuid);
    this.planKeys.delete(`${plan.data_source_uuid}\u0000${plan.external_id}`);
  }

  findInvoiceByExternalId(dataSourceUuid: string, externalId: string): Invoice | undefined {
    const uuid = this.invoiceKeys.get(`${dataSourceUuid}\u0000${externalId}`);
    return uuid === undefined ? undefined : this.invoices.get(uuid);
  }

  addInvoice(invoice: Invoice): void {
    this.invoices.set(invoice.uuid, invoice);
    this.invoiceKeys.set(`${invoice.data_source_uuid}\u0000${invoice.external_id}`, invoice.uuid);
  }

  deleteInvoice(invoice: Invoice): void {
    this.invoices.delete(invoice.uuid);
    this.invoiceKeys.delete(`${invoice.data_source_uuid}\u0000${invoice.external_id}`);
  }

  /** The subscription a customer's subscription line items name; made by the first that names it (kept if
   * the import is refused: the uuid is only ever seen with an invoice that was kept). */
  subscriptionOf(customerUuid: string, subscriptionExternalId: string): Subscription {
    const key = `${customerUuid}\u0000${subscriptionExternalId}`;
    let subscription = this.subscriptions.get(key);
    if (!subscription) {
      subscription = { id: this.newId(), uuid: `sub_${randomUUID()}`, metrics_uuid: randomUUID() };
      this.subscriptions.set(key, subscription);
    }
    return subscription;
  }

  contactsOf(customerUuid: string): Contact[] {
    return [...this.contacts.values()].filter((contact) => contact.customer_uuid === customerUuid);
  }
}

/** ChartMogul echoes ids without their prefix in "does not exist" messages. */
export function withoutPrefix(id: string): string {
  return id.replace(/^[a-z]+_/, '');
}
