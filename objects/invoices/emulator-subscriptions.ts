// Emulated subscription lists of a customer, made by its invoices' subscription line items: the import
// API's (`GET /v1/import/customers/{uuid}/subscriptions`, deprecated by the clients) and the metrics API's
// (`GET /v1/customers/{uuid}/subscriptions`). Answers as recorded (go subscriptions.yaml,
// customer_subscriptions.yaml). MRR is the latest line item's amount per month of its plan, in the invoice's
// currency: ChartMogul converts to the account's currency, which the emulator does not (README: emulator
// choices).

import { customerNotFound } from '../customers/emulator';
import { ok, type Router } from '../../src/emulator/http';
import { paginate, perPageOf } from '../../src/emulator/paging';
import type { EmulatorStore } from '../../src/emulator/store';
import { customersIn } from '../customers/emulator-table';
import { plansIn } from '../plans/emulator';
import { invoicesIn, subscriptionOf, type Invoice, type Subscription } from './emulator-table';

interface Derived {
  id: number;
  subscription: Subscription;
  externalId: string;
  setExternalId: string | null;
  dataSourceUuid: string;
  currency: string;
  /** Line items in invoice order; the last one says the subscription's plan, quantity and amount. */
  items: Record<string, unknown>[];
}

const MONTHS_PER_INTERVAL: Record<string, number> = { day: 12 / 365, week: 12 / 52, month: 1, year: 12 };

/** A customer's subscriptions, in the order they were first invoiced. */
function subscriptionsOf(store: EmulatorStore, customerUuid: string): Derived[] {
  const invoices: Invoice[] = [...invoicesIn(store).values()]
    // An invoice kept as invalid, or voided, counts in no metric.
    .filter(
      (invoice) =>
        invoice.customer_uuid === customerUuid &&
        Object.keys(invoice.errors).length === 0 &&
        invoice.status !== 'voided',
    )
    .sort((a, b) => a.id - b.id);
  const found = new Map<string, Derived>();
  for (const invoice of invoices) {
    for (const item of invoice.line_items) {
      if (typeof item.subscription_uuid !== 'string') continue;
      const externalId = String(item.subscription_external_id);
      const subscription = subscriptionOf(store, customerUuid, externalId);
      const derived = found.get(subscription.uuid) ?? {
        id: subscription.id,
        subscription,
        externalId,
        setExternalId: null,
        dataSourceUuid: invoice.data_source_uuid,
        currency: invoice.currency,
        items: [],
      };
      if (typeof item.subscription_set_external_id === 'string')
        derived.setExternalId = item.subscription_set_external_id;
      derived.currency = invoice.currency;
      derived.items.push(item);
      found.set(subscription.uuid, derived);
    }
  }
  return [...found.values()].sort((a, b) => a.id - b.id);
}

function cancellationDates(derived: Derived): string[] {
  return derived.items.flatMap((item) => (typeof item.cancelled_at === 'string' ? [item.cancelled_at] : []));
}

/** ISO 8601 with an offset, as the metrics API writes dates ("2017-05-01T00:00:00+00:00"). */
function metricsDate(value: unknown): string | null {
  return typeof value === 'string' ? value.replace(/(\.\d+)?Z$/, '+00:00') : null;
}

function currencySign(currency: string): string {
  const parts = new Intl.NumberFormat('en-US', { style: 'currency', currency }).formatToParts(0);
  return parts.find((part) => part.type === 'currency')?.value ?? currency;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A line item's MRR as ChartMogul documents it ("how MRR is calculated from prorated invoices"): its amount
 * less tax, spread over the months of its plan's interval, and a prorated line (a service period shorter than
 * the interval) scaled up to the whole interval. In the invoice's currency (ChartMogul converts to the
 * account's). */
function monthlyRevenue(
  item: Record<string, unknown>,
  plan: { interval_unit: string; interval_count: number } | undefined,
): number {
  const months = (MONTHS_PER_INTERVAL[plan?.interval_unit ?? 'month'] ?? 1) * (plan?.interval_count ?? 1);
  const net = Number(item.amount_in_cents ?? 0) - Number(item.tax_amount_in_cents ?? 0);
  const start = Date.parse(String(item.service_period_start));
  const end = Date.parse(String(item.service_period_end));
  const intervalDays = (months * 365) / 12;
  const periodDays = (end - start) / DAY_MS;
  const prorate = item.prorated === true && periodDays > 0 && periodDays < intervalDays ? intervalDays / periodDays : 1;
  return (net / months) * prorate;
}

function metricsEntry(store: EmulatorStore, derived: Derived): Record<string, unknown> {
  const latest = derived.items[derived.items.length - 1] ?? {};
  const plan = plansIn(store).get(String(latest.plan_uuid));
  const mrr = Math.round(monthlyRevenue(latest, plan));
  const cancelled = cancellationDates(derived).some((at) => new Date(at) <= new Date());
  return {
    id: derived.id,
    external_id: derived.externalId,
    subscription_set_external_id: derived.setExternalId,
    quantity: latest.quantity ?? 1,
    uuid: derived.subscription.metrics_uuid,
    mrr: cancelled ? 0 : mrr,
    arr: cancelled ? 0 : mrr * 12,
    status: cancelled ? 'cancelled' : 'active',
    plan: plan?.name ?? null,
    'billing-cycle': plan?.interval_unit ?? null,
    'billing-cycle-count': plan?.interval_count ?? null,
    'start-date': metricsDate(derived.items[0]?.service_period_start),
    'end-date': metricsDate(latest.service_period_end),
    currency: derived.currency,
    'currency-sign': currencySign(derived.currency),
  };
}

function importEntry(derived: Derived): Record<string, unknown> {
  const latest = derived.items[derived.items.length - 1] ?? {};
  return {
    external_id: derived.externalId,
    uuid: derived.subscription.uuid,
    cancellation_dates: cancellationDates(derived),
    subscription_set_external_id: derived.setExternalId,
    plan_uuid: latest.plan_uuid ?? null,
    data_source_uuid: derived.dataSourceUuid,
  };
}

export function registerSubscriptionRoutes(router: Router, store: EmulatorStore): void {
  router
    .add('GET', '/v1/import/customers/:uuid/subscriptions', (req) => {
      const uuid = req.params.uuid ?? '';
      if (!customersIn(store).has(uuid)) return customerNotFound(uuid);
      const all = subscriptionsOf(store, uuid);
      const { entries, cursor, has_more } = paginate(all, req);
      return ok({
        customer_uuid: uuid,
        subscriptions: entries.map(importEntry),
        // As recorded: a page reached by cursor says total_pages 0.
        current_page: 1,
        total_pages: req.query.get('cursor') ? 0 : Math.ceil(all.length / perPageOf(req)),
        cursor,
        has_more,
      });
    })
    .add('GET', '/v1/customers/:uuid/subscriptions', (req) => {
      const uuid = req.params.uuid ?? '';
      if (!customersIn(store).has(uuid)) return customerNotFound(uuid);
      const { entries, cursor, has_more } = paginate(subscriptionsOf(store, uuid), req);
      return ok({
        entries: entries.map((derived) => metricsEntry(store, derived)),
        has_more,
        per_page: perPageOf(req),
        page: 1,
        cursor,
      });
    });
}
