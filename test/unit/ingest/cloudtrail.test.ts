import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { cloudTrailArray, cloudTrailFile, cloudTrailLines } from '../../../main/ingest/formats/cloudtrail';
import { lookupEventsLines, lookupEvents } from '../../../main/ingest/formats/lookup-events';
import type { DocumentFormat, LineFormat } from '../../../main/ingest/formats/types';
import { parseFile } from '../../../main/ingest/parse-file';
import { detect } from '../../../main/ingest/registry';
import { readHead } from '../../../main/ingest/read';
import type { NormalizedEvent, Reject } from '../../../shared/events';
import { cloudTrailGetObject, trailFileText } from '../../support/synth';
import { publicSample, tempDir } from '../../support/paths';

async function parseAll(path: string, format: LineFormat | DocumentFormat) {
  const events: NormalizedEvent[] = [];
  const rejects: Reject[] = [];
  for await (const b of parseFile(path, format, { batchSize: 100 })) {
    events.push(...b.events);
    rejects.push(...b.rejects);
  }
  return { events, rejects };
}

test('invictus-ir trail files: 2,900 records in 55 files, none rejected, raw kept verbatim', async () => {
  const dir = publicSample('invictus-ir/CloudTrail');
  let total = 0;
  for (const f of readdirSync(dir)) {
    const path = join(dir, f);
    assert.equal(detect(await readHead(path), path)?.name, 'cloudtrail-file', f);
    const { events, rejects } = await parseAll(path, cloudTrailFile);
    assert.deepEqual(rejects, [], f);
    for (const e of events) assert.deepEqual(Object.keys(JSON.parse(e.raw)).slice(0, 1), ['eventVersion']);
    total += events.length;
  }
  assert.equal(total, 2900);
});

test('invictus-ir: PutBucketPolicy is a policy change; AwsServiceEvent records without userIdentity.type parse', async () => {
  const dir = publicSample('invictus-ir/CloudTrail');
  const all: NormalizedEvent[] = [];
  for (const f of readdirSync(dir)) all.push(...(await parseAll(join(dir, f), cloudTrailFile)).events);
  const policies = all.filter((e) => e.action === 'PutBucketPolicy');
  assert.equal(policies.length, 3);
  assert.ok(policies.every((e) => e.kind === 'policy-change' && e.bucket));
  assert.ok(all.some((e) => e.action === 'StopLogging' && e.kind === 'logging-change'));
  const serviceEvents = all.filter((e) => JSON.parse(e.raw).eventType === 'AwsServiceEvent');
  assert.ok(serviceEvents.length > 0);
  assert.ok(serviceEvents.every((e) => e.time > 0));
});

test('a CloudTrail S3 data event: bucket, key, bytes and host id from their places in the record', async () => {
  const { events, rejects } = await parseAll(publicSample('elastic-integrations/cloudtrail/test-copy-object-json.log'), cloudTrailLines);
  assert.deepEqual(rejects, []);
  const e = events[0];
  const raw = JSON.parse(e.raw);
  assert.equal(e.action, 'CopyObject');
  assert.equal(e.kind, 'upload');
  assert.equal(e.bucket, raw.requestParameters.bucketName);
  assert.equal(e.key, raw.requestParameters.key);
  assert.equal(e.bytesSent, raw.additionalEventData.bytesTransferredOut);
  assert.equal(e.hostId, raw.additionalEventData['x-amz-id-2']);
  assert.equal(e.requestId, raw.requestID);
  assert.equal(e.eventId, raw.eventID);
  assert.equal(e.time, Date.parse(raw.eventTime));
});

test('stratus-red-team bare arrays and the OTRF Logstash export (time from @timestamp)', async () => {
  const arr = await parseAll(publicSample('stratus-red-team/aws.credential-access.ec2-steal-instance-credentials.json'), cloudTrailArray);
  assert.equal(arr.events.length, 45);
  assert.deepEqual(arr.rejects, []);
  const lines = await parseAll(publicSample('otrf/ec2_proxy_s3_exfiltration_2020-09-14011940.json'), cloudTrailLines);
  assert.equal(lines.events.length, 103);
  const gets = lines.events.filter((e) => e.kind === 'download');
  assert.equal(gets.length, 2, 'ring.txt was downloaded twice');
  assert.ok(gets.every((e) => e.key === 'ring.txt' && e.actorType === 'AssumedRole'));
  assert.equal(gets[0].time, Date.parse(JSON.parse(gets[0].raw)['@timestamp']));
});

test('plaso LookupEvents lines: EventTime with a +11:00 offset is the same instant as the record', async () => {
  const { events, rejects } = await parseAll(publicSample('plaso/aws_cloudtrail.jsonl'), lookupEventsLines);
  assert.deepEqual(rejects, []);
  assert.ok(events.length >= 5);
  const first = events[0];
  assert.equal(first.time, Date.parse('2022-02-08T09:23:37+11:00'));
  assert.equal(first.eventId, '0828c0d2-3589-4390-b954-c78b4a7df44b');
  assert.ok(JSON.parse(first.raw).CloudTrailEvent, 'the raw record is the LookupEvents Event');
});

test('anonymous GetObject data events become downloads by "anonymous"', async (t) => {
  const dir = tempDir(t);
  const rec = cloudTrailGetObject({ time: Date.parse('2017-08-12T03:11:40Z'), bucket: 'voter-backups', key: 'db/voters 2017.sql.gz', ip: '198.51.100.7', requestId: 'R1', hostId: 'H1', eventId: 'E1', bytesSent: 1024 });
  writeFileSync(join(dir, 'x.json.gz'), gzipSync(trailFileText([rec])));
  const path = join(dir, 'x.json.gz');
  assert.equal(detect(await readHead(path), path)?.name, 'cloudtrail-file');
  const { events } = await parseAll(path, cloudTrailFile);
  assert.equal(events[0].actor, 'anonymous');
  assert.equal(events[0].actorType, 'anonymous');
  assert.equal(events[0].accountId, null);
  assert.equal(events[0].kind, 'download');
  assert.equal(events[0].key, 'db/voters 2017.sql.gz');
  assert.equal(events[0].bytesSent, 1024);
});

test('LookupEvents {"Events":[…]} documents, and broken records rejected with their record number', async (t) => {
  const dir = tempDir(t);
  const inner = JSON.stringify({ eventVersion: '1.08', eventTime: '2023-01-01T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'PutBucketAcl', eventID: 'A', requestParameters: { bucketName: 'b' } });
  const good = { EventId: 'A', EventName: 'PutBucketAcl', EventTime: '2023-01-01T00:00:00+00:00', CloudTrailEvent: inner };
  const path = join(dir, 'lookup.json');
  writeFileSync(path, JSON.stringify({ Events: [good, { EventId: 'B' }, good], NextToken: 'x' }, null, 2));
  assert.equal(detect(await readHead(path), path)?.name, 'lookup-events');
  const { events, rejects } = await parseAll(path, lookupEvents);
  assert.equal(events.length, 2);
  assert.equal(events[0].kind, 'acl-change');
  assert.equal(rejects.length, 1);
  assert.equal(rejects[0].locator, 2);
  assert.match(rejects[0].reason, /CloudTrailEvent/);
});

test('a truncated trail file keeps the records before the cut and rejects the rest, saying where', async (t) => {
  const dir = tempDir(t);
  const recs = [1, 2, 3].map((i) => cloudTrailGetObject({ time: Date.UTC(2020, 0, 1, 0, 0, i), bucket: 'b', key: `k${i}`, ip: '192.0.2.1', requestId: `R${i}`, hostId: 'H', eventId: `E${i}` }));
  const text = trailFileText(recs);
  const path = join(dir, 'cut.json');
  writeFileSync(path, text.slice(0, text.length - 200));
  const { events, rejects } = await parseAll(path, cloudTrailFile);
  assert.equal(events.length, 2);
  assert.equal(rejects.length, 1);
  assert.equal(rejects[0].locator, 3);
  assert.match(rejects[0].reason, /ends inside the array after record 2/);
});
