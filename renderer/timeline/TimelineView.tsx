// The timeline: filters, the downloads histogram with exposure bands (drag to zoom), actor
// swimlanes, the virtualized downloads table, and the detail pane of the selected download.
import { useMemo, useState } from 'react';
import type { DownloadRow, TimelineFilter } from '../../shared/api';
import { useHistogram, useSummary } from '../analysis';
import { count } from '../common/format';
import { ErrorBox, Loading } from '../common/states';
import { DetailPane } from '../detail/DetailPane';
import { DownloadTable } from './DownloadTable';
import { Filters } from './Filters';
import { Histogram } from './Histogram';
import { Swimlanes } from './Swimlanes';
import { usePagedDownloads } from './usePagedDownloads';
import { maxOf, type Domain } from './scale';

const LANES = 6;
const HOUR = 3_600_000;

interface Props {
  filter: TimelineFilter;
  onFilter: (f: TimelineFilter) => void;
  zone: string;
  version: number;
}

export function TimelineView({ filter, onFilter, zone, version }: Props) {
  const [selected, setSelected] = useState<DownloadRow | null>(null);
  const paged = usePagedDownloads(filter, version);
  // The table first: main answers one request at a time, so the analysis waits until the first rows are in.
  const tableReady = paged.rows.length > 0 || paged.error !== null || (!paged.loading && !paged.hasMore);
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
    const chosen = filter.actor ? all.filter((a) => a.actor === filter.actor && (!filter.sourceIp || a.sourceIp === filter.sourceIp)) : all;
    return [...chosen].sort((a, b) => b.downloads - a.downloads).slice(0, LANES);
  }, [summary.data, filter.actor, filter.sourceIp]);

  const zoomed = Boolean(filter.from || filter.to);

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
            {zoomed && <button type="button" onClick={() => onFilter({ ...filter, from: undefined, to: undefined })}>Reset zoom</button>}
          </header>
          {histogram.error && <ErrorBox error={histogram.error} onRetry={histogram.reload} />}
          {!histogram.error && !histogram.data && (summary.loading || histogram.loading) && <Loading what="the histogram" />}
          {summary.error && <ErrorBox error={summary.error} onRetry={summary.reload} />}
          {histogram.data && domain && (
            <Histogram data={histogram.data} domain={domain} exposure={exposure} zone={zone}
              onBrush={(a, b) => onFilter({ ...filter, from: new Date(a).toISOString(), to: new Date(b).toISOString() })} />
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
          <DownloadTable paged={paged} zone={zone} exposure={exposure} selectedId={selected?.id ?? null} onSelect={setSelected} />
        </section>
      </div>
      {selected && <DetailPane id={selected.id} zone={zone} onClose={() => setSelected(null)} />}
    </div>
  );
}
