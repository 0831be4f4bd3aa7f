// Rows of a long list fetched page by page with a keyset (the key of the last row), as a virtualized
// table scrolls: a case with 10⁵ evidence files or custody entries never sits in the page whole.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface PagedList<T> {
  rows: T[];
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  loadMore: () => void;
  retry: () => void;
}

/** fetchPage(after, limit): the rows after the key `after` (null: from the start). `key` restarts the list. */
export function usePagedList<T>(key: string, fetchPage: (after: number | null, limit: number) => Promise<T[]>, keyOf: (row: T) => number, pageSize = 200): PagedList<T> {
  const [rows, setRows] = useState<T[]>([]);
  const [hasMore, setHasMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const after = useRef<number | null>(null);
  const inFlight = useRef(false);
  const generation = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const keyRef = useRef(keyOf);
  keyRef.current = keyOf;

  const fetchNext = useCallback((reset: boolean) => {
    if (inFlight.current && !reset) return;
    const gen = reset ? ++generation.current : generation.current;
    if (reset) after.current = null;
    inFlight.current = true;
    setLoading(true);
    setError(null);
    fetchRef.current(after.current, pageSize).then(
      (page) => {
        if (gen !== generation.current) return;
        if (page.length) after.current = keyRef.current(page[page.length - 1]);
        setRows((prev) => (reset ? page : prev.concat(page)));
        setHasMore(page.length === pageSize);
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
