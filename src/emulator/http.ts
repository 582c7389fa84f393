// Small HTTP helpers for the emulator: a reply type, a path router and ChartMogul's error body shapes.

/** What a route handler answers; the server writes it (or drops it, when a fault says so).
 * A class, so handlers can tell a reply from a record by `instanceof` (records have a `status` too). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {}
}

export function isReply(value: unknown): value is Reply {
  return value instanceof Reply;
}

export interface RouteRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

type Handler = (req: RouteRequest) => Reply;

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** Matches `/v1/customers/:uuid/contacts` style templates; the template doubles as the stats label. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    const names: string[] = [];
    const source = template.replace(/:([a-z_]+)/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, template, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | { pathKnown: boolean } {
    let pathKnown = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      pathKnown = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => (params[name] = decodeURIComponent(found[index + 1] ?? '')));
      return { route, params };
    }
    return { pathKnown };
  }
}

/** Format A: `{"code","message","param"}`, used by auth, customers and contacts. */
export function codeError(status: number, message: string, param: string | null = null): Reply {
  return new Reply(status, { code: status, message, param });
}

/** Format B: `{"errors":{field: message}}`, used by customer create validation and data sources. */
export function fieldErrors(errors: Record<string, string>, status = 422): Reply {
  return new Reply(status, { errors });
}

/** Format C: `{"error": "..."}`, used by data sources. */
export function plainError(status: number, error: string): Reply {
  return new Reply(status, { error });
}

/** A 404 as 2026 answers it: `{"error":"Invoice not found","error_details":[{"param":"invoice","code":"invalid",
 * "message":"Invoice not found"}]}` (a user's report, chartmogul-python#119). `what`: `Invoice`. */
export function notFound(what: string): Reply {
  const error = `${what} not found`;
  return new Reply(404, {
    error,
    error_details: [{ param: what.toLowerCase().replace(/ /g, '_'), code: 'invalid', message: error }],
  });
}

export function ok(body: unknown, status = 200): Reply {
  return new Reply(status, body);
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
