// Rows of a long list fetched page by page with a keyset cursor, as a virtualized table scrolls: a
// case with 10⁵ evidence files, custody entries or downloads never sits in the page whole. One fetch
// at a time; a restart (new key) makes the answers of any earlier fetch stale.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface PagedList<T> {
  rows: T[];
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  /** Asks for the next page unless one is already on its way. */
  loadMore: () => void;
  retry: () => void;
}

export interface KeysetPage<T, C> { rows: T[]; next: C | null }

/**
 * fetchPage(after, limit): the page after the cursor `after` (`start` for the first page) and the
 * cursor after it (null at the end). `key` restarts the list; onPage sees every page as it arrives.
 */
export function useKeysetPages<T, C, P extends KeysetPage<T, C>>(
  key: string, fetchPage: (after: C | null, limit: number) => Promise<P>, pageSize: number,
  start: C | null = null, onPage?: (page: P, reset: boolean) => void,
): PagedList<T> {
  const [rows, setRows] = useState<T[]>([]);
  const [hasMore, setHasMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cursor = useRef<C | null>(null);
  const inFlight = useRef(false);
  const generation = useRef(0);
  const latest = useRef({ fetchPage, start, onPage });
  latest.current = { fetchPage, start, onPage };

  const fetchNext = useCallback((reset: boolean) => {
    if (inFlight.current && !reset) return;
    const gen = reset ? ++generation.current : generation.current;
    inFlight.current = true;
    setLoading(true);
    setError(null);
    latest.current.fetchPage(reset ? latest.current.start : cursor.current, pageSize).then(
      (page) => {
        if (gen !== generation.current) return;
        cursor.current = page.next;
        setRows((prev) => (reset ? page.rows : prev.concat(page.rows)));
        latest.current.onPage?.(page, reset);
        setHasMore(page.next !== null);
        inFlight.current = false;
        setLoading(false);
      },
      (err: unknown) => {
        if (gen !== generation.current) return;
        inFlight.current = false;
        setLoading(false);
        setError(err instanceof Error ? err.message : String(err));
      },
    );
  }, [pageSize]);

  useEffect(() => {
    cursor.current = null;
    setRows([]);
    setHasMore(true);
    fetchNext(true);
  }, [fetchNext, key]);

  const loadMore = useCallback(() => {
    if (hasMore && !error) fetchNext(false);
  }, [fetchNext, hasMore, error]);
  const retry = useCallback(() => fetchNext(rows.length === 0), [fetchNext, rows.length]);
  return { rows, hasMore, loading, error, loadMore, retry };
}

/** A list whose cursor is the key of its last row: fetchPage(after, limit) returns plain rows, a short page ends it. */
export function usePagedList<T>(key: string, fetchPage: (after: number | null, limit: number) => Promise<T[]>, keyOf: (row: T) => number, pageSize = 200): PagedList<T> {
  return useKeysetPages<T, number, KeysetPage<T, number>>(key, async (after, limit) => {
    const rows = await fetchPage(after, limit);
    return { rows, next: rows.length === limit && rows.length ? keyOf(rows[rows.length - 1]) : null };
  }, pageSize);
}
