// The shared pace, on SQLite and on a real Postgres: two instances (as two worker processes would) share
// one account's requests per second and connections, and two accounts do not share a budget.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';

import type { StateDatabaseOptions } from '../src/state/database';
import { SharedPace } from '../src/state/shared-pace';
import { startTestPostgres, type TestPostgres } from './helpers/postgres';

/** The most of `times` (ms) within any one-second window. */
function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= 1000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

function paceContract(name: string, options: () => StateDatabaseOptions) {
  describe(`shared pace on ${name}`, () => {
    let paces: SharedPace[] = [];
    before(() => {
      paces = [SharedPace.open(options()), SharedPace.open(options())];
    });
    after(async () => {
      for (const pace of paces) await pace.close();
    });

    test('two processes sending for one account together stay at its rate, evenly spaced', async () => {
      const limits = { requestsPerSecond: 20, maxConnections: 20 };
      const sendTimes: number[] = [];
      await Promise.all(
        paces.flatMap((pace) =>
          Array.from({ length: 20 }, async () => {
            const release = await pace.forAccount('acct_rate', limits).acquire();
            sendTimes.push(Date.now());
            release();
          }),
        ),
      );
      assert.equal(sendTimes.length, 40);
      assert.ok(peakPerSecond(sendTimes) <= 21, `peak ${peakPerSecond(sendTimes)} in one second at 20/s`);
      const span = Math.max(...sendTimes) - Math.min(...sendTimes);
      assert.ok(span >= 39 * 50 * 0.9, `40 requests at 20/s span ${span} ms: they were spaced, not sent at once`);
    });

    test("two processes together never hold more than the account's connections", async () => {
      const limits = { requestsPerSecond: 0, maxConnections: 3 };
      let inFlight = 0;
      let peak = 0;
      await Promise.all(
        paces.flatMap((pace) =>
          Array.from({ length: 12 }, async () => {
            const release = await pace.forAccount('acct_connections', limits).acquire();
            inFlight += 1;
            peak = Math.max(peak, inFlight);
            await sleep(20);
            inFlight -= 1;
            release();
          }),
        ),
      );
      assert.equal(peak, 3);
    });

    test(
      'more requests than connections, at a rate: a request holding a lease never waits behind one waiting for a lease',
      { timeout: 10_000 },
      async () => {
        const limits = { requestsPerSecond: 50, maxConnections: 2 };
        let done = 0;
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            const release = await paces[0]!.forAccount('acct_both', limits).acquire();
            await sleep(20);
            release();
            done += 1;
          }),
        );
        assert.equal(done, 10, 'all finished well before a lease could expire (30 s)');
      },
    );

    test("another account has its own budget: it does not wait behind the first one's backlog", async () => {
      const limits = { requestsPerSecond: 10, maxConnections: 20 };
      const busy = Array.from({ length: 15 }, async () =>
        (await paces[0]!.forAccount('acct_busy', limits).acquire())(),
      );
      await sleep(50);
      const started = Date.now();
      (await paces[1]!.forAccount('acct_other', limits).acquire())();
      const waited = Date.now() - started;
      await Promise.all(busy);
      assert.ok(waited < 500, `the other account waited ${waited} ms; the busy one's backlog was 1.5 s`);
    });
  });
}

paceContract(
  'SQLite',
  (() => {
    const path = join(mkdtempSync(join(tmpdir(), 'cms-pace-')), 'state.sqlite');
    return () => ({ sqlitePath: path });
  })(),
);

let postgres: TestPostgres | undefined;
before(async () => {
  postgres = await startTestPostgres();
});
after(() => postgres?.stop());
paceContract('Postgres', () => ({ url: postgres?.url }));
