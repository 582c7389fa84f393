// The emulator's MRR as ChartMogul documents it (2026, "how MRR is calculated from prorated invoices"): a line
// item's amount less its tax, spread over its plan's interval, a prorated line scaled up to the whole interval;
// invoices kept as invalid, or voided, count in no metric.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startEmulator } from '../src/emulator';

const API_KEY = 'mrr-key';
const DS = 'ds_00000000-0000-4000-8000-00000000a11e';
let emulator: Awaited<ReturnType<typeof startEmulator>>;

before(async () => {
  emulator = await startEmulator({ apiKey: API_KEY, dataSources: [DS], rps: 0, maxConnections: 0 });
});
after(() => emulator.stop());

async function api(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(emulator.url + path, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

const line = (subscription: string, values: Record<string, unknown>) => ({
  type: 'subscription',
  subscription_external_id: subscription,
  service_period_start: '2026-01-01',
  service_period_end: '2026-02-01',
  ...values,
});

test('MRR is the amount less tax per month of the plan, a prorated line scaled to its whole interval; voided invoices count for nothing', async () => {
  const customer = await api('POST', '/v1/customers', { data_source_uuid: DS, external_id: 'MRR-1' });
  const monthly = await api('POST', '/v1/plans', {
    data_source_uuid: DS,
    external_id: 'PL-MRR-M',
    name: 'Monthly',
    interval_count: 1,
    interval_unit: 'month',
  });
  const yearly = await api('POST', '/v1/plans', {
    data_source_uuid: DS,
    external_id: 'PL-MRR-Y',
    name: 'Yearly',
    interval_count: 1,
    interval_unit: 'year',
  });
  const imported = await api('POST', `/v1/import/customers/${customer.uuid}/invoices`, {
    invoices: [
      {
        external_id: 'INV-MRR-1',
        date: '2026-01-01',
        currency: 'USD',
        line_items: [
          line('SUB-TAXED', { plan_uuid: monthly.uuid, amount_in_cents: 12000, tax_amount_in_cents: 2000 }),
          line('SUB-YEARLY', {
            plan_uuid: yearly.uuid,
            amount_in_cents: 120000,
            service_period_end: '2027-01-01',
          }),
          line('SUB-PRORATED', {
            plan_uuid: monthly.uuid,
            amount_in_cents: 500,
            prorated: true,
            service_period_start: '2026-01-16',
          }),
        ],
      },
      {
        external_id: 'INV-MRR-VOID',
        date: '2026-01-01',
        currency: 'USD',
        line_items: [line('SUB-VOIDED', { plan_uuid: monthly.uuid, amount_in_cents: 9900 })],
      },
    ],
  });
  assert.equal(imported.invoices.length, 2, JSON.stringify(imported));
  await api('PUT', `/v1/data_sources/${DS}/invoices/INV-MRR-VOID/status`, { status: 'voided' });
  const subscriptions = await api('GET', `/v1/customers/${customer.uuid}/subscriptions`);
  const mrr = Object.fromEntries(
    subscriptions.entries.map((entry: { external_id: string; mrr: number }) => [entry.external_id, entry.mrr]),
  );
  // 500 for the 16 days of a 30.4-day month: 500 × 30.42 / 16 ≈ 951.
  assert.deepEqual(mrr, { 'SUB-TAXED': 10000, 'SUB-YEARLY': 10000, 'SUB-PRORATED': 951 });
});
