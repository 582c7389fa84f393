// ChartMogul errors, classified once, here: the status of an answer (or its absence) becomes a kind of the one
// failure table (src/contracts/failures.ts), which says what it means for a sync (retry? stop?); the error
// keeps ChartMogul's own message.

import { FAILURES, type FailureKind } from '../contracts/failures';

/** The kinds a ChartMogul answer can be: `auth` (a bad or read-only key, an expired trial),
 * `dataSourceNotFound`, `notFound` (404), `duplicateKey` (422 to a create), `refused` (any other 4xx), and
 * `retryable` (429, 5xx, no answer). */
export type ChartMogulErrorKind = Extract<
  FailureKind,
  'auth' | 'dataSourceNotFound' | 'notFound' | 'duplicateKey' | 'refused' | 'retryable'
>;

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
    return FAILURES[this.kind].retryable;
  }

  /** The request went out and no answer came back, or a 5xx did: the write may have been applied. A 429, or a
   * 503 (too many connections), is refused before ChartMogul handles the request. */
  get mayHaveWritten(): boolean {
    return this.kind === 'retryable' && this.status !== 429 && this.status !== 503;
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

/** The errors ChartMogul keeps on a record it judged invalid (a 2026 answer's `errors`), as one text; undefined
 * when it has none (`{}`, `[]`, absent). */
export function recordErrors(record: Record<string, unknown>): string | undefined {
  const errors = record.errors;
  if (typeof errors === 'string') return errors.trim() || undefined;
  if (!errors || typeof errors !== 'object' || Object.keys(errors).length === 0) return undefined;
  return Array.isArray(errors) ? errors.map(String).join('; ') : chartMogulMessage({ errors }, 'invalid');
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

/** The kind of an answer's status to a request with `method`. */
export function classifyStatus(status: number, method: string): ChartMogulErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429 || status >= 500) return 'retryable';
  if (status === 404) return 'notFound';
  if (status === 422 && method === 'POST') return 'duplicateKey';
  return 'refused';
}
