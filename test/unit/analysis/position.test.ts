// A place in the whole timeline result (the scrollbar over all of it): the filter's total and the
// keyset start of any row, by position, by time and from the end — checked against every row paged
// through in order, for filters the hourly summary counts and for filters counted on the downloads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cursor, DownloadRow, TimelineFilter } from '../../../shared/api';
import { analysisConditions } from '../../../main/case/analysis';
import { updateAnalysis } from '../../../main/case/analysis-update';
import { deriveDownloads } from '../../../main/case/downloads';
import { allDownloads, timelinePage, timelineQuery } from '../../../main/case/timeline';
import { hourCounts, timelinePosition } from '../../../main/case/timeline-position';
import { addFile, download, newCase } from './case-builder';

const HOUR = 3_600_000;
const T0 = Date.parse('2018-03-01T00:00:00Z');
const USER = 'arn:aws:iam::111122223333:user/level1-admin';

test('timeline:position: totals and the keyset start of any row match the rows paged through in order', (t) => {
  const db = newCase(t);
  // Uneven hours: a busy hour, quiet hours, a long silence, and rows sharing a millisecond (ties broken by id).
  const events = [];
  let n = 0;
  for (const [hour, count] of [[0, 40], [1, 3], [2, 0], [5, 17], [30 * 24, 25]] as const) {
    for (let i = 0; i < count; i++, n++) {
      const time = T0 + hour * HOUR + Math.floor((i * HOUR) / (count + 1));
      events.push(download({
        time: i % 7 === 3 ? T0 + hour * HOUR + 1000 : time, key: n % 3 === 0 ? `backups/db-${n}.sql.gz` : `site/page-${n}.html`,
        bucket: n % 4 === 0 ? 'acme-logs' : 'acme-db-backups', actor: n % 5 === 0 ? USER : 'anonymous', actorType: n % 5 === 0 ? 'IAMUser' : 'anonymous',
        sourceIp: `198.51.100.${n % 9}`, ...(n % 6 === 1 ? { userAgent: 'rclone/v1.62.2' } : {}),
      }));
    }
  }
  addFile(db, events);
  deriveDownloads(db);
  updateAnalysis(db);

  const filters: TimelineFilter[] = [
    {},
    { bucket: 'acme-db-backups' },
    { backupsOnly: true },
    // Edges inside hours: the cut hours are counted on the downloads, the whole ones from the summary.
    { from: new Date(T0 + 20 * 60_000).toISOString(), to: new Date(T0 + 5 * HOUR + 30 * 60_000).toISOString() },
    { from: new Date(T0 + HOUR).toISOString() },
    { to: new Date(T0 + 10 * 60_000).toISOString(), bucket: 'acme-db-backups' },
    { actor: USER },
    { actor: 'anon', actorMatch: 'prefix' },
    { keyPrefix: 'DB-', keyMatch: 'contains' },
    { sourceIp: '198.51.100.0/30', sourceIpMatch: 'cidr' },
    { source: 'cloudtrail', annotated: undefined },
    { pattern: 'bulk-tool' },
  ];
  let checked = 0;
  for (const f of filters) {
    const extra = analysisConditions(db, f);
    const rows: DownloadRow[] = [...allDownloads(db, f, extra, 7)];
    const label = JSON.stringify(f);
    assert.ok(rows.length > 0, `${label} matches some rows`);
    const first = (start: Cursor | null) => timelinePage(db, f, start, 1, extra).rows[0];
    assert.equal(timelinePosition(db, f, undefined, extra).total, rows.length, `${label}: total`);
    assert.equal(hourCounts(db, f, extra).reduce((s, h) => s + h.n, 0), rows.length, `${label}: hour counts`);
    for (let i = 0; i < rows.length; i++) {
      const p = timelinePosition(db, f, { index: i }, extra);
      assert.equal(p.index, i, `${label}: index ${i}`);
      assert.equal(first(p.start).id, rows[i].id, `${label}: row ${i} of ${rows.length}`);
      checked++;
    }
    const end = timelinePosition(db, f, { last: 3 }, extra);
    assert.equal(end.index, Math.max(0, rows.length - 3), `${label}: the last three`);
    assert.deepEqual(timelinePage(db, f, end.start, 10, extra).rows.map((r) => r.id), rows.slice(-3).map((r) => r.id), `${label}: End reaches the true last row`);
    // Past the end, the last row; before the start, the first.
    assert.equal(first(timelinePosition(db, f, { index: rows.length + 50 }, extra).start).id, rows.at(-1)!.id);
    for (const r of [rows[0], rows[Math.floor(rows.length / 2)], rows.at(-1)!]) {
      const at = timelinePosition(db, f, { time: r.timeMs }, extra);
      const expected = rows.findIndex((x) => x.timeMs >= r.timeMs);
      assert.equal(at.index, expected, `${label}: first row at ${r.time}`);
      assert.equal(first(at.start).id, rows[expected].id);
    }
  }
  assert.ok(checked > 300, `${checked} positions checked`);
});

test('a page after a cursor past the time filter\'s start has the cursor as its only lower bound (SQLite would walk from the filter\'s start)', () => {
  const from = new Date(T0).toISOString();
  const deep = timelineQuery({ from, bucket: 'b' }, { time: T0 + 5 * HOUR, id: 9 }, 10);
  assert.doesNotMatch(deep.text, /time >= \?/);
  assert.match(deep.text, /\(time, id\) > \(\?, \?\)/);
  assert.match(timelineQuery({ from, bucket: 'b' }, { time: T0 - HOUR, id: 9 }, 10).text, /time >= \?/, 'a cursor before the start keeps it');
});

test('timeline:position on a filter nothing matches: a total of 0 and the first row\'s start', (t) => {
  const db = newCase(t);
  addFile(db, [download({ time: T0, key: 'a' })]);
  deriveDownloads(db);
  updateAnalysis(db);
  assert.deepEqual(timelinePosition(db, { actor: 'nobody' }, { index: 5 }), { total: 0, index: 0, start: null });
  assert.deepEqual(timelinePosition(db, { bucket: 'other' }, { last: 10 }), { total: 0, index: 0, start: null });
});
