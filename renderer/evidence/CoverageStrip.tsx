// Hour-by-hour CloudTrail integrity coverage: one row per day in the display time zone, one cell per
// hour, coloured by the worst thing validation found in it (a mark doubles the colour). Spans longer
// than two months fold to one cell per day, a row per month, and say so.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { COVERAGE_STATUSES, type CoverageHour, type CoverageStatus } from '../../shared/integrity';
import { timeIso } from '../common/format';

const MAX_HOURLY_DAYS = 62;
const SEVERITY: Record<CoverageStatus, number> = { validated: 0, unverified: 1, 'no-digest': 2, missing: 3, modified: 4 };
export const COVERAGE_WORDS: Record<CoverageStatus, string> = {
  validated: 'validated', unverified: 'digest signature not verified', 'no-digest': 'no digest', missing: 'missing', modified: 'modified',
};
const MARK: Record<CoverageStatus, string> = { validated: '', unverified: '?', 'no-digest': '', missing: '–', modified: '×' };

interface Cell { status: CoverageStatus; files: number; hours: number; start: string }
interface Row { key: string; label: string; cells: Map<number, Cell> }

function grid(hours: CoverageHour[], zone: string): { daily: boolean; rows: Row[] } {
  const first = hours.length ? Date.parse(hours[0].hour) : 0;
  const last = hours.length ? Date.parse(hours[hours.length - 1].hour) : 0;
  const daily = (last - first) / 86400e3 > MAX_HOURLY_DAYS;
  const rows: Row[] = [];
  const byKey = new Map<string, Row>();
  for (const h of hours) {
    const d = new TZDate(Date.parse(h.hour), zone);
    const key = format(d, daily ? 'yyyy-MM' : 'yyyy-MM-dd');
    let row = byKey.get(key);
    if (!row) {
      row = { key, label: format(d, daily ? 'MMM yyyy' : 'EEE d MMM yyyy'), cells: new Map() };
      byKey.set(key, row);
      rows.push(row);
    }
    const col = daily ? d.getDate() - 1 : d.getHours();
    const cell = row.cells.get(col);
    if (!cell) row.cells.set(col, { status: h.status, files: h.files, hours: 1, start: h.hour });
    else {
      // An hour that repeats when clocks go back shares its cell; the worst status shows.
      if (SEVERITY[h.status] > SEVERITY[cell.status]) cell.status = h.status;
      cell.files += h.files;
      cell.hours++;
    }
  }
  return { daily, rows };
}

export function CoverageStrip({ hours, zone }: { hours: CoverageHour[]; zone: string }) {
  if (hours.length === 0) return <p className="muted">No hours to show: validation found no trail files or digests with times.</p>;
  const { daily, rows } = grid(hours, zone);
  const columns = daily ? 31 : 24;
  const totals = new Map<CoverageStatus, number>();
  for (const h of hours) totals.set(h.status, (totals.get(h.status) ?? 0) + 1);
  return (
    <div className="coverage" data-testid="coverage-strip">
      <p className="muted small">
        {daily ? 'One cell per day' : 'One cell per hour'}, rows are days in {zone}{daily ? ' (months: the span is longer than two months)' : ''}.
      </p>
      <div className="coverage-grid" style={{ gridTemplateColumns: `150px repeat(${columns}, minmax(10px, 1fr))` }}>
        <span />
        {Array.from({ length: columns }, (_, i) => <span key={i} className="coverage-axis">{daily ? (i % 5 === 0 ? i + 1 : '') : i % 3 === 0 ? String(i).padStart(2, '0') : ''}</span>)}
        {rows.map((r) => [
          <span key={`${r.key}-label`} className="coverage-label">{r.label}</span>,
          ...Array.from({ length: columns }, (_, col) => {
            const c = r.cells.get(col);
            if (!c) return <span key={`${r.key}-${col}`} className="coverage-cell empty" />;
            const what = `${timeIso(c.start, zone).slice(0, daily ? 10 : 16)}${daily ? '' : ` ${zone}`}: ${COVERAGE_WORDS[c.status]}, ${c.files} file${c.files === 1 ? '' : 's'} in this ${daily ? 'day' : 'hour'}`;
            return (
              <span key={`${r.key}-${col}`} className={`coverage-cell cov-${c.status}`} title={what} role="img" aria-label={what} data-status={c.status} data-hour={c.start}>
                {MARK[c.status]}
              </span>
            );
          }),
        ])}
      </div>
      <div className="coverage-legend small">
        {COVERAGE_STATUSES.map((s) => (
          <span key={s}><span className={`coverage-cell cov-${s} swatch`}>{MARK[s]}</span>{COVERAGE_WORDS[s]} ({(totals.get(s) ?? 0).toLocaleString('en-US')} h)</span>
        ))}
      </div>
    </div>
  );
}
