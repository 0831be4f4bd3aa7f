// Hostile input: a record or line far past its limit, and a gzip bomb, are rejected as soon as the
// limit is crossed, with their position and reason, and the file's other records are kept.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { JsonArrayScanner, JsonRecordTooLongError } from '../../../main/ingest/json-scan';
import { INFLATE_FREE_BYTES, MAX_JSON_RECORD_CHARS, MAX_LOG_LINE_CHARS } from '../../../main/ingest/limits';
import { parseFile, type ParsedBatch } from '../../../main/ingest/parse-file';
import { readWholeFile } from '../../../main/ingest/read';
import { formatByName } from '../../../main/ingest/registry';
import { tempDir } from '../../support/paths';
import { accessLogLine, cloudTrailGetObject, trailFileText } from '../../support/synth';

const record = (i: number, userAgent?: string) =>
  cloudTrailGetObject({ time: Date.UTC(2024, 0, 1) + i * 1000, bucket: 'b', key: `k${i}`, ip: '192.0.2.1', requestId: `R${i}`, hostId: 'H', eventId: `e-${i}`, userAgent });
const line = (i: number) => accessLogLine({ time: Date.UTC(2024, 0, 1) + i * 1000, bucket: 'b', key: `k${i}`, ip: '192.0.2.1', requestId: `R${i}`, hostId: 'H' });

async function parsed(path: string, format: string, whole = false) {
  const f = formatByName(format as never);
  if (f.kind === 'evidence-only') throw new Error('not parseable');
  const out: ParsedBatch[] = [];
  for await (const b of parseFile(path, f, { whole: whole ? readWholeFile(path) : null })) out.push(b);
  return { events: out.flatMap((b) => b.events), rejects: out.flatMap((b) => b.rejects), records: out.reduce((n, b) => n + b.records, 0) };
}

test('the scanner gives up on a record as soon as it is past its limit, without waiting for the rest of it', () => {
  const s = new JsonArrayScanner('Records', 1000);
  assert.deepEqual(s.push('{"Records":[{"a":1},{"ua":"'), ['{"a":1}']);
  s.push('x'.repeat(900));
  // Every further chunk would be more of the same record: it throws on the one that crosses the limit.
  assert.throws(() => s.push('x'.repeat(200)), (e: unknown) => e instanceof JsonRecordTooLongError && /record 2 is longer than 1,000 characters/.test(e.message) && e.head.startsWith('{"ua":"xxx'));
});

test('a trail file read whole keeps every record but the one past the limit', async (t) => {
  const path = join(tempDir(t), 'trail.json.gz');
  writeFileSync(path, gzipSync(trailFileText([record(1), record(2, 'A'.repeat(2 * MAX_JSON_RECORD_CHARS)), record(3)])));
  const { events, rejects, records } = await parsed(path, 'cloudtrail-file', true);
  assert.deepEqual(events.map((e) => e.eventId), ['e-1', 'e-3']);
  assert.equal(records, 3);
  assert.equal(rejects.length, 1);
  assert.equal(rejects[0].locator, 2);
  assert.match(rejects[0].reason, /record 2 is longer than 1,048,576 characters/);
  assert.ok(rejects[0].text.length < 2000, 'only the head of the monster is kept');
});

test('a streamed trail file whose record is far past the limit: the records before it are kept, the rest of the file rejected with the reason', async (t) => {
  const path = join(tempDir(t), 'monster.json.gz');
  // 40 MB inflated: past what is read whole, so the stream reads it (600 KB of gzip would inflate to 600 MB the same way).
  writeFileSync(path, gzipSync(trailFileText([record(1), record(2), record(3, 'A'.repeat(40 * 1024 * 1024)), record(4)])));
  assert.equal(readWholeFile(path), null);
  const { events, rejects } = await parsed(path, 'cloudtrail-file');
  assert.deepEqual(events.map((e) => e.eventId), ['e-1', 'e-2']);
  assert.equal(rejects.length, 1);
  assert.equal(rejects[0].locator, 3);
  assert.match(rejects[0].reason, /record 3 is longer than 1,048,576 characters .*the rest of the file are not read/);
  assert.ok(rejects[0].text.startsWith('{"eventVersion"'));
});

test('an access-log line past the limit is rejected and the lines after it kept, in one chunk or across many', async (t) => {
  const dir = tempDir(t);
  for (const size of [MAX_LOG_LINE_CHARS + 10, 5 * 1024 * 1024]) {
    const path = join(dir, `log-${size}`);
    writeFileSync(path, `${line(1)}\n${line(2).replace('curl/8.4.0', 'x'.repeat(size))}\n${line(3)}\n${line(4)}\n`);
    const { events, rejects, records } = await parsed(path, 's3-access-log');
    assert.deepEqual(events.map((e) => e.requestId), ['R1', 'R3', 'R4'], `${size}`);
    assert.equal(records, 4);
    assert.equal(rejects.length, 1);
    assert.equal(rejects[0].locator, 2);
    assert.match(rejects[0].reason, /line 2 is longer than 65,536 characters/);
  }
});

test('a gzip bomb is read up to its inflate limit: the lines before are kept, the rest is one reject saying why', async (t) => {
  const path = join(tempDir(t), 'bomb.gz');
  const one = `${line(1)}\n`;
  const text = one.repeat(Math.ceil((INFLATE_FREE_BYTES + 8 * 1024 * 1024) / one.length));
  const gz = gzipSync(text);
  assert.ok(gz.length * 100 < INFLATE_FREE_BYTES, 'inflates more than 100×');
  writeFileSync(path, gz);
  const { events, rejects } = await parsed(path, 's3-access-log');
  assert.ok(events.length > 0 && events.length * one.length <= INFLATE_FREE_BYTES, `${events.length} lines kept`);
  assert.equal(rejects.length, 1);
  assert.equal(rejects[0].locator, events.length + 1);
  assert.match(rejects[0].reason, /inflates to more than 67,108,864 bytes .*gzip bomb/);
});
