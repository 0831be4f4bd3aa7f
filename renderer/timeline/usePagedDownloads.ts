// Downloads fetched page by page with the keyset cursor of timeline:page, as the table scrolls, with
// the notes and tags of the rows that have any.
import { useCallback, useState } from 'react';
import type { Cursor, DownloadMarks, DownloadRow, TimelineFilter, TimelinePage } from '../../shared/api';
import { invoke } from '../api';
import { useKeysetPages, type PagedList } from '../common/usePagedList';

export const PAGE_SIZE = 200;

export interface PagedDownloads extends PagedList<DownloadRow> {
  /** Notes and tags of the rows that have any, by download id. */
  marks: Record<number, DownloadMarks>;
  /** The detail pane changed a download's notes or tags. */
  setMarks: (id: number, m: DownloadMarks) => void;
}

/** start: begin after this keyset position instead of at the first row ("go to time"). */
export function usePagedDownloads(filter: TimelineFilter, version: number, start: Cursor | null = null): PagedDownloads {
  const [marks, setMarkMap] = useState<Record<number, DownloadMarks>>({});
  const filterKey = JSON.stringify(filter);
  const startKey = JSON.stringify(start);
  const paged = useKeysetPages<DownloadRow, Cursor, TimelinePage>(
    `${filterKey} ${startKey} ${version}`,
    (after, limit) => invoke('timeline:page', { filter: JSON.parse(filterKey) as TimelineFilter, after, limit }),
    PAGE_SIZE,
    JSON.parse(startKey) as Cursor | null,
    (page, reset) => setMarkMap((prev) => (reset ? page.marks ?? {} : { ...prev, ...page.marks })),
  );
  const setMarks = useCallback((id: number, m: DownloadMarks) => setMarkMap((prev) => ({ ...prev, [id]: m })), []);
  return { ...paged, marks, setMarks };
}
