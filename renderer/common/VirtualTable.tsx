// A <table> whose body renders only the rows in view (and a few either side), measured as drawn
// since cells wrap; the rows above and below are stood in for by two spacer rows. Asks for the next
// page of a PagedList while a screenful is still left.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';
import type { PagedList } from './usePagedList';

interface Props<T> {
  list: PagedList<T>;
  columns: number;
  head: ReactNode;
  row: (r: T) => ReactNode;
  rowKey: (r: T) => number;
  rowClass?: (r: T) => string | undefined;
  testId: string;
  estimate?: number;
}

export function VirtualTable<T>({ list, columns, head, row, rowKey, rowClass, testId, estimate = 40 }: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const { rows, hasMore, loading, error, loadMore, retry } = list;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => estimate,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;
  useEffect(() => {
    if (hasMore && !loading && lastIndex >= rows.length - 30) loadMore();
  }, [lastIndex, rows.length, hasMore, loading, loadMore]);
  const top = items.length ? items[0].start : 0;
  const bottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  return (
    <div ref={scroller} className="virtual-table" data-testid={`${testId}-scroller`}>
      <table className="data" data-testid={testId} aria-rowcount={hasMore ? -1 : rows.length + 1}>
        <thead>{head}</thead>
        <tbody>
          {top > 0 && <tr aria-hidden="true" className="spacer"><td colSpan={columns} style={{ height: top }} /></tr>}
          {items.map((item) => {
            const r = rows[item.index];
            return (
              <tr key={rowKey(r)} data-index={item.index} ref={virtualizer.measureElement} className={rowClass?.(r)} aria-rowindex={item.index + 2}>
                {row(r)}
              </tr>
            );
          })}
          {bottom > 0 && <tr aria-hidden="true" className="spacer"><td colSpan={columns} style={{ height: bottom }} /></tr>}
        </tbody>
      </table>
      {(loading || error) && (
        <p className="muted small">{error ? <span className="error-text">{error} <button type="button" onClick={retry}>Retry</button></span> : rows.length ? 'Loading more…' : 'Loading…'}</p>
      )}
    </div>
  );
}
