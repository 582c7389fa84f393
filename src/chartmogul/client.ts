// The ChartMogul HTTP client: Basic auth, a bounded connection pool, the account's pace (shared between
// processes when a worker gives it one), and errors classified once. The API key stays inside this
// object: never in errors, logs or return values.

import { Agent, request, errors as undiciErrors } from 'undici';

import { DEFAULT_PACE, HTTP_TIMEOUT_MS, type PaceLimits } from '../limits';
import { ChartMogulError, chartMogulMessage, classifyStatus, parseRetryAfter } from './errors';
import type { DataSource } from './objects';
import { LocalPace, type AccountPace } from './pace';

export interface ChartMogulClientOptions {
  /** e.g. `https://api.chartmogul.com` or the emulator's URL. */
  baseUrl: string;
  apiKey: string;
  /** Requests per second and connections this process opens at most (default DEFAULT_PACE: ChartMogul allows
   * 40 and 20 per account). */
  limits?: PaceLimits;
  /** The account's pace; by default one for this process alone, from `limits`. */
  pace?: AccountPace;
  timeoutMs?: number;
  /** Told of every answer's status (or `timeout` / `network` when none came), for the worker's metrics. */
  onAnswer?: (status: number | 'timeout' | 'network') => void;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export class ChartMogulClient {
  private readonly agent: Agent;
  private readonly pace: AccountPace;
  private readonly authorization: string;
  readonly baseUrl: string;

  constructor(private readonly options: ChartMogulClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`${options.apiKey}:`).toString('base64')}`;
    const limits = options.limits ?? DEFAULT_PACE;
    this.agent = new Agent({
      // 0: no bound (undici's null).
      connections: limits.maxConnections > 0 ? limits.maxConnections : null,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
    this.pace = options.pace ?? new LocalPace(limits);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const release = await this.pace.acquire();
    try {
      return await this.send<T>(method, path, url, options);
    } finally {
      release();
    }
  }

  private async send<T>(method: string, path: string, url: URL, options: RequestOptions): Promise<T> {
    const label = `${method} ${path}`;
    let response;
    try {
      response = await request(url, {
        method: method as 'GET',
        dispatcher: this.agent,
        headers: {
          authorization: this.authorization,
          accept: 'application/json',
          'user-agent': 'chartmogul-sync',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        headersTimeout: this.options.timeoutMs ?? HTTP_TIMEOUT_MS,
        bodyTimeout: this.options.timeoutMs ?? HTTP_TIMEOUT_MS,
      });
    } catch (error) {
      const timedOut =
        error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError;
      const reason = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
      this.options.onAnswer?.(timedOut ? 'timeout' : 'network');
      throw new ChartMogulError('retryable', `no answer (${reason})`, undefined, undefined, label);
    }
    this.options.onAnswer?.(response.statusCode);
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw new ChartMogulError(
        'retryable',
        `answer cut off (${error instanceof Error ? error.message : String(error)})`,
        undefined,
        undefined,
        label,
      );
    }
    let body: unknown = text;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        /* plain-text body: keep the text */
      }
    } else {
      body = undefined;
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return body as T;
    const retryAfterHeader = response.headers['retry-after'];
    throw new ChartMogulError(
      classifyStatus(response.statusCode, method),
      chartMogulMessage(body, `HTTP ${response.statusCode}`),
      response.statusCode,
      parseRetryAfter(Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader),
      label,
    );
  }

  async ping(): Promise<void> {
    await this.request('GET', '/v1/ping');
  }

  async getDataSource(uuid: string): Promise<DataSource> {
    try {
      return await this.request<DataSource>('GET', `/v1/data_sources/${encodeURIComponent(uuid)}`);
    } catch (error) {
      if (error instanceof ChartMogulError && error.kind === 'notFound') {
        throw new ChartMogulError(
          'dataSourceNotFound',
          `data source ${uuid} does not exist in this ChartMogul account`,
          404,
          undefined,
          error.request,
        );
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
