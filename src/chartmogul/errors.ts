// ChartMogul errors, classified once: what went wrong, whether to retry, and ChartMogul's own message.
// What each kind means for a sync (retry? stop?) is in the one failure table, src/contracts/failures.ts.

import { FAILURES, type FailureKind } from '../contracts/failures';

/** - `auth`: bad or read-only key, expired trial
 *  - `dataSourceNotFound`: the spec's data source does not exist
 *  - `refused`: ChartMogul refused this row's request (400/404/422)
 *  - `rateLimited`, `unavailable`, `server`, `network`, `timeout`: passing trouble */
export type ChartMogulErrorKind =
  'auth' | 'dataSourceNotFound' | 'refused' | 'rateLimited' | 'unavailable' | 'server' | 'network' | 'timeout';

/** Each kind's row in the failure table. */
export const FAILURE_OF: Record<ChartMogulErrorKind, FailureKind> = {
  auth: 'auth',
  dataSourceNotFound: 'dataSourceNotFound',
  refused: 'refused',
  rateLimited: 'retryable',
  unavailable: 'retryable',
  server: 'retryable',
  network: 'retryable',
  timeout: 'retryable',
};

export class ChartMogulError extends Error {
  override readonly name = 'ChartMogulError';

  constructor(
    readonly kind: ChartMogulErrorKind,
    /** ChartMogul's own words, from whichever body shape it used. */
    readonly chartMogulMessage: string,
    readonly status?: number,
    /** From a `Retry-After` header, when ChartMogul sends one. */
    readonly retryAfterMs?: number,
    /** The request, as `METHOD /path` (never the query, which can hold personal data, nor credentials). */
    readonly request?: string,
  ) {
    super(`${request ? `${request}: ` : ''}${status ? `ChartMogul answered ${status}: ` : ''}${chartMogulMessage}`);
  }

  get retryable(): boolean {
    return FAILURES[FAILURE_OF[this.kind]].retryable;
  }

  /** 404: the record (or data source) asked for does not exist. */
  get notFound(): boolean {
    return this.status === 404;
  }

  /** 422 to a create: ChartMogul refuses a key its data source holds already with 422, whatever its message
   * says (a lookup confirms it: the message is never read). */
  get mayBeDuplicateKey(): boolean {
    return this.status === 422;
  }
}

/** Reads every error body shape ChartMogul uses: `{code,message,param}`, `{errors:{field:msg}}`,
 * `{error, error_details}`, an invoice import's `{invoices:[{errors}]}`, Rails-style `{field:[msgs]}`, and
 * plain text. */
export function chartMogulMessage(body: unknown, fallback: string): string {
  if (typeof body === 'string') return body.trim() || fallback;
  if (!body || typeof body !== 'object') return fallback;
  const record = body as Record<string, unknown>;
  if (typeof record.message === 'string')
    return typeof record.param === 'string' ? `${record.message} (${record.param})` : record.message;
  if (typeof record.error === 'string') return record.error;
  // An invoice import answers each invoice with its own `errors`.
  if (Array.isArray(record.invoices)) {
    const messages = (record.invoices as { errors?: unknown }[]).flatMap((invoice) =>
      invoice?.errors && typeof invoice.errors === 'object'
        ? Object.entries(invoice.errors).map(([field, message]) => `${field}: ${flatten(message)}`)
        : [],
    );
    if (messages.length > 0) return messages.join('; ');
  }
  const errors = record.errors;
  if (errors && typeof errors === 'object') {
    return Object.entries(errors as Record<string, unknown>)
      .map(([field, message]) => `${field}: ${flatten(message)}`)
      .join('; ');
  }
  const fieldMessages = Object.entries(record).filter(
    ([key, value]) => key !== 'error_details' && Array.isArray(value),
  );
  if (fieldMessages.length > 0) return fieldMessages.map(([field, value]) => `${field}: ${flatten(value)}`).join('; ');
  return fallback;
}

function flatten(message: unknown): string {
  return Array.isArray(message) ? message.map(String).join(', ') : String(message);
}

/** `Retry-After` as delta-seconds or an HTTP date; clamped to 0..5 minutes. */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 300_000) : undefined;
}

export function classifyStatus(status: number): ChartMogulErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rateLimited';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'server';
  return 'refused';
}
