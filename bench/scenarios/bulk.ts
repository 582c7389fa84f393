// First loads through ChartMogul's bulk import (issue 29): N invoices, each with a subscription line item and a
// payment, on N/10 customers and 5 plans the data source holds, into an empty invoice list: in bulk (the
// emulator processing each import at once), the first 2,000 of them one request a record for comparison, and
// a tenth of them with the emulator processing 500 records a second, as ChartMogul's "minutes to hours" would,
// to count what the waiting costs in status requests.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { basicAuth, DS, type Bench, type Scenario } from '../bench';

const PLANS = 5;
const INVOICES_PER_CUSTOMER = 10;

export const bulk: Scenario = {
  names: ['bulk-first-load', 'bulk-off', 'bulk-slow'],
  async run(bench, wanted) {
    const count = bench.bulkInvoices;
    const perRecord = (label: string) => {
      const figures = bench.results.find((result) => result.scenario === label);
      // An invoice is three records: itself, its line item and its payment.
      if (figures)
        bench.extras.bulk = { ...bench.extras.bulk, [`${label} requests a record`]: figures.requestsPerRow / 3 };
    };
    if (wanted('bulk-first-load')) {
      const spec = await seedBulk(bench, 'bench-bulk', count);
      await bench.measure('bulk-first-load', spec, bench.fresh());
      perRecord('bulk-first-load');
    }
    if (wanted('bulk-off')) {
      const spec = await seedBulk(bench, 'bench-bulk-off', Math.min(count, 2_000), { bulkImport: 'never' });
      await bench.measure('bulk-off', spec, bench.fresh());
      perRecord('bulk-off');
    }
    if (wanted('bulk-slow')) {
      const spec = await seedBulk(bench, 'bench-bulk-slow', Math.max(1_000, Math.round(count / 10)));
      bench.emulator.configure({ bulkRate: 500 });
      await bench.measure('bulk-slow', spec, bench.fresh());
      const polls = Object.values(bench.emulator.stats().byRoute['GET /v1/data_sources/:ds/json_imports/:id'] ?? {});
      const imports = Object.values(bench.emulator.stats().byRoute['POST /v1/data_sources/:ds/json_imports'] ?? {});
      bench.extras.bulk = {
        ...bench.extras.bulk,
        'bulk-slow imports': imports.reduce((a, b) => a + b, 0),
        'bulk-slow status requests': polls.reduce((a, b) => a + b, 0),
      };
      bench.emulator.configure({ bulkRate: 0 });
    }
  },
};

/** An empty account with 5 plans and count/10 customers, and a file of `count` invoices on them (a line item
 * and a payment each, as JSON columns); answers its spec. */
async function seedBulk(
  bench: Bench,
  name: string,
  count: number,
  options: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const { emulator } = bench;
  emulator.reset({ data: true });
  emulator.configure({ rps: 0, maxConnections: 0 });
  for (let plan = 0; plan < PLANS; plan++) {
    const answer = await fetch(`${emulator.url}/v1/plans`, {
      method: 'POST',
      headers: { authorization: basicAuth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        data_source_uuid: DS,
        external_id: `BP-${plan}`,
        name: `Plan ${plan}`,
        interval_count: 1,
        interval_unit: 'month',
      }),
    });
    if (answer.status !== 201) throw new Error(`could not seed plan ${plan}: ${answer.status}`);
  }
  const customers = Math.ceil(count / INVOICES_PER_CUSTOMER);
  emulator.seedCustomers(
    Array.from({ length: customers }, (_, index) => ({
      data_source_uuid: DS,
      external_id: `BC-${String(index).padStart(6, '0')}`,
    })),
  );
  emulator.configure({ rps: 40, maxConnections: 20 });
  const path = join(bench.work, `${name}.jsonl`);
  const lines: string[] = [];
  for (let index = 0; index < count; index++) {
    const id = `BB-${String(index).padStart(7, '0')}`;
    const customer = `BC-${String(index % customers).padStart(6, '0')}`;
    lines.push(
      JSON.stringify({
        id,
        customer,
        date: '2026-01-01',
        currency: 'USD',
        line_items: [
          {
            type: 'subscription',
            external_id: `${id}-L`,
            plan_external_id: `BP-${index % PLANS}`,
            subscription_external_id: `${customer}-S${Math.floor(index / customers)}`,
            service_period_start: '2026-01-01',
            service_period_end: '2026-02-01',
            amount_in_cents: 1000 + (index % 9000),
          },
        ],
        transactions: [
          {
            type: 'payment',
            external_id: `${id}-T`,
            date: '2026-01-02',
            result: 'successful',
            amount_in_cents: 1000 + (index % 9000),
          },
        ],
      }),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return {
    name,
    object: 'invoices',
    mode: 'upsert',
    dataSourceUuid: DS,
    source: { type: 'file', path },
    options: { pageSize: 1000, ...options },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'customer', to: 'customer_external_id' },
      { from: 'date', to: 'date' },
      { from: 'currency', to: 'currency' },
      { from: 'line_items', to: 'line_items' },
      { from: 'transactions', to: 'transactions' },
    ],
  };
}
