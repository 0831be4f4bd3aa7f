// One lane per leading actor: when each one downloaded, on the same time axis as the histogram.
// Each lane asks for the histogram of the timeline filter narrowed to that actor, and counts only that.
import type { TimelineFilter } from '../../shared/api';
import type { ActorSummary, ExposureWindow } from '../../shared/analysis';
import { useHistogram } from '../analysis';
import { count, shortActor, time } from '../common/format';
import { bands, coarsen, GUTTER, maxOf, xOf, type Domain } from './scale';
import { useWidth } from './useWidth';

const LANE_H = 22;
const LABEL_W = GUTTER;

interface Common { domain: Domain; exposure: ExposureWindow[]; zone: string; filter: TimelineFilter; version: number }

function LaneRow({ actor, plotW, domain, exposure, zone, filter, version, onPick }: Common & {
  actor: ActorSummary; plotW: number; onPick: (a: ActorSummary) => void;
}) {
  const laneFilter = {
    // The lane's own actor, exactly, within the rest of the filter (an anonymous lane is one address).
    ...filter, actor: actor.actor, actorMatch: undefined,
    ...(actor.actor === 'anonymous' && actor.sourceIp ? { sourceIp: actor.sourceIp, sourceIpMatch: undefined } : {}),
    from: new Date(domain.from).toISOString(), to: new Date(domain.to).toISOString(),
  };
  const h = useHistogram(laneFilter, version);
  const x = xOf(domain, plotW);
  const data = h.data && coarsen(h.data, Math.max(50, Math.floor(plotW / 3)));
  const bins = data?.bins.filter((b) => b.downloads > 0) ?? [];
  const max = maxOf(bins, (b) => b.downloads);
  const barW = data ? Math.max(2, x(domain.from + data.binMs) - x(domain.from)) : 0;
  // The lane counts what the filters let through, not the whole case; a lane with nothing in view is not drawn.
  const shown = h.data ? h.data.bins.reduce((n, b) => n + b.downloads, 0) : null;
  if (shown === 0) return null;
  const label = actor.sourceIp && actor.actor === 'anonymous' ? `anonymous @ ${actor.sourceIp}` : shortActor(actor.actor);
  return (
    <button type="button" className="lane" onClick={() => onPick(actor)} title={`Show only ${actor.actor}${actor.sourceIp ? ` from ${actor.sourceIp}` : ''}`}
      data-testid="swimlane">
      <span className="lane-label" style={{ width: LABEL_W }}>
        <span className="lane-name">{label}</span>
        <span className="lane-count">{shown === null ? '…' : count(shown)}</span>
      </span>
      <svg width={plotW} height={LANE_H} aria-hidden="true">
        {bands(exposure, domain).map((b, i) => (
          <rect key={i} className={`band band-${b.w.scope}`} x={x(b.from)} y={0} width={Math.max(2, x(b.to) - x(b.from))} height={LANE_H} />
        ))}
        {bins.map((b) => (
          <rect key={b.timeMs} className="tick-mark" x={x(b.timeMs)} y={4} width={barW} height={LANE_H - 8} opacity={0.3 + 0.7 * (b.downloads / max)}>
            <title>{`${time(b.timeMs, zone)}: ${count(b.downloads)} downloads`}</title>
          </rect>
        ))}
        {h.error && <text x={4} y={15} className="tick">{h.error}</text>}
      </svg>
    </button>
  );
}

export function Swimlanes({ actors, onPick, ...common }: Common & { actors: ActorSummary[]; onPick: (a: ActorSummary) => void }) {
  const [box, width] = useWidth<HTMLDivElement>();
  const plotW = Math.max(100, width - GUTTER);
  return (
    <div className="swimlanes" ref={box} data-testid="swimlanes">
      {actors.map((a) => <LaneRow key={a.actorKey} actor={a} plotW={plotW} onPick={onPick} {...common} />)}
    </div>
  );
}
