// One pace per ChartMogul account, shared by every process that shares the state database: a worker, three
// more on other hosts, and a `run`, all together stay within the account's requests per second and parallel
// connections. Two tables hold it: the account's next free send time (requests are spaced evenly, no burst),
// and its connection leases (at most N requests in flight; a lease held by a process that died expires).
// Postgres hands out times by its own clock, so hosts need not agree on theirs.

import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { sql, type Kysely } from 'kysely';

import type { AccountPace } from '../chartmogul/pace';
import { PACE_LATE_MS, PACE_LEASE_MS, PACE_LEASE_POLL_MS, type PaceLimits } from '../limits';
import { changeSchema, openStateDatabase, type StateDatabase, type StateDatabaseOptions } from './database';

interface PaceTables {
  account_pace: { account: string; next_slot_ms: number };
  account_connections: { account: string; slot: number; holder: string | null; held_until_ms: number };
}

/** Serialises this process's claims for one account, so only one of its requests asks the database at a time. */
class Line {
  private tail: Promise<void> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

export class SharedPace {
  private readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private ready: Promise<void> | undefined;
  private readonly seeded = new Map<string, Promise<void>>();
  /** Per account: one line for connection leases and one for send times. A request holding a lease must
   * never queue behind one that waits for a lease, or neither would move. */
  private readonly lines = new Map<string, { leases: Line; turns: Line }>();
  private readonly db: Kysely<PaceTables>;
  private readonly kind: StateDatabase<PaceTables>['kind'];

  constructor(private readonly database: StateDatabase<PaceTables>) {
    this.db = database.db;
    this.kind = database.kind;
  }

  static open(options: StateDatabaseOptions = {}): SharedPace {
    return new SharedPace(openStateDatabase<PaceTables>(options));
  }

  /** The pace of one account (by its identity, see ./target.ts) under the given limits. */
  forAccount(account: string, limits: PaceLimits): AccountPace {
    let lines = this.lines.get(account);
    if (!lines) {
      lines = { leases: new Line(), turns: new Line() };
      this.lines.set(account, lines);
    }
    const { leases, turns } = lines;
    return {
      acquire: async () => {
        await this.seed(account, limits.maxConnections);
        const slot =
          limits.maxConnections > 0 ? await leases.run(() => this.lease(account, limits.maxConnections)) : undefined;
        if (limits.requestsPerSecond > 0) await this.waitForTurn(turns, account, 1000 / limits.requestsPerSecond);
        let released = false;
        return () => {
          if (released || slot === undefined) return;
          released = true;
          this.release(account, slot).catch(() => undefined); // an unreleased lease expires by itself
        };
      },
    };
  }

  /** Waits for the account's next send time. A busy process can wake up late; sent then, its request would
   * bunch with those whose turns came after, so it takes a new turn instead. */
  private async waitForTurn(queue: Line, account: string, intervalMs: number): Promise<void> {
    for (;;) {
      const { waitMs, unseenLateMs } = await queue.run(() => this.nextSendTime(account, intervalMs));
      const due = Date.now() + waitMs;
      if (waitMs > 0) await sleep(waitMs);
      const late = Date.now() - due + unseenLateMs;
      if (late <= PACE_LATE_MS) return;
    }
  }

  private async schema(): Promise<void> {
    this.ready ??= changeSchema(this.database, async (trx) => {
      await trx.schema
        .createTable('account_pace')
        .ifNotExists()
        .addColumn('account', 'text', (column) => column.primaryKey())
        .addColumn('next_slot_ms', 'double precision', (column) => column.notNull())
        .execute();
      await trx.schema
        .createTable('account_connections')
        .ifNotExists()
        .addColumn('account', 'text', (column) => column.notNull())
        .addColumn('slot', 'integer', (column) => column.notNull())
        .addColumn('holder', 'text')
        .addColumn('held_until_ms', 'double precision', (column) => column.notNull())
        .addPrimaryKeyConstraint('account_connections_pk', ['account', 'slot'])
        .execute();
    });
    return this.ready;
  }

  /** One row per connection the account may use (idempotent; a larger limit adds rows). */
  private seed(account: string, maxConnections: number): Promise<void> {
    const key = `${account}:${maxConnections}`;
    let seeded = this.seeded.get(key);
    if (!seeded) {
      seeded = (async () => {
        await this.schema();
        if (maxConnections <= 0) return;
        const rows = Array.from({ length: maxConnections }, (_, slot) => ({
          account,
          slot,
          holder: null,
          held_until_ms: 0,
        }));
        await this.db
          .insertInto('account_connections')
          .values(rows)
          .onConflict((conflict) => conflict.columns(['account', 'slot']).doNothing())
          .execute();
      })();
      this.seeded.set(key, seeded);
    }
    return seeded;
  }

  private now() {
    // Postgres: the database's clock, the same for every host. SQLite: one host, one clock.
    return this.kind === 'postgres'
      ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)`
      : sql<number>`${Date.now()}`;
  }

  /** Takes a free connection lease, waiting while all are held; answers its slot number. */
  private async lease(account: string, maxConnections: number): Promise<number> {
    for (;;) {
      const skipLocked = this.kind === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``;
      const { rows } = await sql<{ slot: number }>`
        UPDATE account_connections SET holder = ${this.holder}, held_until_ms = ${this.now()} + ${PACE_LEASE_MS}
        WHERE account = ${account} AND slot = (
          SELECT slot FROM account_connections
          WHERE account = ${account} AND slot < ${maxConnections} AND held_until_ms < ${this.now()}
          ORDER BY slot LIMIT 1 ${skipLocked})
        RETURNING slot`.execute(this.db);
      const slot = rows[0]?.slot;
      if (slot !== undefined) return Number(slot);
      await sleep(PACE_LEASE_POLL_MS);
    }
  }

  private async release(account: string, slot: number): Promise<void> {
    await sql`UPDATE account_connections SET holder = NULL, held_until_ms = 0
      WHERE account = ${account} AND slot = ${slot} AND holder = ${this.holder}`.execute(this.db);
  }

  /** Reserves the account's next send time, one interval after the last; answers how long to wait for it,
   * and how late that wait may already be. Postgres reckons the wait from the moment its statement began,
   * on its own clock, so the time its answer took to arrive may be lateness the wait does not show: counted
   * in full, so a slow answer under load never lets a request bunch with the next ones. */
  private async nextSendTime(account: string, intervalMs: number): Promise<{ waitMs: number; unseenLateMs: number }> {
    if (this.kind === 'postgres') {
      const asked = Date.now();
      const now = sql<number>`(extract(epoch from statement_timestamp()) * 1000)`;
      const { rows } = await sql<{ wait_ms: number | string }>`
        INSERT INTO account_pace (account, next_slot_ms) VALUES (${account}, ${now} + ${intervalMs})
        ON CONFLICT (account) DO UPDATE SET next_slot_ms = GREATEST(account_pace.next_slot_ms, ${now}) + ${intervalMs}
        RETURNING next_slot_ms - ${intervalMs} - ${now} AS wait_ms`.execute(this.db);
      return { waitMs: Math.max(0, Number(rows[0]?.wait_ms ?? 0)), unseenLateMs: Date.now() - asked };
    }
    const now = Date.now();
    const { rows } = await sql<{ next_slot_ms: number }>`
      INSERT INTO account_pace (account, next_slot_ms) VALUES (${account}, ${now + intervalMs})
      ON CONFLICT (account) DO UPDATE SET next_slot_ms = MAX(next_slot_ms, ${now}) + ${intervalMs}
      RETURNING next_slot_ms`.execute(this.db);
    // One host, one clock: the wait is reckoned after the answer, so it shows any lateness itself.
    return { waitMs: Math.max(0, Number(rows[0]?.next_slot_ms ?? now) - intervalMs - Date.now()), unseenLateMs: 0 };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
