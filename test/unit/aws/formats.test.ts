import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NormalizedEvent, Reject } from '../../../shared/events';
import type { DocumentFormat } from '../../../main/ingest/formats/types';
import { parseFile } from '../../../main/ingest/parse-file';
import { readHead } from '../../../main/ingest/read';
import { detect } from '../../../main/ingest/registry';

const FIXTURES = join(__dirname, '../../../../test/fixtures/aws');

async function parse(name: string): Promise<{ format: string; events: NormalizedEvent[]; rejects: Reject[] }> {
  const path = join(FIXTURES, name);
  const format = detect(await readHead(path), path);
  assert.ok(format && format.kind === 'document', `${name} is recognised`);
  const events: NormalizedEvent[] = [];
  const rejects: Reject[] = [];
  for await (const b of parseFile(path, format as DocumentFormat)) {
    events.push(...b.events);
    rejects.push(...b.rejects);
  }
  return { format: format.name, events, rejects };
}

describe('lake-results format', () => {
  it('reads get-query-results output: rows rebuilt into CloudTrail records, raw row kept', async () => {
    const { format, events, rejects } = await parse('lake-get-query-results.json');
    assert.equal(format, 'lake-results');
    assert.equal(events.length, 2);
    assert.deepEqual(rejects.map((r) => [r.locator, r.reason]), [[3, 'the row has no eventTime or eventName column: select them for the events to be read']]);
    const [anon, denied] = events;
    assert.deepEqual(
      { time: new Date(anon.time).toISOString(), source: anon.source, action: anon.action, kind: anon.kind, actor: anon.actor, actorType: anon.actorType, accountId: anon.accountId, sourceIp: anon.sourceIp, bucket: anon.bucket, key: anon.key, bytesSent: anon.bytesSent, requestId: anon.requestId, hostId: anon.hostId, eventId: anon.eventId, region: anon.region, errorCode: anon.errorCode },
      { time: '2025-07-14T02:17:09.000Z', source: 'cloudtrail', action: 'GetObject', kind: 'download', actor: 'anonymous', actorType: 'anonymous', accountId: null, sourceIp: '203.0.113.77', bucket: 'acme-backups', key: 'prod/db-2025-07-13.sql.gz', bytesSent: 734003200, requestId: '7QJ1K9X3ZB4T2W6M', hostId: 'Xk3v0b1n0Vx1mZ9aQ2u8c5dEXAMPLE=', eventId: '3e8e5b37-8f5b-4c40-9c30-8a6f37e0d1a1', region: 'eu-west-1', errorCode: null },
    );
    assert.equal(anon.locator, 1);
    assert.match(anon.raw, /^\[\s*\{"eventID": "3e8e5b37/);
    assert.equal(denied.actor, 'arn:aws:iam::444455556666:user/contractor');
    assert.equal(denied.actorType, 'IAMUser');
    assert.equal(denied.accessKeyId, 'AKIAEXAMPLEACCESSKEY');
    assert.equal(denied.errorCode, 'AccessDenied');
    assert.equal(denied.range, 'bytes=0-1048575');
  });
});

describe('athena-results format', () => {
  it('reads rows of the documented access-log table as access-log events', async () => {
    const { format, events, rejects } = await parse('athena-access-log-rows.json');
    assert.equal(format, 'athena-results');
    assert.equal(events.length, 2);
    assert.equal(rejects.length, 1);
    assert.equal(rejects[0].locator, 3);
    assert.match(rejects[0].reason, /requestdatetime "not a time" is not an access-log time/);
    const [ranged, whole] = events;
    assert.deepEqual(
      { time: new Date(ranged.time).toISOString(), source: ranged.source, action: ranged.action, kind: ranged.kind, actor: ranged.actor, status: ranged.status, key: ranged.key, bytesSent: ranged.bytesSent, objectSize: ranged.objectSize, userAgent: ranged.userAgent, errorCode: ranged.errorCode, requestId: ranged.requestId },
      { time: '2025-07-14T02:17:09.000Z', source: 's3-access-log', action: 'REST.GET.OBJECT', kind: 'download', actor: 'anonymous', status: 206, key: 'prod/db-2025-07-13 copy.sql.gz', bytesSent: 1048576, objectSize: 734003200, userAgent: 'curl/8.5.0', errorCode: null, requestId: '7QJ1K9X3ZB4T2W6M' },
    );
    assert.equal(whole.actor, 'arn:aws:iam::444455556666:user/contractor');
    assert.equal(whole.status, 200);
    assert.ok(whole.raw.startsWith('{"bucketowner":'));
  });
});
