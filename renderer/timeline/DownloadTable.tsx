// The downloads table: virtualized (only visible rows in the DOM), fetching further pages near the
// end, with keyboard navigation. Every value is rendered as text.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { PositionRail } from './PositionRail';
import type { DownloadMarks, DownloadRow } from '../../shared/api';
import type { ExposureWindow } from '../../shared/analysis';
import { bytes, text, time } from '../common/format';
import { Empty, ErrorBox } from '../common/states';
import type { PagedDownloads } from './usePagedDownloads';
import { EXPOSURE_CLASS_LABEL, exposureClassifier } from './exposure';

const ROW_HEIGHT = 30;

/** The time without the zone's name, which the column header carries; the offset stays. */
function cellTime(ms: number, zone: string): string {
  const full = time(ms, zone);
  return zone !== 'UTC' && full.endsWith(` ${zone}`) ? full.slice(0, -zone.length - 1) : full;
}

/** Where the source address is: country and network, or the AWS range, or what a non-address is (shared/enrich). */
function network(row: DownloadRow): { short: string; full: string } {
  const where = row.aws ? `AWS ${row.aws}` : row.org ?? row.addressLabel ?? '';
  if (!where && !row.country) return { short: '—', full: 'no address context' };
  const short = `${row.country ?? '—'} · ${where || 'unknown network'}`;
  return { short, full: `${row.addressLabel ?? where}${row.asn ? ` · AS${row.asn}` : ''}` };
}

/** A row's notes and tags at a glance: ✎ and the count of notes, # and the tags (all of them on hover). */
function Marker({ marks }: { marks: DownloadMarks | undefined }) {
  if (!marks || (marks.notes === 0 && marks.tags.length === 0)) return <span role="gridcell" className="c-mark" />;
  const words = [marks.notes ? `${marks.notes} note${marks.notes > 1 ? 's' : ''}` : '', marks.tags.length ? `tags: ${marks.tags.join(', ')}` : ''].filter(Boolean).join('; ');
  return (
    <span role="gridcell" className="c-mark" title={words} data-testid="row-marker">
      <span aria-hidden="true">{marks.notes ? `✎${marks.notes}` : ''}{marks.tags.length ? ` #${marks.tags.length}` : ''}</span>
      <span className="visually-hidden">{words}</span>
    </span>
  );
}

/** Where the table was asked to start: rows[0] is row `base` of the whole result; `focus` (a row of the page, or the last) is brought into view, and selected if `select`. */
export interface TableSeek { token: number; base: number; focus: number | 'last'; select: boolean }

/** A place to start the table at: a row of the whole result, or its last rows. */
export type SeekTo = { index: number; select: boolean } | { last: true; select: boolean };

interface Props {
  paged: PagedDownloads;
  seek: TableSeek;
  /** The filter's downloads in all (null while counted). */
  total: number | null;
  onSeek: (to: SeekTo) => void;
  zone: string;
  exposure: ExposureWindow[];
  selectedId: number | null;
  onSelect: (row: DownloadRow) => void;
  /** Enter: the selected row's detail, with focus moved into it. */
  onOpen: (row: DownloadRow) => void;
}

export function DownloadTable({ paged, seek, total, onSeek, zone, exposure, selectedId, onSelect, onOpen }: Props) {
  const { rows, hasMore, loading, error, loadMore } = paged;
  const classify = useMemo(() => exposureClassifier(exposure), [exposure]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    // The header row sits above the rows inside the same scroller (one grid element, sticky header).
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;

  useEffect(() => {
    // Fetch ahead: the next page is asked for while a screenful of rows is still left.
    if (hasMore && !loading && lastIndex >= rows.length - 40) loadMore();
  }, [lastIndex, rows.length, hasMore, loading, loadMore]);

  const selectedIndex = selectedId === null ? -1 : rows.findIndex((r) => r.id === selectedId);
  const base = paged.base;

  // A seek restarts the pages: its focus row is brought into view once the new rows are in (armed
  // by the restart's loading state, so the rows of the previous start are never taken for them).
  // Armed also when the rows are no longer those of the seek's render: a restart whose loading state
  // and answer land in one render shows no loading state, and must not leave the seek pending forever
  // (a pending seek holds back the wheel's "earlier rows").
  const pending = useRef<{ token: number; armed: boolean; rows: unknown[] } | null>(null);
  /** The row the last seek brought into view, kept there while the layout settles (below). */
  const pinned = useRef<{ at: number; align: 'start' | 'end' } | null>(null);
  const seen = useRef(0);
  if (seen.current !== seek.token) {
    seen.current = seek.token;
    pending.current = { token: seek.token, armed: false, rows };
  }
  useEffect(() => {
    const p = pending.current;
    if (!p) return;
    if (!p.armed) {
      if (loading || rows.length === 0 || rows !== p.rows) p.armed = true;
      else return;
    }
    if (loading || rows.length === 0) return;
    if (seek.focus === 'last' && hasMore) { loadMore(); return; }
    const at = seek.focus === 'last' ? rows.length - 1 : Math.min(rows.length - 1, seek.focus);
    pending.current = null;
    const align = seek.focus === 'last' ? 'end' : 'start';
    virtualizer.scrollToIndex(at, { align });
    pinned.current = { at, align };
    if (seek.select) onSelect(rows[at]);
    // Once more after the next frame: a selection can change the layout (the detail pane) under the
    // first scroll, which would leave the row it brought into view outside the scroller.
    const token = p.token;
    requestAnimationFrame(() => { if (seen.current === token && pending.current === null) virtualizer.scrollToIndex(at, { align }); });
  });

  // The row a seek brought into view stays in view while the layout settles — the detail pane opening
  // for a selected row resizes the scroller, later than the next frame on a busy machine — until the
  // user scrolls, clicks or presses a key in the table themselves.
  const observed = useRef<{ el: HTMLDivElement | null; ro: ResizeObserver | null }>({ el: null, ro: null });
  useEffect(() => {
    const o = observed.current;
    if (o.el === scroller.current) return;
    o.ro?.disconnect();
    o.el = scroller.current;
    o.ro = o.el ? new ResizeObserver(() => { const p = pinned.current; if (p) virtualizer.scrollToIndex(p.at, { align: p.align }); }) : null;
    if (o.el) o.ro!.observe(o.el);
  });
  useEffect(() => () => observed.current.ro?.disconnect(), []);
  // The user's own act also ends any scroll of the virtualizer's still settling (it re-aims a scroll to
  // an index for up to 5 s while rows are measured), which would otherwise pull the rows back under a wheel.
  const unpin = () => {
    pinned.current = null;
    virtualizer.cancelScroll();
  };

  const rowHeight = ROW_HEIGHT;
  const offset = virtualizer.scrollOffset ?? 0;
  const firstInView = base + Math.max(0, Math.min(rows.length - 1, Math.floor(offset / rowHeight)));
  const visible = Math.max(1, Math.floor(((scroller.current?.clientHeight ?? 300) - rowHeight) / rowHeight));
  /**
   * Rows before the first paged in, asked for by a wheel turned up at the top (a user's act: the
   * scroll events of a restart's own clamping must not walk the start back): start again a little
   * earlier, the same row kept at the top.
   */
  const earlier = () => {
    if (base > 0 && !loading && pending.current === null) onSeek({ index: base, select: false });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, j: 1, k: -1 };
    if (e.key === 'Enter' && rows.length > 0) {
      e.preventDefault();
      onOpen(rows[Math.max(0, selectedIndex)]);
      return;
    }
    // Home and End reach the whole result's first and last rows, wherever the pages start and end.
    if (e.key === 'Home' && base > 0) { e.preventDefault(); onSeek({ index: 0, select: true }); return; }
    if (e.key === 'End' && hasMore) { e.preventDefault(); onSeek({ last: true, select: true }); return; }
    if (e.key in moves && base > 0 && selectedIndex >= 0 && selectedIndex + moves[e.key] < 0) {
      e.preventDefault();
      onSeek({ index: Math.max(0, base + selectedIndex + moves[e.key]), select: true });
      return;
    }
    let next: number | null = null;
    if (e.key in moves) next = Math.max(0, (selectedIndex < 0 ? -1 : selectedIndex) + moves[e.key]);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    if (next === null || rows.length === 0) return;
    e.preventDefault();
    next = Math.min(rows.length - 1, next);
    onSelect(rows[next]);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  if (error && rows.length === 0) return <ErrorBox error={error} onRetry={paged.retry} />;
  if (!loading && !hasMore && rows.length === 0) {
    return <Empty title="No downloads match these filters.">Widen the time range or clear a filter.</Empty>;
  }

  return (
    <div className="table-with-rail">
    <div
      ref={scroller}
      className="table tbody"
      id="downloads-table"
      role="grid"
      aria-label="Downloads"
      aria-rowcount={total !== null ? total + 1 : hasMore ? -1 : base + rows.length + 1}
      tabIndex={0}
      onKeyDown={(e) => { unpin(); onKeyDown(e); }}
      onWheel={(e) => { unpin(); if (e.deltaY < 0 && e.currentTarget.scrollTop < 1) earlier(); }}
      onPointerDown={unpin}
      onTouchStart={unpin}
      data-testid="download-rows"
      aria-activedescendant={selectedIndex >= 0 ? `dl-${rows[selectedIndex].id}` : undefined}
    >
      <div className="tr th" role="row" aria-rowindex={1}>
        <span role="columnheader" className="c-time">Time ({zone})</span>
        <span role="columnheader" className="c-mark">Notes</span>
        <span role="columnheader" className="c-actor">Actor</span>
        <span role="columnheader" className="c-ip">Source IP</span>
        <span role="columnheader" className="c-net">Network</span>
        <span role="columnheader" className="c-key">Object</span>
        <span role="columnheader" className="c-num">Bytes sent</span>
        <span role="columnheader" className="c-num c-size">Size</span>
        <span role="columnheader" className="c-flag">Whole</span>
        <span role="columnheader" className="c-src">Sources</span>
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index];
            const style = { height: ROW_HEIGHT, transform: `translateY(${item.start - ROW_HEIGHT}px)` };
            if (!row) {
              return (
                <div key="more" className="tr more" style={style} role="row" aria-rowindex={base + item.index + 2}>
                  <span role="gridcell" className={error ? 'error-text' : undefined}>
                    {error ? <>{error} <button type="button" onClick={paged.retry}>Retry</button></> : rows.length ? 'Loading more…' : 'Loading downloads…'}
                  </span>
                </div>
              );
            }
            const exposed = classify(row);
            return (
              <div
                key={row.id}
                id={`dl-${row.id}`}
                role="row"
                aria-rowindex={base + item.index + 2}
                aria-selected={row.id === selectedId}
                className={`tr${row.id === selectedId ? ' selected' : ''}${exposed === 'inside' ? ' exposed' : exposed === 'boundary' ? ' at-boundary' : ''}`}
                style={style}
                data-download-id={row.id}
                onClick={() => onSelect(row)}
              >
                <span role="gridcell" className="c-time mono" title={time(row.timeMs, zone)}>
                  {cellTime(row.timeMs, zone)}
                  {exposed === 'boundary' && (
                    <span className="boundary-mark" title={EXPOSURE_CLASS_LABEL.boundary}>
                      <span aria-hidden="true">±</span><span className="visually-hidden">at the boundary of an exposure window</span>
                    </span>
                  )}
                </span>
                <Marker marks={paged.marks[row.id]} />
                <span role="gridcell" className="c-actor" title={row.actor}>{row.actor}</span>
                <span role="gridcell" className="c-ip mono">{text(row.sourceIp)}</span>
                <span role="gridcell" className="c-net" title={network(row).full}>{network(row).short}</span>
                <span role="gridcell" className="c-key" title={`s3://${row.bucket}/${row.key}`}>{row.bucket}/{row.key}</span>
                <span role="gridcell" className="c-num">{bytes(row.bytesSent)}</span>
                <span role="gridcell" className="c-num c-size">{bytes(row.objectSize)}</span>
                <span role="gridcell" className="c-flag" title={row.complete === null ? 'whether the whole object went out is unknown (bytes or size not logged)' : undefined}>{row.complete === null ? 'unknown' : row.complete ? 'yes' : 'partial'}</span>
                <span role="gridcell" className="c-src">{row.sources.map((s) => (s === 'cloudtrail' ? 'CT' : 'S3')).join(' + ')}</span>
              </div>
            );
          })}
      </div>
    </div>
    <PositionRail total={total} first={firstInView} visible={visible}
      onSeek={(index) => onSeek({ index, select: false })} onEnd={() => onSeek({ last: true, select: false })} />
    </div>
  );
}
