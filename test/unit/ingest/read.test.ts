import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseFile, type ParsedBatch } from '../../../main/ingest/parse-file';
import { chunksOf, readText, readWholeFile } from '../../../main/ingest/read';
import { rowNumber } from '../../../main/ingest/rows';
import { RowsDigest } from '../../../main/ingest/rows-digest';
import { formatByName } from '../../../main/ingest/registry';
import { examine } from '../../../main/import/parse-contract';
import { publicSample, tempDir } from '../../support/paths';
import { cloudTrailGetObject, trailFileText } from '../../support/synth';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function streamed(path: string): Promise<string> {
  let text = '';
  for await (const chunk of readText(path)) text += chunk;
  return text;
}

async function batches(path: string, format: Parameters<typeof parseFile>[1], whole?: ReturnType<typeof readWholeFile>): Promise<ParsedBatch[]> {
  const out: ParsedBatch[] = [];
  for await (const b of parseFile(path, format, { whole, batchSize: 50 })) out.push(b);
  return out;
}

/** The row digest the writer takes of these batches. */
function digestOf(bs: ParsedBatch[]): string {
  const d = new RowsDigest();
  for (const b of bs) d.addRows(b.rows);
  return d.hex();
}

function flat(bs: ParsedBatch[]) {
  return {
    events: bs.flatMap((b) => b.events), nks: bs.flatMap((b) => Array.from({ length: b.rows.count }, (_, i) => rowNumber(b.rows, i, 'nk'))), rejects: bs.flatMap((b) => b.rejects),
    records: bs.reduce((n, b) => n + b.records, 0), bytes: bs.reduce((n, b) => n + b.bytes, 0), digest: digestOf(bs),
  };
}

test('a small file read whole has the hash of its stored bytes and the text streaming gives, gzip or not, BOM dropped', async (t) => {
  const dir = tempDir(t);
  const lines = readFileSync(publicSample('ralf/amazon.alf'), 'utf8');
  const cases: Array<[string, Buffer]> = [
    ['plain', Buffer.from(lines)],
    ['bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines)])],
    ['gz', gzipSync(lines)],
    ['two-members.gz', Buffer.concat([gzipSync(lines.slice(0, 100)), gzipSync(lines.slice(100))])],
  ];
  for (const [name, bytes] of cases) {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const whole = readWholeFile(path);
    assert.ok(whole, name);
    assert.equal(whole.sha256, sha256(bytes), name);
    assert.equal(whole.size, bytes.length, name);
    assert.equal(whole.text, await streamed(path), name);
    assert.equal(whole.text, lines, name);
  }
});

test('large files, gzip that would expand past the memory cap, and damaged gzip are left to the stream', (t) => {
  const dir = tempDir(t);
  const big = join(dir, 'big.log');
  writeFileSync(big, Buffer.alloc(8 * 1024 * 1024 + 1, 0x61));
  assert.equal(readWholeFile(big), null);
  const bomb = join(dir, 'bomb.gz');
  writeFileSync(bomb, gzipSync(Buffer.alloc(33 * 1024 * 1024, 0x61)));
  assert.ok(statSync(bomb).size < 1024 * 1024);
  assert.equal(readWholeFile(bomb), null);
  const cut = join(dir, 'cut.json.gz');
  const gz = gzipSync(trailFileText([cloudTrailGetObject({ time: 0, bucket: 'b', key: 'k', ip: '192.0.2.1', requestId: 'R', hostId: 'H', eventId: 'E' })]));
  writeFileSync(cut, gz.subarray(0, gz.length - 20));
  assert.equal(readWholeFile(cut), null);
});

test('chunks of a whole file share out its stored size and put its text back together', () => {
  const text = 'x'.repeat(2.5 * 1024 * 1024);
  let bytes = 0;
  const chunks = [...chunksOf({ sha256: '', size: 1000, text }, (n) => { bytes += n; })];
  assert.equal(chunks.length, 3);
  assert.equal(chunks.join(''), text);
  assert.equal(bytes, 1000);
  let empty = 0;
  assert.deepEqual([...chunksOf({ sha256: '', size: 20, text: '' }, (n) => { empty += n; })], []);
  assert.equal(empty, 20);
});

test('parsing a file read whole gives the batches streaming gives: events, rejects, byte counts and row digest', async (t) => {
  const dir = tempDir(t);
  const trail = join(dir, 'trail.json.gz');
  const recs = Array.from({ length: 120 }, (_, i) => cloudTrailGetObject({ time: Date.UTC(2020, 0, 1, 0, i), bucket: 'b', key: `k${i}`, ip: '192.0.2.1', requestId: `R${i}`, hostId: 'H', eventId: `E${i}` }));
  writeFileSync(trail, gzipSync(trailFileText(recs).replace('"E7"', '"E7", "eventTime": 12')));
  // Documents the whole-document parse must hand back to the record-by-record road: cut short, and with
  // a repeated "Records" key (JSON.parse keeps the last array, the scanner reads the first).
  const cut = join(dir, 'cut.json');
  const text = trailFileText(recs.slice(0, 5));
  writeFileSync(cut, text.slice(0, text.length - 200));
  const twice = join(dir, 'twice.json');
  writeFileSync(twice, `{"Records":[${JSON.stringify(recs[0])}],"Records":[${JSON.stringify(recs[1])}]}`);
  const samples: Array<[string, string]> = [
    [trail, 'cloudtrail-file'], [cut, 'cloudtrail-file'], [twice, 'cloudtrail-file'],
    ...readdirSync(publicSample('ralf')).filter((f) => f !== 'LICENSE.txt').map((f): [string, string] => [publicSample('ralf', f), 's3-access-log']),
  ];
  for (const [path, name] of samples) {
    const format = formatByName(name as 's3-access-log');
    if (format.kind === 'evidence-only') throw new Error('not parseable');
    const whole = readWholeFile(path);
    assert.ok(whole);
    // Where batches are cut is not part of the result; what they hold together is.
    const a = flat(await batches(path, format, whole));
    const b = flat(await batches(path, format));
    assert.deepEqual(a, b, path);
    assert.equal(a.bytes, statSync(path).size, path);
    assert.ok(a.events.length > 0, path);
    if (path === trail) assert.equal(a.rejects.length, 1, 'the damaged record is rejected on both roads');
  }
});

test('examine identifies a small file from one read and hands its text on; a large one is hashed as a stream', async (t) => {
  const dir = tempDir(t);
  const small = join(dir, 'trail.json');
  writeFileSync(small, trailFileText([cloudTrailGetObject({ time: 0, bucket: 'b', key: 'k', ip: '192.0.2.1', requestId: 'R', hostId: 'H', eventId: 'E' })]));
  const a = await examine(small);
  assert.equal(a.facts.kind === 'evidence' && a.facts.sha256, sha256(readFileSync(small)));
  assert.equal(a.whole?.text, readFileSync(small, 'utf8'));
  const large = join(dir, 'large.log');
  const line = readFileSync(publicSample('ralf/amazon.alf'), 'utf8').split('\n')[0];
  writeFileSync(large, `${line}\n`.repeat(Math.ceil((9 * 1024 * 1024) / (line.length + 1))));
  const b = await examine(large);
  assert.equal(b.whole, null);
  assert.deepEqual(b.facts.kind === 'evidence' && [b.facts.format, b.facts.sha256], ['s3-access-log', sha256(readFileSync(large))]);
});
