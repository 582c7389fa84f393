// Cursor paging as ChartMogul does it: opaque base64 cursors, `per_page` capped at 200, `has_more`.

import type { RouteRequest } from './http';

const MAX_PER_PAGE = 200;

export interface Page<T> {
  entries: T[];
  cursor: string | null;
  has_more: boolean;
}

/** The request's `per_page`: a positive whole number up to 200, else 200. */
export function perPageOf(req: RouteRequest): number {
  const requested = Number(req.query.get('per_page') ?? MAX_PER_PAGE);
  return Number.isInteger(requested) && requested > 0 ? Math.min(requested, MAX_PER_PAGE) : MAX_PER_PAGE;
}

/** Items must be sorted by `id`, oldest first, or newest first (subscription events are listed so). The
 * cursor encodes the last id served. */
export function paginate<T extends { id: number }>(
  items: T[],
  req: RouteRequest,
  order: 'oldest first' | 'newest first' = 'oldest first',
): Page<T> {
  const perPage = perPageOf(req);
  const cursor = req.query.get('cursor');
  const lastId = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8').split('&').pop()) : NaN;
  const remaining = Number.isFinite(lastId)
    ? items.filter((item) => (order === 'oldest first' ? item.id > lastId : item.id < lastId))
    : items;
  const entries = remaining.slice(0, perPage);
  const last = entries[entries.length - 1];
  return {
    entries,
    // Like ChartMogul: non-null even on the last page, null only when the page is empty.
    cursor: last ? Buffer.from(`&${last.id}`).toString('base64') : null,
    has_more: remaining.length > entries.length,
  };
}

/** The customers list's first page (no cursor given) also carries the deprecated offset keys. */
export function withLegacyKeys<T>(page: Page<T>, req: RouteRequest, total: number): Page<T> & Record<string, unknown> {
  const result: Page<T> & Record<string, unknown> = { ...page };
  if (req.query.get('cursor')) return result;
  const perPage = perPageOf(req);
  return { ...page, current_page: 1, total_pages: Math.max(1, Math.ceil(total / perPage)), per_page: perPage, page: 1 };
}
