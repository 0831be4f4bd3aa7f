// The scrollbar of the downloads table over the whole result, not just the rows paged in: its thumb
// stands at (row in view) / (the filter's total), and dragging it, clicking the track or pressing
// Home, End, Page Up/Down on it asks the table to start at that row (a keyset seek in main).
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { count } from '../common/format';

interface Props {
  /** The filter's downloads; null while unknown. */
  total: number | null;
  /** The whole-result index of the first row in view. */
  first: number;
  /** How many rows fit in view. */
  visible: number;
  onSeek: (index: number) => void;
  onEnd: () => void;
}

const MIN_THUMB = 24;

export function PositionRail({ total, first, visible, onSeek, onEnd }: Props) {
  const track = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(0);
  useEffect(() => {
    const el = track.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => setHeight(Math.floor(entry.contentRect.height)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const [drag, setDrag] = useState<{ fraction: number; grabbedAt: number } | null>(null);
  const known = total !== null && total > 0;
  const n = known ? total : 0;
  const thumb = known ? Math.max(MIN_THUMB, Math.min(height, (height * visible) / n)) : height;
  const room = Math.max(0, height - thumb);
  const maxFirst = Math.max(0, n - visible);
  const fraction = drag ? drag.fraction : maxFirst > 0 ? Math.min(1, first / maxFirst) : 0;
  const rowAt = (f: number) => Math.round(f * maxFirst);

  /** The thumb's top as a fraction of its travel, for a pointer at clientY grabbed `grabbedAt` px below the thumb's top. */
  const fractionAt = (clientY: number, grabbedAt: number) => {
    const box = track.current!.getBoundingClientRect();
    return room > 0 ? Math.max(0, Math.min(1, (clientY - box.top - grabbedAt) / room)) : 0;
  };
  const seekFraction = (f: number) => (f >= 1 ? onEnd() : onSeek(rowAt(f)));

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (!known || e.button !== 0) return;
    e.preventDefault();
    const box = track.current!.getBoundingClientRect();
    const top = box.top + fraction * room;
    // On the thumb: dragged from where it was grabbed; on the track: the thumb's middle jumps there.
    const grabbedAt = e.clientY >= top && e.clientY <= top + thumb ? e.clientY - top : thumb / 2;
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag({ fraction: fractionAt(e.clientY, grabbedAt), grabbedAt });
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag) setDrag({ ...drag, fraction: fractionAt(e.clientY, drag.grabbedAt) });
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag) return;
    e.currentTarget.releasePointerCapture(e.pointerId);
    const f = fractionAt(e.clientY, drag.grabbedAt);
    setDrag(null);
    seekFraction(f);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!known) return;
    // Arrows move a screenful; Page Up/Down a twentieth of the result (at least ten screens), as a click on the track would.
    const page = Math.max(1, visible - 1);
    const jump = Math.max(page * 10, Math.round(n / 20));
    const to: Record<string, number> = { Home: 0, PageUp: first - jump, PageDown: first + jump, ArrowUp: first - page, ArrowDown: first + page };
    if (e.key === 'End') { e.preventDefault(); onEnd(); return; }
    if (!(e.key in to)) return;
    e.preventDefault();
    const i = Math.max(0, Math.min(maxFirst, to[e.key]));
    if (i >= maxFirst && maxFirst > 0) onEnd();
    else onSeek(i);
  };

  const shown = drag ? rowAt(drag.fraction) : first;
  const words = known ? `row ${count(shown + 1)} of ${count(n)}` : 'counting the rows…';
  return (
    <div
      ref={track}
      className={`position-rail${drag ? ' dragging' : ''}`}
      role="scrollbar"
      aria-controls="downloads-table"
      aria-orientation="vertical"
      aria-label="Position in all matching downloads"
      aria-valuemin={0}
      aria-valuemax={Math.max(0, n - 1)}
      aria-valuenow={Math.min(shown, Math.max(0, n - 1))}
      aria-valuetext={words}
      tabIndex={0}
      title={words}
      data-testid="position-rail"
      data-total={total ?? undefined}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onKeyDown={onKeyDown}
    >
      {known && <div className="position-thumb" style={{ height: thumb, transform: `translateY(${fraction * room}px)` }} />}
      {drag && <div className="position-tip" style={{ transform: `translateY(${fraction * room}px)` }}>{words}</div>}
    </div>
  );
}
