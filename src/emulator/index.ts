// The ChartMogul emulator: a local HTTP server that answers like the parts of ChartMogul's API this
// product uses, with its auth, limits and error bodies, plus fault injection and counters.
// Imports: node built-ins, src/objects, src/sync-spec, src/limits, src/chartmogul/objects (pure data and types) and
// each object's emulator routes (objects/<name>/emulator*.ts). Nothing here may import workflows or activities.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { CHARTMOGUL_LIMITS } from '../limits';
import { registerContactRoutes } from '../../objects/contacts/emulator';
import { INVOICES_BULK, registerInvoiceRoutes } from '../../objects/invoices/emulator';
import { PLANS_BULK, registerPlanRoutes } from '../../objects/plans/emulator';
import { registerSubscriptionEventRoutes, SUBSCRIPTION_EVENTS_BULK } from '../../objects/subscription_events/emulator';
import { registerSubscriptionRoutes } from '../../objects/invoices/emulator-subscriptions';
import { registerTransactionRoutes, TRANSACTIONS_BULK } from '../../objects/transactions/emulator';
import type { SyncObject } from '../objects';
import { CUSTOMERS_BULK, registerCustomerRoutes, seedCustomers } from '../../objects/customers/emulator';
import { bulkImportRuns, registerBulkImportRoutes, type BulkImportRun, type BulkSection } from './bulk-import';
import { registerDataSourceRoutes } from './data-sources';
import {
  FaultInjector,
  FaultScript,
  parseFaultSpec,
  parseLatency,
  type FaultRates,
  type Latency,
  type ScriptedFault,
} from './faults';
import { codeError, ok, Reply, Router } from './http';
import { EmulatorStats, SlidingWindow, type StatsSnapshot } from './stats';
import { EmulatorStore } from './store';

export { parseFaultSpec, parseLatency, type FaultRates, type Latency, type ScriptedFault, type StatsSnapshot };

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The API key clients must send as the Basic auth user name. */
  apiKey: string;
  /** Data sources that exist from the start (`ds_` + UUID). */
  dataSources?: string[];
  /** Requests allowed in any one-second window; more get 429. 0 switches the limit off. Default 40. */
  rps?: number;
  /** Requests allowed in flight at once; more get 503. 0 switches the limit off. Default 20. */
  maxConnections?: number;
  latency?: Latency | string;
  faults?: FaultRates | string;
  seed?: number;
  /** Emails of the account's users: the only accepted customer owners (default none). */
  users?: string[];
  /** Contact custom attribute keys the account defines; contacts keep only these (default none). */
  contactAttributes?: string[];
  /** Test-only: another message for the duplicate external_id refusal, to prove that the sync does not
   * depend on its text (no recording has the real one). */
  duplicateMessage?: string;
  /** How `GET /v1/transactions?data_source_uuid=…&external_id=…` answers: one object, as ChartMogul's
   * "Retrieve a Transaction" page documents it and the Python and Ruby clients read it (the default), or a
   * list (`{transactions: […]}`), as the Node client's mock expects. No recording settles it. */
  transactionLookup?: 'object' | 'list';
  /** Records a second a bulk import (`json_imports`) is processed at; 0 (the default): at once, for tests.
   * ChartMogul documents "minutes to hours". */
  bulkRate?: number;
}

export interface EmulatorHandle {
  /** Base URL, e.g. `http://127.0.0.1:54321` (API paths start with `/v1`). */
  url: string;
  stats(): StatsSnapshot;
  /** Clears the counters; with `{ data: true }` also empties the account (keeping its initial data sources). */
  reset(options?: { data?: boolean }): void;
  /** Test-only bulk load: creates customers as `POST /v1/customers` would, without HTTP or limits (the bench's
   * million-row data source). Answers each created customer's uuid by external_id. */
  seedCustomers(bodies: Record<string, unknown>[]): Map<string, string>;
  /** Changes limits, latency, faults or the transaction lookup's shape while running. */
  configure(
    options: Pick<EmulatorOptions, 'rps' | 'maxConnections' | 'latency' | 'faults' | 'transactionLookup' | 'bulkRate'>,
  ): void;
  /** Test-only: every bulk import the account took, when it ran and which customers it held. */
  bulkImports(): BulkImportRun[];
  /** Test-only: faults for the next requests of given routes, before any drawn at random (see ScriptedFault). */
  scriptFaults(rules: ScriptedFault[]): void;
  stop(): Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Every recorded answer since 2023 carries `Retry-Count: 0`. */
const RECORDED_HEADERS = { 'retry-count': '0' };

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: Reply): void {
  if (reply.body === undefined) {
    response.writeHead(reply.status, RECORDED_HEADERS).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    ...RECORDED_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function authorised(request: IncomingMessage, apiKey: string): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const user = decoded.includes(':') ? decoded.slice(0, decoded.indexOf(':')) : decoded;
  return user === apiKey;
}

function toRates(faults: FaultRates | string | undefined): FaultRates | undefined {
  return typeof faults === 'string' ? parseFaultSpec(faults) : faults;
}

function toLatency(latency: Latency | string | undefined): Latency | undefined {
  return typeof latency === 'string' ? parseLatency(latency) : latency;
}

/** The registry of emulated objects: one line per object, its folder's routes (src/objects' registry names
 * the objects themselves). */
const OBJECT_ROUTES: Record<SyncObject, readonly ((router: Router, store: EmulatorStore) => void)[]> = {
  customers: [registerCustomerRoutes],
  contacts: [registerContactRoutes],
  plans: [registerPlanRoutes],
  invoices: [registerInvoiceRoutes, registerSubscriptionRoutes],
  transactions: [registerTransactionRoutes],
  subscription_events: [registerSubscriptionEventRoutes],
};

/** The registry of objects a bulk import takes, in the order it imports a customer's records. */
const BULK_SECTIONS: Record<SyncObject, readonly BulkSection[]> = {
  customers: [CUSTOMERS_BULK],
  contacts: [],
  plans: [PLANS_BULK],
  invoices: [INVOICES_BULK],
  transactions: [TRANSACTIONS_BULK],
  subscription_events: [SUBSCRIPTION_EVENTS_BULK],
};

export async function startEmulator(options: EmulatorOptions): Promise<EmulatorHandle> {
  const store = new EmulatorStore(options.dataSources ?? []);
  for (const user of options.users ?? []) store.users.add(user.toLowerCase());
  for (const key of options.contactAttributes ?? []) store.definedAttributes.add(key);
  if (options.duplicateMessage !== undefined) store.duplicateMessage = options.duplicateMessage;
  if (options.transactionLookup) store.transactionLookup = options.transactionLookup;
  store.bulkRate = options.bulkRate ?? 0;
  const router = new Router();
  registerDataSourceRoutes(router, store);
  for (const register of Object.values(OBJECT_ROUTES).flat()) register(router, store);
  registerBulkImportRoutes(router, store, Object.values(BULK_SECTIONS).flat());
  router.add('GET', '/v1/ping', () => ok({ data: 'pong!' }));

  const limits = {
    rps: options.rps ?? CHARTMOGUL_LIMITS.requestsPerSecond,
    maxConnections: options.maxConnections ?? CHARTMOGUL_LIMITS.maxConnections,
  };
  const faults = new FaultInjector(toRates(options.faults) ?? {}, toLatency(options.latency), options.seed ?? 1);
  const script = new FaultScript();
  const stats = new EmulatorStats();
  const admitted = new SlidingWindow();
  let inFlight = 0;

  function control(request: IncomingMessage, url: URL, response: ServerResponse): void {
    if (request.method === 'GET' && url.pathname === '/_emulator/stats')
      return send(response, ok(stats.snapshot(inFlight)));
    if (request.method === 'POST' && url.pathname === '/_emulator/reset') {
      handle.reset({ data: url.searchParams.get('data') === 'true' });
      return send(response, ok({ reset: true }));
    }
    send(
      response,
      new Reply(404, {
        error: 'Unknown emulator control path: use GET /_emulator/stats or POST /_emulator/reset[?data=true]',
      }),
    );
  }

  async function handleApi(request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const matched = router.match(method, url.pathname);
    const label = `${method} ${'route' in matched ? matched.route.template : url.pathname}`;
    const answer = (reply: Reply) => {
      stats.answered(label, reply.status);
      send(response, reply);
    };
    const drop = () => {
      stats.answered(label, 'dropped');
      request.socket.destroy();
    };

    if (limits.maxConnections > 0 && inFlight > limits.maxConnections) {
      stats.limited('tooManyConnections');
      return answer(
        codeError(
          503,
          `Too many parallel connections. Please do not exceed ${limits.maxConnections} parallel connections.`,
        ),
      );
    }
    const now = Date.now();
    if (limits.rps > 0 && admitted.count(now) >= limits.rps) {
      stats.limited('rateLimited');
      return answer(codeError(429, 'Your request rate has exceeded our rate limit.'));
    }
    admitted.add(now);
    if (!authorised(request, options.apiKey)) return answer(codeError(401, 'No valid API key provided'));

    // Drawn for every request, scripted or not, so a script does not shift the seeded faults after it.
    const drawn = faults.decide(WRITE_METHODS.has(method));
    const fault = script.take(label, url.searchParams) ?? drawn;
    const text = await readBody(request);
    await sleep(faults.latencyMs());
    if (fault.kind === 'status') {
      stats.fault(String(fault.status));
      return answer(
        fault.status === 429
          ? codeError(429, 'Your request rate has exceeded our rate limit.')
          : codeError(fault.status, 'Internal Server Error'),
      );
    }
    if (fault.kind === 'reset') {
      stats.fault('reset');
      return drop();
    }
    if (!('route' in matched)) {
      return answer(
        matched.pathKnown
          ? codeError(405, `Method ${method} is not allowed here.`)
          : codeError(404, `No route for ${url.pathname}.`),
      );
    }
    let body: Record<string, unknown> = {};
    if (text.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
        else return answer(codeError(400, 'The request body must be a JSON object.'));
      } catch {
        return answer(codeError(400, 'The request body is not valid JSON.'));
      }
    }
    const reply = matched.route.handler({ method, params: matched.params, query: url.searchParams, body });
    if (fault.kind === 'lost' && reply.status < 300) {
      // The change is stored; only the answer is lost.
      stats.fault({ reset: 'lostReset', status500: 'lostStatus500', hang: 'lostHang' }[fault.answer]);
      if (fault.answer === 'hang') return;
      return fault.answer === 'reset' ? drop() : answer(codeError(500, 'Internal Server Error'));
    }
    answer(reply);
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (url.pathname.startsWith('/_emulator')) return control(request, url, response);
    inFlight += 1;
    stats.arrived(Date.now(), inFlight);
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        inFlight -= 1;
      }
    };
    response.on('close', release);
    handleApi(request, url, response).catch((error: unknown) => {
      send(response, codeError(500, `Emulator error: ${error instanceof Error ? error.message : String(error)}`));
    });
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const handle: EmulatorHandle = {
    url: `http://${host}:${address.port}`,
    stats: () => stats.snapshot(inFlight),
    reset: (resetOptions) => {
      stats.reset();
      script.clear();
      admitted.clear();
      if (resetOptions?.data) store.clear();
    },
    seedCustomers: (bodies) => seedCustomers(store, bodies),
    bulkImports: () => bulkImportRuns(store, Object.values(BULK_SECTIONS).flat()),
    scriptFaults: (rules) => script.add(rules),
    configure: (next) => {
      if (next.rps !== undefined) limits.rps = next.rps;
      if (next.maxConnections !== undefined) limits.maxConnections = next.maxConnections;
      faults.configure(toRates(next.faults), toLatency(next.latency));
      if (next.transactionLookup) store.transactionLookup = next.transactionLookup;
      if (next.bulkRate !== undefined) store.bulkRate = next.bulkRate;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Every connection, idle or mid-request (a held request would otherwise keep close() waiting).
        server.closeAllConnections();
      }),
  };
  return handle;
}
