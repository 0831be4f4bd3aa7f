// Hour-by-hour CloudTrail integrity coverage as inline SVG (vector, crisp in print): one row per day
// in the report's time zone, one cell per hour, coloured by what validation found for that hour.
// Colour is doubled by a mark (× modified, stripe missing) so the strip reads in black and white too.
// Spans too long to draw hour by hour fold to one cell per day, a row per month, and say so.
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { COVERAGE_STATUSES, type CoverageStatus } from '../../shared/integrity';
import { formatCount, zoneOffsets } from './format';
import { html, type Html } from './html-tag';
import type { IntegrityView } from './model';

/** Beyond this many days the strip shows days, not hours (62 rows of hours fill two pages already). */
export const MAX_HOURLY_DAYS = 62;
/** Rows per drawing, so one never has to break across a page. */
const ROWS_PER_BLOCK = 31;

const SEVERITY: Record<CoverageStatus, number> = { validated: 0, unverified: 1, 'no-digest': 2, missing: 3, modified: 4 };
export const COVERAGE_COLOUR: Record<CoverageStatus, string> = {
  validated: '#2f7d4f', unverified: '#e0b43c', 'no-digest': '#c5ccd5', missing: '#e2742f', modified: '#9b1c1c',
};
export const COVERAGE_LABEL: Record<CoverageStatus, string> = {
  validated: 'validated', unverified: 'digest signature not verified', 'no-digest': 'no digest', missing: 'missing', modified: 'modified',
};

interface Cell { col: number; status: CoverageStatus; files: number; hours: number; start: number }
interface Row { label: string; cells: Map<number, Cell> }
export interface CoverageGrid { unit: 'hour' | 'day'; columns: number; rows: Row[] }

/** Places each UTC hour at its local start; an hour that repeats (clocks going back) shares a cell, worst status shown. */
export function coverageGrid(hours: IntegrityView['coverage'], timeZone: string): CoverageGrid {
  const first = hours[0]?.start;
  const last = hours[hours.length - 1]?.start;
  const daily = first !== undefined && (last - first) / 86400e3 > MAX_HOURLY_DAYS;
  const rows: Row[] = [];
  const byKey = new Map<string, Row>();
  for (const h of hours) {
    const d = new TZDate(h.start, timeZone);
    const key = format(d, daily ? 'yyyy-MM' : 'yyyy-MM-dd');
    let row = byKey.get(key);
    if (!row) byKey.set(key, (row = { label: format(d, daily ? 'MMM yyyy' : 'EEE d MMM yyyy'), cells: new Map() })), rows.push(row);
    const col = daily ? d.getDate() - 1 : d.getHours();
    const cell = row.cells.get(col);
    if (!cell) row.cells.set(col, { col, status: h.status, files: h.files, hours: 1, start: h.start });
    else {
      if (SEVERITY[h.status] > SEVERITY[cell.status]) cell.status = h.status;
      cell.files += h.files;
      cell.hours++;
    }
  }
  return { unit: daily ? 'day' : 'hour', columns: daily ? 31 : 24, rows };
}

const W = 1000;
const LEFT = 175;
const RIGHT = 6;
const TOP = 26;
const ROW_H = 22;
const GAP = 3;

function mark(status: CoverageStatus, x: number, y: number, w: number, h: number): Html | '' {
  const f = (n: number) => n.toFixed(1);
  if (status === 'modified') {
    return html`<path d="M${f(x + w * 0.3)} ${f(y + h * 0.25)}L${f(x + w * 0.7)} ${f(y + h * 0.75)}M${f(x + w * 0.7)} ${f(y + h * 0.25)}L${f(x + w * 0.3)} ${f(y + h * 0.75)}" stroke="#fff" stroke-width="1.6"/>`;
  }
  if (status === 'missing') return html`<path d="M${f(x + 1)} ${f(y + h - 1)}L${f(x + w - 1)} ${f(y + 1)}" stroke="#fff" stroke-width="1.6"/>`;
  return '';
}

function block(grid: CoverageGrid, rows: Row[], timeZone: string): Html {
  const plotW = W - LEFT - RIGHT;
  const cw = plotW / grid.columns;
  const H = TOP + rows.length * ROW_H + 4;
  const heads = Array.from({ length: grid.columns }, (_, c) => {
    const label = grid.unit === 'hour' ? String(c).padStart(2, '0') : String(c + 1);
    return html`<text x="${(LEFT + c * cw + cw / 2).toFixed(1)}" y="${TOP - 8}" text-anchor="middle" font-size="13" fill="#444">${label}</text>`;
  });
  const body = rows.map((r, i) => {
    const y = TOP + i * ROW_H;
    const cells = Array.from({ length: grid.columns }, (_, c) => {
      const x = LEFT + c * cw + GAP / 2;
      const w = cw - GAP;
      const h = ROW_H - GAP;
      const cell = r.cells.get(c);
      if (!cell) return html`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${h}" fill="none" stroke="#e2e6eb" stroke-width="0.8"/>`;
      const when = grid.unit === 'hour' ? format(new TZDate(cell.start, timeZone), 'd MMM yyyy HH:00') : format(new TZDate(cell.start, timeZone), 'd MMM yyyy');
      return html`<g><title>${when} (${timeZone}): ${COVERAGE_LABEL[cell.status]}${cell.files ? `, ${formatCount(cell.files)} log file${cell.files === 1 ? '' : 's'}` : ''}</title>
        <rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${h}" fill="${COVERAGE_COLOUR[cell.status]}"/>${mark(cell.status, x, y, w, h)}</g>`;
    });
    return html`<text x="${LEFT - 8}" y="${y + ROW_H / 2 + 3}" text-anchor="end" font-size="13.5" fill="#222">${r.label}</text>${cells}`;
  });
  return html`<svg class="coverage" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="CloudTrail integrity coverage by ${grid.unit}" font-family="inherit">
    <text x="${LEFT - 8}" y="${TOP - 8}" text-anchor="end" font-size="13" fill="#444">${grid.unit === 'hour' ? `hour (${timeZone})` : `day (${timeZone})`}</text>
    ${heads}${body}</svg>`;
}

function legendSwatch(status: CoverageStatus): Html {
  return html`<svg class="swatch" viewBox="0 0 16 12" xmlns="http://www.w3.org/2000/svg"><rect width="16" height="12" fill="${COVERAGE_COLOUR[status]}"/>${mark(status, 0, 0, 16, 12)}</svg>`;
}

export function renderCoverageStrip(hours: IntegrityView['coverage'], timeZone: string): Html {
  if (!hours.length) return html`<p class="empty">No hour is covered: validation found no digest period and no dated log file.</p>`;
  const grid = coverageGrid(hours, timeZone);
  const count = new Map<CoverageStatus, number>();
  for (const h of hours) count.set(h.status, (count.get(h.status) ?? 0) + 1);
  const blocks: Html[] = [];
  for (let i = 0; i < grid.rows.length; i += ROWS_PER_BLOCK) blocks.push(block(grid, grid.rows.slice(i, i + ROWS_PER_BLOCK), timeZone));
  const offsets = zoneOffsets(timeZone, hours[0].start, hours[hours.length - 1].start);
  const zone = `${timeZone}${offsets === timeZone ? '' : ` (${offsets})`}`;
  return html`<p class="small muted">${grid.unit === 'hour'
    ? `One row per day and one cell per hour, in ${zone}; each cell shows the worst finding for anything in that hour (a digest's period, a log file's events). CloudTrail digests cover whole UTC hours.`
    : `The validated span is longer than ${MAX_HOURLY_DAYS} days, so each cell is one day (the worst finding among its hours), one row per month, in ${zone}.`}
    Hours from ${format(new TZDate(hours[0].start, timeZone), 'd MMM yyyy HH:00')} to ${format(new TZDate(hours[hours.length - 1].start + 3600e3, timeZone), 'd MMM yyyy HH:00')}.</p>
    ${blocks}
    <div class="legend coverage-legend">${COVERAGE_STATUSES.map((s) => html`<span>${legendSwatch(s)}${COVERAGE_LABEL[s]} (${formatCount(count.get(s) ?? 0)} h)</span>`)}</div>`;
}
