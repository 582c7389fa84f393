// Emulated bulk import (2026, docs only: "Import Data in Bulk" and "Track the status"): `POST
// /v1/data_sources/{uuid}/json_imports` takes one body of customers, plans, invoices, line items, transactions
// and subscription events, linked by external ids, and answers at once with the import `queued`; the import is
// processed afterwards, at a rate the emulator is given (records a second; instant by default), customer by
// customer, each object as its single-object endpoint would take it, and `GET …/json_imports/{id}` answers its
// status and `status_details` by customer. An invalid object is kept, marked failed, as its own endpoint keeps
// it (an invoice: as invalid, visible with `validation_type=all`); one its endpoint refuses outright (a repeated
// external id) is not kept, and is failed too. Each object's folder says how its entries split by customer and
// are imported (BulkSection, registered in ./index.ts). The choices where the docs are silent are in the
// README's "emulator's choices".

import { randomUUID } from 'node:crypto';

import { CHARTMOGUL_LIMITS } from '../limits';

import { asString, fieldErrors, notFound, ok, Reply, type Router } from './http';
import type { EmulatorStore } from './store';

/** The body's arrays, by name (`invoices`: […]). */
export type BulkBody = Readonly<Record<string, readonly Record<string, unknown>[]>>;

/** How many entries of one type a customer's share of an import held, and how many failed. */
export interface BulkTypeOutcome {
  /** The type as `status_details` names it: `invoices`, `line_items`, … */
  type: string;
  processed: number;
  failed: number;
}

/** What an object's folder gives the bulk import. */
export interface BulkSection {
  /** The customers (by external id) the body's entries of this section belong to, in body order; '' for
   * entries that belong to the data source (plans). */
  customers(store: EmulatorStore, dataSourceUuid: string, body: BulkBody): string[];
  /** Imports this section's entries of one customer ('' : the data source's own), as the single-object
   * endpoint would; answers each type's outcome (none when the customer has no entry here). `memo` keeps what
   * one import computes once for all its customers (entries by customer, the ids the data source holds). */
  importFor(
    store: EmulatorStore,
    dataSourceUuid: string,
    body: BulkBody,
    customer: string,
    memo: Memo,
  ): BulkTypeOutcome[];
}

/** One import's memo: `make` runs the first time a name is asked for. */
export type Memo = <T>(name: string, make: () => T) => T;

/** The body's entries of one type, by the value of `field` (in body order). */
export function entriesBy(body: BulkBody, type: string, field: string): Map<unknown, Record<string, unknown>[]> {
  const grouped = new Map<unknown, Record<string, unknown>[]>();
  for (const entry of entriesOf(body, type)) {
    const group = grouped.get(entry[field]);
    if (group) group.push(entry);
    else grouped.set(entry[field], [entry]);
  }
  return grouped;
}

/** The body's entries of one type (none when the body has no such array). */
export function entriesOf(body: BulkBody, type: string): readonly Record<string, unknown>[] {
  return body[type] ?? [];
}

/** One type's outcome from the statuses of its entries' single-object answers (201 or 200: imported). */
export function outcomeOf(type: string, statuses: readonly number[]): BulkTypeOutcome[] {
  if (statuses.length === 0) return [];
  return [{ type, processed: statuses.length, failed: statuses.filter((status) => status >= 300).length }];
}

/** The emulator's words for an import external id already used in the data source (the docs are silent). */
export const DUPLICATE_IMPORT = 'has already been taken';

interface BulkImport {
  id: string;
  data_source_uuid: string;
  external_id: string | null;
  status: 'queued' | 'processing' | 'completed';
  status_details: Record<string, Record<string, unknown>>;
  /** What Ruby's client reads (its model, 2026); the docs' answer does not show them. */
  processed_count: number;
  error_count: number;
  created_at: string;
  updated_at: string;
  /** When it was taken and when it completed (ms), for tests of what ran at once. */
  takenAt: number;
  completedAt?: number;
  /** Every customer it holds. */
  customers: readonly string[];
  /** The customers still to import, in order ('' first: the data source's own). */
  pending: string[];
  body: BulkBody;
  memo: Map<string, unknown>;
}

function importJson(bulk: BulkImport): Record<string, unknown> {
  const { id, data_source_uuid, external_id, status, status_details, processed_count, error_count } = bulk;
  const answer = { id, data_source_uuid, external_id, status, status_details, processed_count, error_count };
  return structuredClone({ ...answer, created_at: bulk.created_at, updated_at: bulk.updated_at });
}

/** Test-only: an import, when it ran, and which customers it held. */
export interface BulkImportRun {
  externalId: string | null;
  customers: readonly string[];
  takenAt: number;
  completedAt?: number;
}

/** The imports of the emulated account, and the worker that processes them. */
class BulkImports {
  readonly all: BulkImport[] = [];
  private budget = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EmulatorStore,
    private readonly sections: readonly BulkSection[],
  ) {}

  add(bulk: BulkImport): void {
    this.all.push(bulk);
    if (this.store.bulkRate <= 0) {
      while (bulk.pending.length > 0) this.processNext(bulk);
      return;
    }
    this.timer ??= setInterval(() => this.tick(), TICK_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    // The account was emptied (a reset): these imports went with it.
    if (this.store.state('bulk-imports', () => this) !== this) return this.stop();
    const rate = this.store.bulkRate;
    if (rate <= 0) {
      for (const bulk of this.all) while (bulk.pending.length > 0) this.processNext(bulk);
      return this.stop();
    }
    this.budget = Math.min(this.budget + (rate * TICK_MS) / 1000, Math.max(rate, 1));
    for (;;) {
      const next = this.all.find((bulk) => bulk.pending.length > 0);
      if (!next) {
        this.stop();
        this.budget = 0;
        return;
      }
      if (this.budget <= 0) return;
      this.budget -= this.processNext(next);
    }
  }

  /** Imports the next customer's records of `bulk`; answers how many records that was. */
  private processNext(bulk: BulkImport): number {
    const customer = bulk.pending.shift() ?? '';
    const outcomes = mergedByType(
      this.sections.flatMap((section) =>
        section.importFor(this.store, bulk.data_source_uuid, bulk.body, customer, (name, make) => {
          if (!bulk.memo.has(name)) bulk.memo.set(name, make());
          return bulk.memo.get(name) as ReturnType<typeof make>;
        }),
      ),
    );
    const details: Record<string, Record<string, unknown>> = {};
    for (const { type, processed, failed } of outcomes) {
      details[type] = { status: failed > 0 ? 'failed' : 'imported' };
      bulk.processed_count += processed;
      bulk.error_count += failed;
    }
    const failed = outcomes.some((outcome) => outcome.failed > 0);
    // The data source's own records (plans) are told by their type, each customer's under its external id.
    if (customer === '') Object.assign(bulk.status_details, details);
    else bulk.status_details[customer] = { status: failed ? 'failed' : 'imported', ...details };
    bulk.status = bulk.pending.length > 0 ? 'processing' : 'completed';
    if (bulk.status === 'completed') bulk.completedAt = Date.now();
    bulk.updated_at = new Date().toISOString();
    return Math.max(
      1,
      outcomes.reduce((sum, outcome) => sum + outcome.processed, 0),
    );
  }
}

const TICK_MS = 50;

/** One outcome a type (an invoice's transactions and those added to held invoices are both `transactions`). */
function mergedByType(outcomes: readonly BulkTypeOutcome[]): BulkTypeOutcome[] {
  const merged = new Map<string, BulkTypeOutcome>();
  for (const { type, processed, failed } of outcomes) {
    const sum = merged.get(type) ?? { type, processed: 0, failed: 0 };
    merged.set(type, { type, processed: sum.processed + processed, failed: sum.failed + failed });
  }
  return [...merged.values()];
}

function bodyOf(raw: Record<string, unknown>): BulkBody | Reply {
  const body: Record<string, Record<string, unknown>[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'external_id') continue;
    if (!Array.isArray(value) || value.some((entry) => !entry || typeof entry !== 'object'))
      return fieldErrors({ [key]: 'must be an array of objects' });
    body[key] = value as Record<string, unknown>[];
  }
  return body;
}

/** The account's imports (one per store), processed at the store's `bulkRate` records a second (0: at once). */
export function bulkImportsOf(store: EmulatorStore, sections: readonly BulkSection[]): BulkImports {
  return store.state('bulk-imports', () => new BulkImports(store, sections));
}

/** Test-only: every import the account took, in order. */
export function bulkImportRuns(store: EmulatorStore, sections: readonly BulkSection[]): BulkImportRun[] {
  return bulkImportsOf(store, sections).all.map(({ external_id, customers, takenAt, completedAt }) => ({
    externalId: external_id,
    customers,
    takenAt,
    ...(completedAt === undefined ? {} : { completedAt }),
  }));
}

export function registerBulkImportRoutes(router: Router, store: EmulatorStore, sections: readonly BulkSection[]): void {
  const imports = () => bulkImportsOf(store, sections);
  router
    .add('POST', '/v1/data_sources/:ds/json_imports', (req) => {
      const dataSourceUuid = req.params.ds ?? '';
      if (!store.dataSources.has(dataSourceUuid)) return notFound('Data source');
      if (Buffer.byteLength(JSON.stringify(req.body)) > CHARTMOGUL_LIMITS.maxBulkBytes)
        return new Reply(413, { error: `The JSON payload exceeds ${CHARTMOGUL_LIMITS.maxBulkBytes / 1024 / 1024} MB` });
      const body = bodyOf(req.body);
      if (body instanceof Reply) return body;
      const externalId = asString(req.body.external_id) ?? null;
      if (
        externalId &&
        imports().all.some((bulk) => bulk.data_source_uuid === dataSourceUuid && bulk.external_id === externalId)
      )
        return fieldErrors({ external_id: DUPLICATE_IMPORT });
      const customers = [
        ...new Set(sections.flatMap((section) => section.customers(store, dataSourceUuid, body))),
      ].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : 0));
      const now = new Date().toISOString();
      const bulk: BulkImport = {
        id: randomUUID(),
        data_source_uuid: dataSourceUuid,
        external_id: externalId,
        status: 'queued',
        status_details: {},
        processed_count: 0,
        error_count: 0,
        created_at: now,
        updated_at: now,
        takenAt: Date.now(),
        customers: customers.filter((customer) => customer !== ''),
        pending: customers,
        body,
        memo: new Map(),
      };
      const answer = importJson(bulk);
      imports().add(bulk);
      return ok(answer, 201);
    })
    .add('GET', '/v1/data_sources/:ds/json_imports/:id', (req) => {
      // The docs name the import by the external id it was given; the Python client by the server's id.
      const id = req.params.id ?? '';
      const found = imports().all.find(
        (bulk) => bulk.data_source_uuid === req.params.ds && (bulk.id === id || bulk.external_id === id),
      );
      return found ? ok(importJson(found)) : notFound('Json import');
    });
}
