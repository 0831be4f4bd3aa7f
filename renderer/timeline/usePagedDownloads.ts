// Downloads fetched page by page with the keyset cursor of timeline:page, as the table scrolls, with
// the notes and tags of the rows that have any.
import { useCallback, useRef, useState } from 'react';
import type { Cursor, DownloadMarks, DownloadRow, TimelineFilter, TimelinePage } from '../../shared/api';
import { invoke } from '../api';
import { useKeysetPages, type PagedList } from '../common/usePagedList';

export const PAGE_SIZE = 200;

export interface PagedDownloads extends PagedList<DownloadRow> {
  /** Notes and tags of the rows that have any, by download id. */
  marks: Record<number, DownloadMarks>;
  /** The detail pane changed a download's notes or tags. */
  setMarks: (id: number, m: DownloadMarks) => void;
  /** The whole-result index of rows[0]: the base of the seek these rows were fetched for. */
  base: number;
}

/**
 * start: begin after this keyset position instead of at the first row ("go to time"). seek: a new token
 * restarts the pages even at the same start, so every seek has a restart to wait for (a seek landing
 * where the pages already start would otherwise stay pending); its base is the index of the first row
 * fetched for it, returned with the rows so that rows are never numbered by a seek still in flight.
 */
export function usePagedDownloads(filter: TimelineFilter, version: number, start: Cursor | null = null, seek = { token: 0, base: 0 }): PagedDownloads {
  const [marks, setMarkMap] = useState<Record<number, DownloadMarks>>({});
  const [base, setBase] = useState(seek.base);
  const seekNow = useRef(seek);
  seekNow.current = seek;
  const filterKey = JSON.stringify(filter);
  const startKey = JSON.stringify(start);
  const paged = useKeysetPages<DownloadRow, Cursor, TimelinePage>(
    `${filterKey} ${startKey} ${version} ${seek.token}`,
    (after, limit) => invoke('timeline:page', { filter: JSON.parse(filterKey) as TimelineFilter, after, limit }),
    PAGE_SIZE,
    JSON.parse(startKey) as Cursor | null,
    (page, reset) => {
      // A first page is always the current key's (earlier answers are dropped as stale).
      if (reset) setBase(seekNow.current.base);
      setMarkMap((prev) => (reset ? page.marks ?? {} : { ...prev, ...page.marks }));
    },
  );
  const setMarks = useCallback((id: number, m: DownloadMarks) => setMarkMap((prev) => ({ ...prev, [id]: m })), []);
  return { ...paged, marks, setMarks, base };
}
