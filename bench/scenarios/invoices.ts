// Invoices on customers and a plan the data source holds (the populated data source's customers): a first
// load (an import each, plus listing the customers and looking the plan up once per worker), then the same
// file again, unchanged; then one payment per invoice, in insert mode (the invoices are listed, 200 a
// request, not looked up).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { basicAuth, DS, type Bench, type Scenario } from '../bench';

export const invoices: Scenario = {
  names: ['invoices'],
  async run(bench) {
    const spec = await seedInvoices(bench, 'bench-invoices');
    const state = bench.fresh();
    for (const label of ['invoices-first-load', 'invoices-rerun']) await bench.measure(label, spec, state);
    const payments = join(bench.work, 'transactions.csv');
    writeFileSync(
      payments,
      ['id,invoice,type,date,result,amount']
        .concat(
          bench
            .customerRows()
            .map(
              (_, index) =>
                `BT-${index},BI-${String(index).padStart(6, '0')},payment,2026-01-02,successful,${1000 + index}`,
            ),
        )
        .join('\n') + '\n',
    );
    const transactions = {
      name: 'bench-transactions',
      object: 'transactions',
      mode: 'insert',
      dataSourceUuid: DS,
      source: { type: 'file', path: payments },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'invoice', to: 'invoice_external_id' },
        { from: 'type', to: 'type' },
        { from: 'date', to: 'date' },
        { from: 'result', to: 'result' },
        { from: 'amount', to: 'amount_in_cents' },
      ],
    };
    await bench.measure('transactions-first-load', transactions, state);
  },
};

/** An empty account with a plan and the populated data source's customers, and a file of one invoice per
 * customer (line items as JSON lines, as a query's JSON column would give them); answers its spec. */
export async function seedInvoices(bench: Bench, name: string): Promise<Record<string, unknown>> {
  bench.emulator.reset({ data: true });
  // Unlimited while seeding (seedCustomers sets ChartMogul's limits again when it is done).
  bench.emulator.configure({ rps: 0, maxConnections: 0 });
  const plan = await fetch(`${bench.emulator.url}/v1/plans`, {
    method: 'POST',
    headers: { authorization: basicAuth(), 'content-type': 'application/json' },
    body: JSON.stringify({
      data_source_uuid: DS,
      external_id: 'BP-1',
      name: 'Monthly',
      interval_count: 1,
      interval_unit: 'month',
    }),
  });
  if (plan.status !== 201) throw new Error(`could not seed the plan: ${plan.status} ${await plan.text()}`);
  await bench.seedCustomers(bench.customerRows());
  const path = join(bench.work, 'invoices.jsonl');
  writeFileSync(
    path,
    bench
      .customerRows()
      .map(([customer], index) =>
        JSON.stringify({
          id: `BI-${String(index).padStart(6, '0')}`,
          customer,
          date: '2026-01-01',
          currency: 'USD',
          line_items: [
            {
              type: 'subscription',
              plan_external_id: 'BP-1',
              subscription_external_id: `BS-${index}`,
              service_period_start: '2026-01-01',
              service_period_end: '2026-02-01',
              amount_in_cents: 1000 + index,
            },
          ],
        }),
      )
      .join('\n') + '\n',
  );
  return invoicesSpec(name, path);
}

/** An upsert of the invoices in the JSON lines file `path` (`id`, `customer`, `date`, `currency`, `line_items`,
 * and `transactions` when `withPayments`). */
export function invoicesSpec(
  name: string,
  path: string,
  options?: Record<string, unknown>,
  withPayments = false,
): Record<string, unknown> {
  return {
    name,
    object: 'invoices',
    mode: 'upsert',
    dataSourceUuid: DS,
    source: { type: 'file', path },
    ...(options ? { options } : {}),
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'customer', to: 'customer_external_id' },
      { from: 'date', to: 'date' },
      { from: 'currency', to: 'currency' },
      { from: 'line_items', to: 'line_items' },
      ...(withPayments ? [{ from: 'transactions', to: 'transactions' }] : []),
    ],
  };
}
