// Customers into an empty data source, then into a populated one: a first load, a re-run with nothing
// changed, one with 1% changed, the same 1% without the state store (a naive script), and contacts on those
// customers.

import { customersSpec, DS, type Scenario } from '../bench';

export const customers: Scenario = {
  names: ['initial-empty', 'initial-populated', 'rerun-no-change', 'rerun-1pct', 'naive-1pct', 'contacts-upsert'],
  async run(bench, wanted) {
    const step = async (label: string, spec: Record<string, unknown>, statePath: string) => {
      if (wanted(label)) await bench.measure(label, spec, statePath);
    };
    const original = bench.customersFile();
    const changed = new Set(
      Array.from({ length: Math.max(1, Math.round(bench.rows / 100)) }, (_, index) => index * 100 + 7).filter(
        (index) => index < bench.rows,
      ),
    );
    const onePercent = bench.csv('customers-1pct.csv', ['id', 'name', 'email', 'seats'], bench.customerRows(changed));

    await step('initial-empty', customersSpec('bench-initial', original), bench.fresh());
    bench.emulator.reset({ data: true });
    await bench.seedCustomers(bench.customerRows());
    const populatedState = bench.fresh();
    await step('initial-populated', customersSpec('bench-populated', original), populatedState);
    await step('rerun-no-change', customersSpec('bench-populated', original), populatedState);
    await step('rerun-1pct', customersSpec('bench-populated', onePercent), populatedState);
    await step('naive-1pct', customersSpec('bench-naive', onePercent, { incremental: false }), bench.fresh());
    const contacts = bench.csv(
      'contacts.csv',
      ['customer', 'email', 'first'],
      Array.from({ length: bench.rows }, (_, index) => [
        `B-${String(index).padStart(6, '0')}`,
        `person${index}@example.com`,
        `Person ${index}`,
      ]),
    );
    await step(
      'contacts-upsert',
      {
        name: 'bench-contacts',
        object: 'contacts',
        mode: 'upsert',
        dataSourceUuid: DS,
        source: { type: 'file', path: contacts },
        mapping: [
          { from: 'customer', to: 'customer_external_id' },
          { from: 'email', to: 'email' },
          { from: 'first', to: 'first_name' },
        ],
      },
      bench.fresh(),
    );
  },
};
