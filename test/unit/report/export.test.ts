// Timeline exports from a real case: CSV round trip, JSON lines, Timesketch's columns, and
// spreadsheet formula injection neutralised.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { DownloadRow } from '../../../shared/api';
import { main } from '../../../main/cli';
import { listCustody } from '../../../main/case/custody';
import { openReadable } from '../../../main/case/db';
import { allDownloads } from '../../../main/case/timeline';
import { csvCell, neutralise } from '../../../main/report/csv';
import { EXPORT_COLUMNS, exportRecord, writeExport } from '../../../main/report/export';
import { answersDigest } from '../../../main/integrity/answers-digest';
import { Namer } from '../../../main/report/redact';
import { computeExposure } from '../../../main/case/analysis';
import { exposureClassifier, type ExposureClass } from '../../../shared/exposure-rule';
import { parseCsv } from './csv-parse';
import { FORMULA_UA, HOSTILE_KEY, HOSTILE_UA } from './evidence';
import { captureIo, smallCase } from './support';

/** The case's answers digest, which the CLI's exports carry on every row. */
let digest: string | null = null;

function expectedCells(r: DownloadRow, exposure: ExposureClass): string[] {
  const rec = exportRecord(r, new Namer(false), exposure, digest);
  return EXPORT_COLUMNS.map((c) => {
    const v = rec[c];
    return v === null ? '' : typeof v === 'string' ? neutralise(v) : String(v);
  });
}

describe('timeline export', () => {
  let kase: Awaited<ReturnType<typeof smallCase>>;
  let rows: DownloadRow[];
  let classify: (r: DownloadRow) => ExposureClass;
  before(async () => {
    kase = await smallCase();
    const db = openReadable(kase.casePath);
    rows = [...allDownloads(db, {})];
    classify = exposureClassifier(computeExposure(db));
    digest = answersDigest(db);
    db.close();
  });

  it('CSV round-trips: export, parse, the same rows and cells', async () => {
    const out = join(kase.dir, 'timeline.csv');
    const c = captureIo();
    assert.equal(await main(['export', '--case', kase.casePath, '--format', 'csv', '--out', out], c.io), 0, c.err());
    const parsed = parseCsv(readFileSync(out, 'utf8'));
    assert.deepEqual(parsed[0], [...EXPORT_COLUMNS]);
    assert.equal(parsed.length - 1, rows.length);
    assert.equal(rows.length, 8);
    parsed.slice(1).forEach((cells, i) => assert.deepEqual(cells, expectedCells(rows[i], classify(rows[i]))));
    assert.deepEqual(parsed.slice(1).map((p) => p[EXPORT_COLUMNS.indexOf('exposure')]),
      ['outside', 'inside', 'inside', 'inside', 'inside', 'inside', 'inside', 'outside'], 'every row classified by the one rule');
    const hostile = parsed.find((p) => p[EXPORT_COLUMNS.indexOf('key')] === HOSTILE_KEY);
    assert.ok(hostile, 'the key with markup survives as is');
    assert.equal(hostile[EXPORT_COLUMNS.indexOf('user_agent')], HOSTILE_UA);
  });

  it('neutralises cells a spreadsheet would run as formulas, and only those', () => {
    for (const bad of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', FORMULA_UA]) assert.equal(neutralise(bad), `'${bad}`);
    for (const ok of ['curl/7.54.0', 'a=b', '', 'anonymous']) assert.equal(neutralise(ok), ok);
    assert.equal(csvCell(-5), '-5', 'numbers stay numbers');
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    const out = join(kase.dir, 'formula.csv');
    writeExport(rows, 'csv', out);
    const parsed = parseCsv(readFileSync(out, 'utf8'));
    const ua = parsed.slice(1).map((p) => p[EXPORT_COLUMNS.indexOf('user_agent')]);
    assert.ok(ua.includes(`'${FORMULA_UA}`));
    assert.ok(!ua.includes(FORMULA_UA));
  });

  it('JSON lines carry the raw values, one object per download', () => {
    const out = join(kase.dir, 'timeline.jsonl');
    const res = writeExport(rows, 'jsonl', out);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(res.rows, 8);
    assert.equal(lines.length, 8);
    assert.deepEqual(lines[0], exportRecord(rows[0], new Namer(false)));
    assert.ok(lines.some((l) => l.user_agent === FORMULA_UA), 'JSON is not a spreadsheet: no apostrophe');
    assert.equal(res.sha256, createHash('sha256').update(readFileSync(out)).digest('hex'));
  });

  it('Timesketch CSV has message, timestamp, datetime (ISO 8601 with offset) and timestamp_desc first', () => {
    const out = join(kase.dir, 'timesketch.csv');
    writeExport(rows, 'timesketch', out);
    const [head, ...body] = parseCsv(readFileSync(out, 'utf8'));
    assert.deepEqual(head.slice(0, 4), ['message', 'timestamp', 'datetime', 'timestamp_desc']);
    assert.deepEqual(head.slice(4), [...EXPORT_COLUMNS]);
    assert.equal(body.length, 8);
    const first = body.find((b) => b[head.indexOf('source_ip')] === '203.0.113.7')!;
    assert.equal(first[2], '2017-08-11T11:15:00.000+00:00');
    assert.equal(first[1], String(Date.parse('2017-08-11T11:15:00Z') * 1000));
    assert.equal(first[3], 'Object downloaded');
    assert.equal(first[0], 'anonymous (203.0.113.7) downloaded s3://acme-backups-prod/db/prod-2017-08-10.sql.gz (851300000 bytes, complete copy)');
  });

  it('filters like the timeline, redacts on request, and logs the export in custody', async () => {
    const out = join(kase.dir, 'filtered.csv');
    const c = captureIo();
    assert.equal(await main(['export', '--case', kase.casePath, '--format', 'csv', '--out', out, '--from', '2017-08-11T00:00:00Z',
      '--to', '2017-08-13T00:00:00Z', '--redact'], c.io), 0, c.err());
    const [, ...body] = parseCsv(readFileSync(out, 'utf8'));
    assert.deepEqual(body.map((b) => b[EXPORT_COLUMNS.indexOf('source_ip')]), ['IP-1', 'IP-1', 'IP-2', 'IP-2']);
    const db = openReadable(kase.casePath);
    const last = listCustody(db).at(-1)!;
    db.close();
    assert.equal(last.action, 'export');
    const details = JSON.parse(last.details);
    assert.equal(details.rows, 4);
    assert.equal(details.sha256, createHash('sha256').update(readFileSync(out)).digest('hex'));
  });

  it('refuses an unknown format with the list of known ones', async () => {
    const c = captureIo();
    assert.equal(await main(['export', '--case', kase.casePath, '--format', 'xlsx', '--out', join(kase.dir, 'x')], c.io), 2);
    assert.match(c.err(), /--format must be one of csv, jsonl, timesketch/);
  });
});
