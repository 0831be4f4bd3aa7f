// The timeline's text filters (exact, prefix, contains, CIDR), the notes-and-tags filter and row marks,
// and histogram bins that follow a zoom below an hour — on a real case file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipv4Cidr } from '../../../shared/address-match';
import type { TimelineFilter } from '../../../shared/api';
import { histogramFor, histogramLimits } from '../../../main/case/analysis-api';
import { addNote, addTag, withMarks } from '../../../main/case/annotations';
import { deriveDownloads } from '../../../main/case/downloads';
import { allDownloads, countByObject, filterConditions, pagePlan, RARE_SOURCE_MATCHES, timelinePage, timelineQuery, type PagePlan } from '../../../main/case/timeline';
import { join, sql } from '../../../main/case/sql';
import type { Cursor } from '../../../shared/api';
import { all } from '../../../main/case/db';
import { timelinePosition } from '../../../main/case/timeline-position';
import { addFile, download, newCase } from './case-builder';

const T0 = Date.parse('2018-03-01T10:00:00Z');
const LEVEL1 = 'arn:aws:iam::111122223333:user/level1-admin';
const LEVEL2 = 'arn:aws:iam::111122223333:user/level2';

function leakCase(t: { after(fn: () => void): void }) {
  const db = newCase(t);
  addFile(db, [
    download({ time: T0, key: 'backups/db-2018.sql.gz', actor: LEVEL1, actorType: 'IAMUser', sourceIp: '104.102.221.9' }),
    download({ time: T0 + 2_000, key: 'backups/DB-old.sql.gz', actor: LEVEL2, actorType: 'IAMUser', sourceIp: '104.102.221.200' }),
    download({ time: T0 + 5_000, key: 'site/index.html', actor: 'anonymous', sourceIp: '104.102.38.1' }),
    download({ time: T0 + 9_000, key: 'site/100%_done.txt', actor: 'anonymous', sourceIp: '198.51.100.7' }),
    download({ time: T0 + 70_000, key: 'site/a_b.txt', actor: 'anonymous', sourceIp: '2001:db8::1' }),
  ]);
  deriveDownloads(db);
  const keys = (f: TimelineFilter) => timelinePage(db, f, null, 100).rows.map((r) => r.key);
  return { db, keys };
}

test('actor, source IP and key filters: exact by default, prefix, contains (wildcards literal, ASCII case ignored), IPv4 CIDR', (t) => {
  const { keys } = leakCase(t);
  assert.deepEqual(keys({ actor: 'arn:aws:iam::111122223333:user/level' }), [], 'exact is the default: a partial ARN matches nothing');
  assert.deepEqual(keys({ actor: 'arn:aws:iam::111122223333:user/level', actorMatch: 'prefix' }), ['backups/db-2018.sql.gz', 'backups/DB-old.sql.gz']);
  assert.deepEqual(keys({ actor: 'LEVEL1', actorMatch: 'contains' }), ['backups/db-2018.sql.gz']);
  assert.deepEqual(keys({ actor: 'anon', actorMatch: 'prefix' }), ['site/index.html', 'site/100%_done.txt', 'site/a_b.txt']);
  assert.deepEqual(keys({ sourceIp: '104.102.221', sourceIpMatch: 'prefix' }), ['backups/db-2018.sql.gz', 'backups/DB-old.sql.gz']);
  assert.deepEqual(keys({ sourceIp: '104.102.221.0/24', sourceIpMatch: 'cidr' }), ['backups/db-2018.sql.gz', 'backups/DB-old.sql.gz']);
  assert.deepEqual(keys({ sourceIp: '104.102.0.0/16', sourceIpMatch: 'cidr' }), ['backups/db-2018.sql.gz', 'backups/DB-old.sql.gz', 'site/index.html']);
  assert.deepEqual(keys({ sourceIp: '104.102.221.0/25', sourceIpMatch: 'cidr' }), ['backups/db-2018.sql.gz'], '.200 lies outside the lower half');
  assert.deepEqual(keys({ sourceIp: 'db8', sourceIpMatch: 'contains' }), ['site/a_b.txt']);
  assert.deepEqual(keys({ keyPrefix: 'db', keyMatch: 'contains' }), ['backups/db-2018.sql.gz', 'backups/DB-old.sql.gz']);
  assert.deepEqual(keys({ keyPrefix: '%', keyMatch: 'contains' }), ['site/100%_done.txt'], '% is a literal, not a wildcard');
  assert.deepEqual(keys({ keyPrefix: 'a_b', keyMatch: 'contains' }), ['site/a_b.txt'], '_ is a literal, not a wildcard');
  assert.deepEqual(keys({ keyPrefix: 'site/' }), ['site/index.html', 'site/100%_done.txt', 'site/a_b.txt']);
  assert.throws(() => keys({ sourceIp: '104.102.221/24', sourceIpMatch: 'cidr' }), /not an IPv4 CIDR block/);
});

test('a rare source-IP prefix or CIDR reads the source-IP index; both plans page the same rows', (t) => {
  const db = newCase(t);
  // Twelve addresses in three /16s, two downloads each at interleaved times, plus a second key per address.
  const ips = ['10.1.2.3', '10.1.2.40', '10.1.3.5', '10.1.17.9', '10.1.31.200', '10.1.32.1', '10.2.0.1', '10.10.0.1', '192.0.2.1', '192.0.2.7', '192.0.2.9', '2001:db8::1'];
  addFile(db, ips.flatMap((ip, i) => [
    download({ time: T0 + ((i * 7) % 12) * 1000, key: `a/${i}`, actor: 'anonymous', sourceIp: ip }),
    download({ time: T0 + ((i * 5) % 12) * 1000 + 500, key: `b/${i}`, actor: LEVEL1, actorType: 'IAMUser', sourceIp: ip }),
  ]));
  deriveDownloads(db);
  const plan = (f: TimelineFilter, p: PagePlan) => {
    const q = timelineQuery(f, null, 10, [], p);
    return (db.prepare(`EXPLAIN QUERY PLAN ${q.text}`).all(...q.params) as { detail: string }[]).map((r) => r.detail).join('; ');
  };
  const filters: TimelineFilter[] = [
    { sourceIp: '10.1', sourceIpMatch: 'prefix' },
    { sourceIp: '10.1.2.', sourceIpMatch: 'prefix' },
    { sourceIp: '10.1.0.0/16', sourceIpMatch: 'cidr' },
    { sourceIp: '10.1.17.0/20', sourceIpMatch: 'cidr' },
    { sourceIp: '192.0.2.0/29', sourceIpMatch: 'cidr' },
    { sourceIp: '10.0.0.0/8', sourceIpMatch: 'cidr', actor: LEVEL1 },
    { sourceIp: '10.0.0.0/8', sourceIpMatch: 'cidr', from: new Date(T0 + 3000).toISOString(), to: new Date(T0 + 9000).toISOString() },
    { sourceIp: '0.0.0.0/0', sourceIpMatch: 'cidr' },
  ];
  for (const f of filters) {
    assert.equal(pagePlan(db, f), 'source-ip', JSON.stringify(f));
    // The time plan keeps off the new index; the source-IP plan uses it, covering, for every range.
    assert.doesNotMatch(plan(f, 'time'), /downloads_source_ip/, JSON.stringify(f));
    if (f.sourceIp !== '0.0.0.0/0') assert.match(plan(f, 'source-ip'), /USING (COVERING )?INDEX downloads_source_ip \(source_ip[>=]/, JSON.stringify(f));
    // Both plans, paged three rows at a time, give the same rows in (time, id) order.
    const pages = (p: PagePlan) => {
      const ids: number[] = [];
      let after: Cursor | null = null;
      do {
        const rows: { id: number; time: number }[] = all<{ id: number; time: number }>(db, timelineQuery(f, after, 3, [], p));
        ids.push(...rows.map((r) => r.id));
        after = rows.length === 3 ? { time: rows[2].time, id: rows[2].id } : null;
      } while (after);
      return ids;
    };
    const byTime = pages('time');
    assert.ok(byTime.length > 0, JSON.stringify(f));
    assert.deepEqual(pages('source-ip'), byTime, JSON.stringify(f));
    const inOrder = (db.prepare(`SELECT id FROM downloads WHERE id IN (${byTime.join(',')}) ORDER BY time, id`).all() as { id: number }[]).map((r) => r.id);
    assert.deepEqual(byTime, inOrder);
  }
  assert.deepEqual(timelinePage(db, { sourceIp: '192.0.2.0/29', sourceIpMatch: 'cidr' }, null, 100).rows.map((r) => r.sourceIp).sort(), ['192.0.2.1', '192.0.2.1', '192.0.2.7', '192.0.2.7']);
  assert.ok(RARE_SOURCE_MATCHES > 1000);
});

test('CIDR blocks become the dotted-quad prefixes or addresses that cover them', () => {
  assert.deepEqual(ipv4Cidr('10.1.2.3/24'), { prefixes: ['10.1.2.'], addresses: [] });
  assert.deepEqual(ipv4Cidr('10.1.17.0/20')?.prefixes, Array.from({ length: 16 }, (_, i) => `10.1.${16 + i}.`));
  assert.deepEqual(ipv4Cidr('10.0.0.0/8'), { prefixes: ['10.'], addresses: [] });
  assert.deepEqual(ipv4Cidr('10.0.0.9/30'), { prefixes: [], addresses: ['10.0.0.8', '10.0.0.9', '10.0.0.10', '10.0.0.11'] });
  assert.deepEqual(ipv4Cidr('10.0.0.9/32'), { prefixes: [], addresses: ['10.0.0.9'] });
  assert.deepEqual(ipv4Cidr('0.0.0.0/0'), { prefixes: [''], addresses: [] });
  assert.equal(ipv4Cidr('10.0.0.300/24'), null);
  assert.equal(ipv4Cidr('10.0.0.0/33'), null);
  assert.equal(ipv4Cidr('2001:db8::/32'), null);
});

test('an actor prefix walks the actor index; notes and tags filter and mark rows', (t) => {
  const { db, keys } = leakCase(t);
  const plan = (f: TimelineFilter) => {
    const q = timelineQuery(f, null, 10);
    return (db.prepare(`EXPLAIN QUERY PLAN ${q.text}`).all(...q.params) as { detail: string }[]).map((r) => r.detail).join('; ');
  };
  // The prefix is a range of the actors' dictionary, whose ids the ledger's actor index reads.
  const prefix = plan({ actor: 'arn:aws:iam::1', actorMatch: 'prefix' });
  assert.match(prefix, /ledger_actors USING COVERING INDEX \w+ \(actor>\? AND actor<\?\)/);
  assert.match(prefix, /USING (COVERING )?INDEX downloads_actor \(actor_id=\?\)/);

  const page = timelinePage(db, {}, null, 100);
  const [first, , third] = page.rows;
  addNote(db, { target: { type: 'download', id: String(first.id) }, text: 'first copy of the dump' });
  addNote(db, { target: { type: 'download', id: String(first.id) }, text: 'and a second note' });
  addTag(db, { type: 'download', id: String(third.id) }, 'suspect');
  addTag(db, { type: 'actor', id: 'anonymous' }, 'not a download');
  assert.deepEqual(keys({ annotated: true }), ['backups/db-2018.sql.gz', 'site/index.html']);
  const marks = withMarks(db, page).marks!;
  assert.deepEqual(marks[first.id], { notes: 2, tags: [] });
  assert.deepEqual(marks[third.id], { notes: 0, tags: ['suspect'] });
  assert.equal(Object.keys(marks).length, 2);
});

test('histogram bins follow the zoom below an hour, down to seconds', (t) => {
  const { db } = leakCase(t);
  // Ten days: whole hours, from the hourly summary.
  const days = histogramFor(db, { from: new Date(T0 - 5 * 86_400_000).toISOString(), to: new Date(T0 + 5 * 86_400_000).toISOString() }, 120);
  assert.equal(days.binMs, 2 * 3_600_000);
  assert.deepEqual(days.bins.map((b) => b.downloads), [5]);
  // The whole case is one hour here: its 120 bins are half-minutes.
  const whole = histogramFor(db, {}, 120);
  assert.equal(whole.binMs, 30_000);
  assert.deepEqual(whole.bins.map((b) => b.downloads), [4, 0, 1].filter((n) => n > 0));
  const minute = histogramFor(db, { from: new Date(T0).toISOString(), to: new Date(T0 + 120_000).toISOString() }, 120);
  assert.equal(minute.binMs, 1000);
  assert.deepEqual(minute.bins.map((b) => [(b.timeMs - T0) / 1000, b.downloads]), [[0, 1], [2, 1], [5, 1], [9, 1], [70, 1]]);
  const quarter = histogramFor(db, { from: new Date(T0).toISOString(), to: new Date(T0 + 15 * 60_000).toISOString() }, 120);
  assert.equal(quarter.binMs, 10_000);
  assert.deepEqual(quarter.bins.map((b) => b.downloads), [4, 1]);
});

test('a range holding more downloads than fine bins may walk is drawn in whole hours from the summary; a short zoom in it still in seconds', (t) => {
  const { db } = leakCase(t);
  const limit = histogramLimits.fineBinsMax;
  t.after(() => { histogramLimits.fineBinsMax = limit; });
  histogramLimits.fineBinsMax = 4;
  const whole = histogramFor(db, {}, 120);
  assert.equal(whole.binMs, 3_600_000);
  assert.deepEqual(whole.bins.map((b) => [b.timeMs, b.downloads]), [[T0, 5]]);
  // Two minutes of the hour hold about 1/30 of its five downloads by the summary: walked, in seconds.
  const minute = histogramFor(db, { from: new Date(T0).toISOString(), to: new Date(T0 + 120_000).toISOString() }, 120);
  assert.equal(minute.binMs, 1000);
  assert.equal(minute.bins.length, 5);
  // Other filters are not answered by the summary and are walked as before.
  assert.equal(histogramFor(db, { actor: 'anonymous' }, 120).binMs, 30_000);
});

test('a substring, a key prefix or a bucket that no dictionary entry holds answers empty without walking the ledger; with a match it walks as before', (t) => {
  const { db } = leakCase(t);
  // Each check reads through a connection view of its own, whose statements are prepared afresh (the
  // statement cache is per connection object), so every query it runs is seen.
  const walked = (f: TimelineFilter) => {
    const seen: string[] = [];
    const view = Object.create(db, { prepare: { value: (text: string) => { seen.push(text); return db.prepare(text); } } }) as typeof db;
    const rows = timelinePage(view, f, null, 100).rows.map((r) => r.key);
    const position = timelinePosition(view, f, { index: 1 });
    return { rows, total: position.total, ledger: seen.some((s) => /download_ledger/.test(s)) };
  };
  for (const f of [{ keyPrefix: 'no-such', keyMatch: 'contains' }, { keyPrefix: 'no-such/' }, { bucket: 'no-such-bucket' }, { actor: 'no-such', actorMatch: 'contains' }] as TimelineFilter[]) {
    assert.deepEqual(walked(f), { rows: [], total: 0, ledger: false }, JSON.stringify(f));
  }
  assert.deepEqual(walked({ keyPrefix: 'db', keyMatch: 'contains' }), { rows: ['backups/db-2018.sql.gz', 'backups/DB-old.sql.gz'], total: 2, ledger: true });
  assert.deepEqual(walked({ actor: 'LEVEL1', actorMatch: 'contains' }), { rows: ['backups/db-2018.sql.gz'], total: 1, ledger: true });
});

test('a key substring whose objects hold few downloads is counted from the object index, with the counts the walk gives', (t) => {
  const db = newCase(t);
  // 40 objects, one of them "special", each read from several hours.
  addFile(db, Array.from({ length: 400 }, (_, i) => download({
    time: T0 + (i % 9) * 3_600_000 + i * 1000, key: i % 40 === 7 ? 'site/special-report.pdf' : `site/page-${i % 40}.html`, actor: 'anonymous', sourceIp: `198.51.100.${i % 5}`, requestId: `Q${i}`,
  })));
  deriveDownloads(db);
  const walked = (f: TimelineFilter) => [...allDownloads(db, f)];
  for (const f of [{ keyPrefix: 'special', keyMatch: 'contains' }, { keyPrefix: 'page-1', keyMatch: 'contains' }, { keyPrefix: 'special', keyMatch: 'contains', sourceIp: '198.51.100.2' }] as TimelineFilter[]) {
    const rows = walked(f);
    assert.ok(rows.length > 0, JSON.stringify(f));
    assert.equal(timelinePosition(db, f, undefined).total, rows.length, JSON.stringify(f));
    const h = histogramFor(db, f, 120);
    const bins = new Map<number, number>();
    for (const r of rows) bins.set(Math.floor(r.timeMs / h.binMs) * h.binMs, (bins.get(Math.floor(r.timeMs / h.binMs) * h.binMs) ?? 0) + 1);
    assert.deepEqual(h.bins.map((b) => [b.timeMs, b.downloads]), [...bins].sort((a, b) => a[0] - b[0]), JSON.stringify(f));
  }
  // One object of forty: its rows read from the object index; eleven of forty: the time index walked.
  assert.equal(countByObject(db, { keyPrefix: 'special', keyMatch: 'contains' }), true);
  assert.equal(countByObject(db, { keyPrefix: 'page-1', keyMatch: 'contains' }), false);
  const plan = (f: TimelineFilter) => {
    const q = sql`SELECT count(*) FROM download_ledger AS downloads WHERE ${join(filterConditions(f, 'source_ip', countByObject(db, f)), ' AND ')}`;
    return (db.prepare(`EXPLAIN QUERY PLAN ${q.text}`).all(...q.params) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
  };
  assert.match(plan({ keyPrefix: 'special', keyMatch: 'contains' }), /SEARCH downloads USING .*INDEX downloads_object \(object_id=\?\)/);
  assert.match(plan({ keyPrefix: 'page-1', keyMatch: 'contains' }), /^SCAN downloads/);
});
