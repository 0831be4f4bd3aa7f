// Downloads fetched page by page with the keyset cursor of timeline:page, as the table scrolls.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Cursor, DownloadMarks, DownloadRow, TimelineFilter } from '../../shared/api';
import { invoke } from '../api';

export const PAGE_SIZE = 200;

export interface PagedDownloads {
  rows: DownloadRow[];
  /** Notes and tags of the rows that have any, by download id. */
  marks: Record<number, DownloadMarks>;
  /** The detail pane changed a download's notes or tags. */
  setMarks: (id: number, m: DownloadMarks) => void;
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  /** Asks for the next page unless one is already on its way. */
  loadMore: () => void;
  retry: () => void;
}

/** start: begin after this keyset position instead of at the first row ("go to time"). */
export function usePagedDownloads(filter: TimelineFilter, version: number, start: Cursor | null = null): PagedDownloads {
  const [rows, setRows] = useState<DownloadRow[]>([]);
  const [marks, setMarkMap] = useState<Record<number, DownloadMarks>>({});
  const [hasMore, setHasMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cursor = useRef<Cursor | null>(null);
  const inFlight = useRef(false);
  const generation = useRef(0);
  const filterKey = JSON.stringify(filter);
  const startKey = JSON.stringify(start);

  const fetchPage = useCallback((reset: boolean) => {
    if (inFlight.current && !reset) return;
    const gen = reset ? ++generation.current : generation.current;
    inFlight.current = true;
    setLoading(true);
    setError(null);
    invoke('timeline:page', { filter: JSON.parse(filterKey) as TimelineFilter, after: reset ? (JSON.parse(startKey) as Cursor | null) : cursor.current, limit: PAGE_SIZE }).then(
      (page) => {
        if (gen !== generation.current) return;
        cursor.current = page.next;
        setRows((prev) => (reset ? page.rows : prev.concat(page.rows)));
        setMarkMap((prev) => (reset ? page.marks ?? {} : { ...prev, ...page.marks }));
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
  }, [filterKey, startKey]);

  useEffect(() => {
    cursor.current = null;
    setRows([]);
    setHasMore(true);
    fetchPage(true);
  }, [fetchPage, version]);

  const loadMore = useCallback(() => {
    if (hasMore && !error) fetchPage(false);
  }, [fetchPage, hasMore, error]);
  const retry = useCallback(() => fetchPage(rows.length === 0), [fetchPage, rows.length]);

  const setMarks = useCallback((id: number, m: DownloadMarks) => setMarkMap((prev) => ({ ...prev, [id]: m })), []);

  return { rows, marks, setMarks, hasMore, loading, error, loadMore, retry };
}
