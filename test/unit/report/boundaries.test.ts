// One rule at every boundary, one unit on every page, unknown never zero — over a real case: the
// timeline filter's SQL, the summaries, the exports, the report model and the printed PDF agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { main } from '../../../main/cli';
import { actorSummaries, analysisConditions, computeExposure, objectSummaries } from '../../../main/case/analysis';
import { openReadable, type ReadableDB } from '../../../main/case/db';
import { allDownloads } from '../../../main/case/timeline';
import { EXPORT_COLUMNS } from '../../../main/report/export';
import { renderReportHtml } from '../../../main/report/html';
import { caseAnalysis, reportModelFromCase } from '../../../main/report/load';
import { exposureClassifier } from '../../../shared/exposure-rule';
import { parseCsv } from './csv-parse';
import { BUCKET, LATER_BUCKET, T0, T1 } from './evidence';
import { boundaryCase, captureIo, flat, pdfText } from './support';

describe('boundaries, units and unknowns (one case, every output)', () => {
  let kase: Awaited<ReturnType<typeof boundaryCase>>;
  let db: ReadableDB;
  before(async () => {
    kase = await boundaryCase();
    db = openReadable(kase.casePath);
  });
  const keysOf = (exposure: 'inside' | 'boundary' | 'outside') =>
    [...allDownloads(db, { bucket: BUCKET }, analysisConditions(db, { exposure }))].map((r) => r.key);

  it('the timeline filter (SQL) puts a download in the same second as the opening or closing change at the boundary, and only there', () => {
    assert.deepEqual(keysOf('boundary'), ['db/edge-open.sql.gz', 'db/edge-close.sql.gz']);
    const inside = keysOf('inside');
    const outside = keysOf('outside');
    assert.ok(!inside.includes('db/edge-open.sql.gz') && !inside.includes('db/edge-close.sql.gz'));
    assert.ok(!outside.includes('db/edge-open.sql.gz') && !outside.includes('db/edge-close.sql.gz'));
    assert.equal(inside.length, 8, 'six access-log downloads and two CloudTrail-only ones inside');
    assert.deepEqual(outside, ['db/prod-2017-08-09.sql.gz', 'db/prod-2017-08-10.sql.gz'], 'before opening and after closing');
    // The three classes split the bucket's downloads exactly.
    assert.equal(inside.length + outside.length + 2, [...allDownloads(db, { bucket: BUCKET })].length);
    // The app's classifier (the same shared function) agrees with the SQL on every row.
    const classify = exposureClassifier(computeExposure(db));
    for (const r of allDownloads(db, {})) {
      const cls = classify(r);
      assert.ok(keysOfAll(cls).includes(r.id), `${r.key} at ${r.time}: ${cls}`);
    }
  });
  const keysOfAll = (exposure: 'inside' | 'boundary' | 'outside') => [...allDownloads(db, {}, analysisConditions(db, { exposure }))].map((r) => r.id);

  it('the summaries count boundary downloads apart, and keep unknown bytes unknown with how many rows they cover', () => {
    const actors = actorSummaries(db);
    const edge = actors.find((a) => a.actorKey === 'anonymous@198.51.100.99')!;
    assert.deepEqual([edge.downloads, edge.downloadsInExposure, edge.downloadsAtBoundary], [2, 0, 2]);
    const ct = actors.find((a) => a.actor === 'arn:aws:iam::111122223333:user/ct-reader')!;
    assert.deepEqual([ct.downloads, ct.bytes, ct.bytesUnknown, ct.completenessUnknown, ct.downloadsInExposure], [2, 0, 2, 2, 2]);
    const known = actors.find((a) => a.actorKey === 'anonymous@203.0.113.7')!;
    assert.equal(known.bytesUnknown, 0);
    const obj = objectSummaries(db).find((o) => o.key === 'db/ct-only-1.sql.gz')!;
    assert.deepEqual([obj.downloads, obj.bytesOut, obj.bytesUnknown, obj.size], [1, 0, 1, null]);
  });

  it('bounds an open window by its own bucket\'s evidence, not by another bucket\'s 2010 log', () => {
    const w = computeExposure(db).find((x) => x.bucket === LATER_BUCKET)!;
    assert.deepEqual([w.fromMs, w.toMs], [null, null]);
    assert.deepEqual(w.bucketEvidence, { fromMs: T0 + 10 * 3600e3, toMs: T0 + 20 * 3600e3 });
    const closed = computeExposure(db).find((x) => x.bucket === BUCKET)!;
    assert.equal(closed.bucketEvidence, undefined, 'a window with both changes in the evidence needs no bound');
  });

  it('exports carry the class of every row in an exposure column, the same as the filter', async () => {
    const out = join(kase.dir, 'all.csv');
    const c = captureIo();
    assert.equal(await main(['export', '--case', kase.casePath, '--format', 'csv', '--out', out], c.io), 0, c.err());
    const rows = parseCsv(readFileSync(out, 'utf8'));
    assert.deepEqual(rows[0], [...EXPORT_COLUMNS]);
    const col = (name: string) => EXPORT_COLUMNS.indexOf(name as (typeof EXPORT_COLUMNS)[number]);
    const cls = new Map(rows.slice(1).map((r) => [r[col('key')], r[col('exposure')]]));
    assert.equal(cls.get('db/edge-open.sql.gz'), 'boundary');
    assert.equal(cls.get('db/edge-close.sql.gz'), 'boundary');
    assert.equal(cls.get('db/ct-only-1.sql.gz'), 'inside');
    assert.equal(cls.get('ledger-2009.csv'), 'outside');
    const ct = rows.slice(1).find((r) => r[col('key')] === 'db/ct-only-1.sql.gz')!;
    assert.equal(ct[col('bytes_sent')], '', 'unknown bytes are an empty cell, never 0');

    const only = join(kase.dir, 'boundary.jsonl');
    assert.equal(await main(['export', '--case', kase.casePath, '--format', 'jsonl', '--exposure', 'boundary', '--out', only], c.io), 0, c.err());
    const lines = readFileSync(only, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { key: string; exposure: string });
    assert.deepEqual(lines.map((l) => [l.key, l.exposure]), [['db/edge-open.sql.gz', 'boundary'], ['db/edge-close.sql.gz', 'boundary']]);
    const ts = join(kase.dir, 'ts.csv');
    assert.equal(await main(['export', '--case', kase.casePath, '--format', 'timesketch', '--exposure', 'boundary', '--out', ts], c.io), 0, c.err());
    assert.match(readFileSync(ts, 'utf8'), /at the boundary of an exposure window \(same second as the change\)/);
    assert.equal(await main(['export', '--case', kase.casePath, '--format', 'csv', '--exposure', 'sideways', '--out', ts], c.io), 2);
  });

  it('the command line says the same: timeline --json carries each class, text says unknown, summary bounds the open window', async () => {
    const c = captureIo();
    assert.equal(await main(['timeline', '--case', kase.casePath, '--json'], c.io), 0, c.err());
    const json = JSON.parse(c.out()) as { downloads: Array<{ key: string; exposure: string; bytesSent: number | null }> };
    assert.deepEqual(json.downloads.filter((d) => d.exposure === 'boundary').map((d) => d.key), ['db/edge-open.sql.gz', 'db/edge-close.sql.gz']);
    assert.equal(json.downloads.find((d) => d.key === 'db/ct-only-1.sql.gz')!.bytesSent, null);
    const t = captureIo();
    assert.equal(await main(['timeline', '--case', kase.casePath, '--bucket', BUCKET], t.io), 0, t.err());
    assert.match(t.out(), /db\/ct-only-1\.sql\.gz  bytes unknown  completeness unknown  while exposed/);
    assert.match(t.out(), /db\/edge-close\.sql\.gz  2000 bytes  complete  at the exposure boundary/);
    const s = captureIo();
    assert.equal(await main(['summary', '--case', kase.casePath], s.io), 0, s.err());
    assert.match(s.out(), /ct-reader: 2 downloads, bytes sent unknown \(bytes not logged for either download\), 0 complete copies \(completeness unknown for 2\)/);
    assert.match(s.out(), /anonymous@198\.51\.100\.99: 2 downloads, 3000 bytes sent, 2 complete copies of 2 objects, 2 at the boundary of a window/);
    assert.match(s.out(), /s3:\/\/acme-media-2017: readable by anyone from \(open before the bucket's evidence starts at 2017-08-11 19:15:00 UTC\)/);
  });

  it('the report model counts boundary downloads apart and never calls unknown bytes 0', () => {
    const m = reportModelFromCase(db, { generatedAt: '2017-08-20T10:00:00Z' }, caseAnalysis(db));
    assert.equal(m.totals.atBoundary, 2);
    assert.equal(m.totals.inExposure, 10, 'eight in the bucket, two in the bucket already public');
    assert.equal(m.totals.bytesUnknown, 2);
    const w = m.exposures.find((x) => x.bucket === BUCKET)!;
    assert.deepEqual([w.downloads, w.atBoundary], [8, 2]);
    const edge = m.summary.find((s) => /same second as a change that opened or closed exposure/.test(s.text));
    assert.ok(edge, 'a sentence says what happened at the boundary');
    assert.match(edge.text, /^2 downloads happened in the same second/);
    const during = m.summary.find((s) => s.text.startsWith('During that time'))!;
    assert.ok(during.basis.some((b) => /^10 successful downloads, ≥ [\d,]+ bytes sent; bytes unknown for 2 of 10 downloads$/.test(b)), during.basis.join(' | '));
    const ct = m.actors.find((a) => a.actor === 'arn:aws:iam::111122223333:user/ct-reader')!;
    assert.deepEqual([ct.bytes, ct.bytesUnknown, ct.completenessUnknown], [0, 2, 2]);
    const rows = m.groups.flatMap((g) => g.rows);
    assert.deepEqual(rows.filter((r) => r.exposure === 'boundary').map((r) => r.time), [T0, T1]);
    const later = m.exposures.find((x) => x.bucket === LATER_BUCKET)!;
    assert.deepEqual([later.evidenceFrom, later.evidenceTo], [T0 + 10 * 3600e3, T0 + 20 * 3600e3]);
    const band = m.chart!.exposures.find((b) => b.label.startsWith(LATER_BUCKET))!;
    assert.ok(band.from >= T0, `the band starts with its bucket's evidence, not in 2010 (${new Date(band.from).toISOString()})`);
    assert.ok(m.methodology.derivation.some((d) => d.includes('Sizes use decimal units (1 KB = 1,000 bytes')));
    assert.ok(m.methodology.derivation.some((d) => /2 of 15 downloads logged no bytes sent/.test(d)));
    const page = renderReportHtml(m).replace(/&#39;|&#x27;/g, "'");
    assert.match(page, /open before the bucket's evidence starts at 2017-08-11 19:15:00/);
  });

  it('a report of 2010 does not show the 2017 bucket as exposed then', () => {
    const m = reportModelFromCase(db, { generatedAt: '2017-08-20T10:00:00Z', to: '2011-01-01T00:00:00Z' }, caseAnalysis(db));
    assert.equal(m.totals.downloads, 1);
    assert.deepEqual(m.exposures.map((w) => w.bucket), []);
  });

  it('a bucket whose every download lacks bytes reads "unknown", not "0 bytes"', () => {
    const m = reportModelFromCase(db, { generatedAt: '2017-08-20T10:00:00Z', from: new Date(T0 + 3 * 3600e3).toISOString(), to: new Date(T0 + 5 * 3600e3).toISOString() }, caseAnalysis(db));
    assert.equal(m.totals.downloads, 2);
    const basis = m.summary.flatMap((s) => s.basis).join(' | ');
    assert.match(basis, /2 successful downloads, bytes sent unknown \(bytes not logged for either download\)/);
    assert.doesNotMatch(basis, /\b0 bytes/);
    const page = flat(renderReportHtml(m));
    assert.match(page, /<div class="n">unknown<\/div><div class="l">sent in total; bytes not logged for either download<\/div>/);
  });

  it('prints all of it in the PDF (read back with pdftotext)', async () => {
    const pdf = join(kase.dir, 'report.pdf');
    const c = captureIo();
    assert.equal(await main(['report', '--case', kase.casePath, '--out', pdf, '--date', '2017-08-20T10:00:00Z'], c.io), 0, c.err());
    const text = flat(pdfText(pdf));
    assert.match(text, /2 downloads happened in the same second as a change that opened or closed exposure/);
    assert.match(text, /counted at the boundary, neither inside nor outside the exposure windows/);
    assert.match(text, /\+2 at the boundary/);
    assert.match(text, /bytes unknown for 2 of 15 downloads/);
    assert.match(text, /Sizes use decimal units \(1 KB = 1,000 bytes/);
    assert.match(text, /open before the bucket's evidence starts at 2017-08-11 19:15:00/);
    assert.match(text, /it already was|throughout its evidence/);
    assert.match(text, /The bucket acme-media-2017 was readable by anyone throughout its evidence, from 11 Aug 2017 19:15 UTC to 12 Aug 2017 05:15 UTC\./);
    assert.doesNotMatch(text, /acme-media-2017 was readable by anyone[^.]*2010/, 'never from the other bucket\'s 2010 evidence');
  });
});
