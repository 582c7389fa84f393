// First loads through ChartMogul's bulk import (issue 29): N invoices, each with a subscription line item and a
// payment, on N/10 customers and 5 plans the data source holds, into an empty invoice list: in bulk (the
// emulator processing each import at once), the first 2,000 of them one request a record for comparison, a
// tenth of them with the emulator processing 500 records a second, as ChartMogul's "minutes to hours" would,
// to count what the waiting costs in status requests, and a fifth of them with the worker SIGKILLed 5 times
// while a third of the bulk answers are lost, checking that every invoice is there once with its amount and
// payment.

import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { syncStartOptions } from '../../src/contracts/names';
import type { SyncResult } from '../../src/contracts/sync-types';
import { basicAuth, DS, peakMemoryMb, stopWorkers, type Bench, type Scenario } from '../bench';
import { invoicesSpec } from './invoices';

const PLANS = 5;
const INVOICES_PER_CUSTOMER = 10;

export const bulk: Scenario = {
  names: ['bulk-first-load', 'bulk-off', 'bulk-slow', 'bulk-kills'],
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
    if (wanted('bulk-kills')) await bulkKills(bench, Math.max(1_000, Math.round(count / 5)));
  },
};

/** `count` invoices as a first load in bulk while a third of the imports' answers are lost (the import taken)
 * and 5% of requests answer 429, the worker SIGKILLed 5 times (spread over the imports) and started again;
 * throws unless every invoice is there once, with its amount and its payment. */
async function bulkKills(bench: Bench, count: number): Promise<void> {
  const kills = 5;
  const spec = await seedBulk(bench, 'bench-bulk-kills', count);
  const { emulator } = bench;
  const env = bench.workerEnv(emulator, bench.fresh());
  let worker = await bench.startWorker(env);
  emulator.reset();
  emulator.configure({ faults: '429=0.05,lost=0.33' });
  const started = Date.now();
  const handle = await bench.client.workflow.start('syncWorkflow', syncStartOptions(spec));
  // A page read for a bulk import holds 1,000 of these invoices (the spec's pageSize; about 680 KB of rows): an
  // import each. Should the sync end sooner, the kills left are not made, and the figures say how many were.
  const imports = Math.ceil(count / 1000);
  let ended = false;
  const finished = handle.result().finally(() => (ended = true));
  let killed = 0;
  for (let kill = 1; kill <= kills; kill++) {
    while (!ended && emulator.bulkImports().length < (imports * kill) / (kills + 1)) await sleep(20);
    if (ended) break;
    worker.kill('SIGKILL');
    await once(worker, 'exit');
    killed += 1;
    worker = await bench.startWorker(env);
  }
  const result = (await finished) as SyncResult;
  const wall = (Date.now() - started) / 1000;
  const memory = peakMemoryMb(worker.pid ?? 0);
  await stopWorkers([worker]);
  const lost = emulator.stats().faults;
  emulator.configure({ faults: {} });
  await bench.record('bulk-kills', spec, emulator, result, wall, memory);
  const held = await heldInvoices(bench);
  const wrong = [...held.values()].filter(
    (invoice) => invoice.count !== 1 || invoice.amount !== invoice.expected || invoice.paid !== invoice.expected,
  );
  const taken = emulator.bulkImports();
  bench.extras.bulk = {
    ...bench.extras.bulk,
    'bulk-kills worker kills': killed,
    'bulk-kills imports': taken.length,
    'bulk-kills import ids sent twice': taken.length - new Set(taken.map((run) => run.externalId)).size,
    'bulk-kills answers lost': (lost.lostStatus500 ?? 0) + (lost.lostReset ?? 0),
    'bulk-kills invoices not there once with their amount and payment': wrong.length + (count - held.size),
  };
  if (held.size !== count || wrong.length > 0)
    throw new Error(`bulk-kills: ${held.size} invoices for ${count} rows, ${wrong.length} not once with their values`);
}

/** The bench's invoices as ChartMogul holds them: how often each is there, its line item's amount, its payment's
 * amount, and the amount its row gave (from its number, as seedBulk writes it). */
async function heldInvoices(
  bench: Bench,
): Promise<Map<string, { count: number; amount: unknown; paid: unknown; expected: number }>> {
  type Amounts = { amount_in_cents?: unknown }[] | undefined;
  const listed = await bench.listed<{ external_id: string; line_items?: Amounts; transactions?: Amounts }>(
    '/v1/invoices',
    'invoices',
  );
  const held = new Map<string, { count: number; amount: unknown; paid: unknown; expected: number }>();
  for (const invoice of listed) {
    held.set(invoice.external_id, {
      count: (held.get(invoice.external_id)?.count ?? 0) + 1,
      amount: invoice.line_items?.[0]?.amount_in_cents,
      paid: invoice.transactions?.[0]?.amount_in_cents,
      expected: amountOf(Number(invoice.external_id.slice(3))),
    });
  }
  return held;
}

/** Invoice `index`'s line item and payment amount. */
function amountOf(index: number): number {
  return 1000 + (index % 9000);
}

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
            amount_in_cents: amountOf(index),
          },
        ],
        transactions: [
          {
            type: 'payment',
            external_id: `${id}-T`,
            date: '2026-01-02',
            result: 'successful',
            amount_in_cents: amountOf(index),
          },
        ],
      }),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return invoicesSpec(name, path, { pageSize: 1000, ...options }, true);
}
