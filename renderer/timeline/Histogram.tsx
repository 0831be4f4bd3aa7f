// Downloads over time, with exposure windows as bands; drag across it to zoom the timeline into a range.
import { useRef, useState, type PointerEvent } from 'react';
import type { ExposureWindow, Histogram as HistogramData } from '../../shared/analysis';
import { count, time } from '../common/format';
import { bands, coarsen, GUTTER, maxOf, tOf, ticks, xOf, type Domain } from './scale';
import { openEndText, openStartText } from '../../shared/exposure-rule';
import { useWidth } from './useWidth';

const HEIGHT = 130;
const AXIS = 20;

interface Props {
  data: HistogramData;
  domain: Domain;
  exposure: ExposureWindow[];
  zone: string;
  onBrush: (from: number, to: number) => void;
  /** Keyboard zoom and pan: + and − zoom, ← and → move a quarter of the width. */
  onKey: (k: 'in' | 'out' | 'earlier' | 'later') => void;
}

export function Histogram({ data: given, domain, exposure, zone, onBrush, onKey }: Props) {
  const [box, width] = useWidth<HTMLDivElement>();
  const data = coarsen(given, Math.max(50, Math.floor((width - GUTTER) / 3)));
  const [drag, setDrag] = useState<{ x0: number; x1: number } | null>(null);
  const svg = useRef<SVGSVGElement>(null);
  const plotW = Math.max(100, width - GUTTER);
  const x = xOf(domain, plotW);
  const t = tOf(domain, plotW);
  const plotH = HEIGHT - AXIS;
  const max = maxOf(data.bins, (b) => b.downloads);
  const barW = Math.max(1, x(domain.from + data.binMs) - x(domain.from) - 1);

  const localX = (e: PointerEvent) => Math.min(plotW, Math.max(0, e.clientX - (svg.current?.getBoundingClientRect().left ?? 0) - GUTTER));
  const finish = () => {
    if (drag && Math.abs(drag.x1 - drag.x0) > 4) {
      const [a, b] = [t(Math.min(drag.x0, drag.x1)), t(Math.max(drag.x0, drag.x1))];
      onBrush(Math.floor(a), Math.ceil(b));
    }
    setDrag(null);
  };

  return (
    <div className="histogram" ref={box}>
      <svg
        ref={svg}
        width={width}
        height={HEIGHT}
        role="img"
        tabIndex={0}
        aria-label={`Downloads over time from ${time(domain.from, zone)} to ${time(domain.to, zone)}, ${data.bins.length} bars; drag to zoom, or + and − to zoom and arrow keys to move`}
        onKeyDown={(e) => {
          const k = ({ '+': 'in', '=': 'in', '-': 'out', '_': 'out', ArrowLeft: 'earlier', ArrowRight: 'later' } as const)[e.key];
          if (!k) return;
          e.preventDefault();
          onKey(k);
        }}
        data-testid="histogram"
        onPointerDown={(e) => {
          (e.target as Element).setPointerCapture?.(e.pointerId);
          setDrag({ x0: localX(e), x1: localX(e) });
        }}
        onPointerMove={(e) => drag && setDrag({ ...drag, x1: localX(e) })}
        onPointerUp={finish}
        onPointerCancel={() => setDrag(null)}
      >
        <text className="tick" x={GUTTER - 8} y={20} textAnchor="end">{count(max)} per bar</text>
        <text className="tick" x={GUTTER - 8} y={plotH} textAnchor="end">0</text>
        <g className="legend" transform={`translate(4, ${plotH - 30})`}>
          <rect className="bar" width={10} height={10} /><text className="tick" x={14} y={9}>downloads</text>
          <rect className="bar-backup" y={14} width={10} height={10} /><text className="tick" x={14} y={23}>of backup files</text>
        </g>
        <g transform={`translate(${GUTTER}, 0)`}>
          {bands(exposure, domain).map((b, i) => (
            <g key={i} className={`band band-${b.w.scope}`} data-testid="exposure-band">
              <rect x={x(b.from)} y={0} width={Math.max(2, x(b.to) - x(b.from))} height={plotH}>
                <title>
                  {`Exposed (${b.w.scope} via ${b.w.via}) s3://${b.w.bucket}/${b.w.key ?? ''}\n`
                    + `from ${b.w.fromMs === null ? `(${openStartText(b.w, (t) => time(t, zone))})` : time(b.w.fromMs, zone)}\n`
                    + `to ${b.w.toMs === null ? `(${openEndText(b.w, (t) => time(t, zone))})` : time(b.w.toMs, zone)}`}
                </title>
              </rect>
              <text x={x(b.from) + 4} y={12} className="band-label">exposed · {b.w.scope}</text>
            </g>
          ))}
          {data.bins.map((b) => {
            const h = (b.downloads / max) * (plotH - 16);
            return (
              <g key={b.timeMs}>
                <rect className="bar" x={x(b.timeMs)} y={plotH - h} width={barW} height={h} />
                {b.backupDownloads > 0 && (
                  <rect className="bar-backup" x={x(b.timeMs)} y={plotH - (b.backupDownloads / max) * (plotH - 16)} width={barW}
                    height={(b.backupDownloads / max) * (plotH - 16)} />
                )}
                <rect className="bar-hit" x={x(b.timeMs)} y={0} width={barW} height={plotH}>
                  <title>{`${time(b.timeMs, zone)}\n${count(b.downloads)} downloads, ${count(b.backupDownloads)} of backups`}</title>
                </rect>
              </g>
            );
          })}
          <line className="axis" x1={0} x2={plotW} y1={plotH + 0.5} y2={plotH + 0.5} />
          {ticks(domain, zone).map((tk, i) => (
            <g key={i}>
              <line className="axis" x1={x(tk.t)} x2={x(tk.t)} y1={plotH} y2={plotH + 4} />
              <text className="tick" x={x(tk.t)} y={HEIGHT - 5} textAnchor={x(tk.t) < 40 ? 'start' : x(tk.t) > plotW - 40 ? 'end' : 'middle'}>
                {tk.label}
              </text>
            </g>
          ))}
          {drag && (
            <rect className="brush" x={Math.min(drag.x0, drag.x1)} y={0} width={Math.abs(drag.x1 - drag.x0)} height={plotH} />
          )}
        </g>
      </svg>
    </div>
  );
}
