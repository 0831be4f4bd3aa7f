// The timeline: filters, the downloads histogram with exposure bands (drag to zoom), actor
// swimlanes, the virtualized downloads table, and the detail pane of the selected download.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Cursor, DownloadRow, TimelineFilter, TimelinePositionAt } from '../../shared/api';
import { invoke } from '../api';
import { useHistogram, useSummary } from '../analysis';
import { count, time } from '../common/format';
import { ErrorBox, Loading } from '../common/states';
import { addressMatches, textMatches } from '../../shared/address-match';
import { usePaneFocus } from '../common/pane-focus';
import { DetailPane } from '../detail/DetailPane';
import { DownloadTable, type SeekTo, type TableSeek } from './DownloadTable';
import { Filters } from './Filters';
import { GoToTime } from './GoToTime';
import { Histogram } from './Histogram';
import { Swimlanes } from './Swimlanes';
import { usePagedDownloads } from './usePagedDownloads';
import { bursts, burstsWorthZooming, maxOf, pan, zoom, type Domain } from './scale';
import { HOUR } from '../../shared/analysis';

const LANES = 6;

/** A burst named by its start, as precisely as its length needs (a day, a minute, a second). */
function burstLabel(b: Domain, zone: string): string {
  const full = time(b.from, zone);
  const span = b.to - b.from;
  return span >= 86_400_000 ? full.slice(0, 10) : span >= 60_000 ? full.slice(0, 16) : full.slice(0, 19);
}
/** Rows kept above a seek's target, so scrolling up a little needs no second seek. */
const SEEK_MARGIN = 60;
/** The last rows End starts at (within one page, so the true last row is in the first answer). */
const LAST_ROWS = 150;
const FIRST: { start: Cursor | null } & TableSeek = { start: null, token: 0, base: 0, focus: 0, select: false };

interface Props {
  filter: TimelineFilter;
  onFilter: (f: TimelineFilter) => void;
  zone: string;
  version: number;
}

export function TimelineView({ filter, onFilter, zone, version }: Props) {
  const [selected, setSelected] = useState<DownloadRow | null>(null);
  const pane = usePaneFocus(selected?.id ?? null, () => setSelected(null));
  const [goTo, setGoTo] = useState<number | null>(null);
  const [seek, setSeek] = useState(FIRST);
  const [total, setTotal] = useState<number | null>(null);
  // A seek that fails is said, not dropped: the table stays where it was, and the next seek may succeed.
  const [seekError, setSeekError] = useState<string | null>(null);
  const filterKey = JSON.stringify(filter);
  useEffect(() => { setGoTo(null); setSeek(FIRST); setTotal(null); setSeekError(null); }, [filterKey]);
  const paged = usePagedDownloads(filter, version, seek.start, seek);
  // The table first: main answers one request at a time, so the analysis waits until the first rows are in.
  const tableReady = paged.rows.length > 0 || paged.error !== null || (!paged.loading && !paged.hasMore);
  // The filter's total, for the scrollbar over the whole result: asked once per filter and case version.
  const counted = useRef<string | null>(null);
  useEffect(() => {
    const key = `${filterKey} ${version}`;
    if (!tableReady || counted.current === key) return;
    counted.current = key;
    invoke('timeline:position', { filter: JSON.parse(filterKey) as TimelineFilter }).then(
      (p) => { if (counted.current === key) setTotal(p.total); },
      () => { if (counted.current === key) counted.current = null; },
    );
  }, [filterKey, version, tableReady]);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  // A seek asks main for the keyset start of a row anywhere in the result, then restarts the pages there.
  const tokens = useRef(0);
  const seekTo = useCallback((at: TimelinePositionAt, focus: (index: number) => number | 'last', select: boolean) => {
    const key = filterKey;
    invoke('timeline:position', { filter: JSON.parse(key) as TimelineFilter, at }).then((p) => {
      if (key !== JSON.stringify(filterRef.current)) return;
      setSeekError(null);
      setTotal(p.total);
      setSeek({ start: p.start, token: ++tokens.current, base: p.index, focus: focus(p.index), select });
    }, (err: unknown) => {
      if (key === JSON.stringify(filterRef.current)) setSeekError(err instanceof Error ? err.message : String(err));
    });
  }, [filterKey]);
  const onSeek = useCallback((to: SeekTo) => {
    setSelected(null);
    if ('last' in to) {
      setGoTo(null);
      seekTo({ last: LAST_ROWS }, () => 'last', to.select);
      return;
    }
    setGoTo(null);
    if (to.index === 0) { setSeek({ ...FIRST, token: ++tokens.current, select: to.select }); return; }
    seekTo({ index: Math.max(0, to.index - SEEK_MARGIN) }, (base) => to.index - base, to.select);
  }, [seekTo]);
  const goToTime = (t: number | null) => {
    setSelected(null);
    setGoTo(t);
    if (t === null) setSeek({ ...FIRST, token: ++tokens.current });
    else seekTo({ time: t }, () => 0, false);
  };
  const summary = useSummary(version, tableReady);
  const exposure = summary.data?.exposure ?? [];

  // The axis: the zoomed range, else the span of all downloads in the case (from the actor summaries).
  const domain: Domain | null = useMemo(() => {
    const actors = summary.data?.actors ?? [];
    const windows = summary.data?.exposure ?? [];
    const starts = [...actors.map((a) => Date.parse(a.firstSeen)), ...windows.flatMap((w) => { const t = w.fromMs ?? w.bucketEvidence?.fromMs; return t == null ? [] : [t]; })];
    const ends = [...actors.map((a) => Date.parse(a.lastSeen)), ...windows.flatMap((w) => { const t = w.toMs ?? w.bucketEvidence?.toMs; return t == null ? [] : [t]; })];
    const first = -maxOf(starts, (t) => -t, -Infinity);
    const last = maxOf(ends, (t) => t, -Infinity);
    const from = filter.from ? Date.parse(filter.from) : Number.isFinite(first) ? Math.floor(first / HOUR) * HOUR : undefined;
    const to = filter.to ? Date.parse(filter.to) : Number.isFinite(last) ? Math.floor(last / HOUR) * HOUR + HOUR : undefined;
    return from !== undefined && to !== undefined && to > from ? { from, to } : null;
  }, [summary.data, filter.from, filter.to]);

  const histogram = useHistogram(domain && { ...filter, from: new Date(domain.from).toISOString(), to: new Date(domain.to).toISOString() }, version);

  const topActors = useMemo(() => {
    const all = summary.data?.actors ?? [];
    // The actors the filter lets through, matched as the table's query matches them.
    const chosen = all.filter((a) => (!filter.actor || textMatches(a.actor, filter.actor, filter.actorMatch ?? 'exact'))
      && (!filter.sourceIp || a.sourceIp === null || addressMatches(a.sourceIp, filter.sourceIp, filter.sourceIpMatch ?? 'exact')));
    return [...chosen].sort((a, b) => b.downloads - a.downloads).slice(0, LANES);
  }, [summary.data, filter.actor, filter.actorMatch, filter.sourceIp, filter.sourceIpMatch]);

  const zoomed = Boolean(filter.from || filter.to);
  const burstList = useMemo(() => {
    // Only on bars of the axis shown: a stale answer while the next loads would offer the same zoom again.
    if (!histogram.data || histogram.loading || !domain) return [];
    const list = bursts(histogram.data, domain);
    return burstsWorthZooming(list, domain) ? list : [];
  }, [histogram.data, histogram.loading, domain]);
  const moveTo = (d: Domain) => onFilter({ ...filter, from: new Date(Math.floor(d.from)).toISOString(), to: new Date(Math.ceil(d.to)).toISOString() });

  return (
    <div className={`timeline${selected ? ' with-detail' : ''}`}>
      <div className="timeline-main">
        <Filters filter={filter} zone={zone} onChange={(f) => { setSelected(null); onFilter(f); }} />
        <section className="chart-card" aria-label="Downloads over time">
          <header className="card-head">
            <h2>Downloads over time</h2>
            <span className="muted small">
              {histogram.data ? `${count(histogram.data.bins.reduce((n, b) => n + b.downloads, 0))} downloads · ` : ''}
              drag across the chart to zoom · shaded: bucket exposed
            </span>
            {domain && (
              <span className="zoom-controls" role="group" aria-label="Zoom and pan the time axis">
                <button type="button" aria-label="Earlier" title="Earlier (←)" onClick={() => moveTo(pan(domain, -1))}>←</button>
                <button type="button" aria-label="Zoom in" title="Zoom in (+)" onClick={() => moveTo(zoom(domain, 0.5))}>+</button>
                <button type="button" aria-label="Zoom out" title="Zoom out (−)" onClick={() => moveTo(zoom(domain, 2))}>−</button>
                <button type="button" aria-label="Later" title="Later (→)" onClick={() => moveTo(pan(domain, 1))}>→</button>
                {zoomed && <button type="button" onClick={() => onFilter({ ...filter, from: undefined, to: undefined })}>Reset zoom</button>}
              </span>
            )}
          </header>
          {histogram.error && <ErrorBox error={histogram.error} onRetry={histogram.reload} />}
          {!histogram.error && !histogram.data && (summary.loading || histogram.loading) && <Loading what="the histogram" />}
          {summary.error && <ErrorBox error={summary.error} onRetry={summary.reload} />}
          {histogram.data && domain && (
            <Histogram data={histogram.data} domain={domain} exposure={exposure} zone={zone}
              onBrush={(a, b) => moveTo({ from: a, to: b })}
              onKey={(k) => moveTo(k === 'in' ? zoom(domain, 0.5) : k === 'out' ? zoom(domain, 2) : pan(domain, k === 'earlier' ? -1 : 1))} />
          )}
          {histogram.data && domain && burstList.length > 0 && (
            // Long silences (evidence years apart) leave slivers: each burst is one click from filling the chart.
            <nav className="bursts" aria-label="Bursts of downloads" data-testid="bursts">
              <span className="muted small">{burstList.length > 1 ? `${burstList.length} bursts, with silences between:` : 'All downloads fall in:'}</span>
              {burstList.slice(0, 8).map((b) => (
                <button key={b.from} type="button" className="chip" onClick={() => moveTo(zoom(b, 1.1))}
                  aria-label={`${burstLabel(b, zone)} · ${count(b.downloads)}: zoom to the burst from ${time(b.from, zone)} to ${time(b.to, zone)}`}>
                  {burstLabel(b, zone)} · {count(b.downloads)}
                </button>
              ))}
              {burstList.length > 8 && <span className="muted small">…and {burstList.length - 8} more</span>}
            </nav>
          )}
          {domain && topActors.length > 0 && (
            <>
              <h3 className="lanes-title">Leading actors</h3>
              <Swimlanes actors={topActors} domain={domain} exposure={exposure} zone={zone} filter={filter} version={version}
                onPick={(a) => onFilter({ ...filter, actor: a.actor, sourceIp: a.actor === 'anonymous' && a.sourceIp ? a.sourceIp : undefined })} />
            </>
          )}
        </section>
        <section className="table-card" aria-label="Downloads">
          <GoToTime zone={zone} at={goTo} onGo={goToTime} />
          {seekError && <div className="state state-error" role="alert"><strong>Could not move there.</strong> <span className="error-text">{seekError}</span></div>}
          <DownloadTable paged={paged} seek={seek} total={total} onSeek={onSeek} zone={zone} exposure={exposure} selectedId={selected?.id ?? null} onSelect={setSelected}
            onOpen={(row) => pane.openWithFocus(() => setSelected(row))} />
        </section>
      </div>
      {selected && (
        <DetailPane id={selected.id} zone={zone} onClose={() => setSelected(null)} headingRef={pane.heading}
          onMarks={(notes, tags) => paged.setMarks(selected.id, { notes, tags })} />
      )}
    </div>
  );
}
