import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseAccessJsonLine } from '../../../main/ingest/formats/s3-access-json';
import { parseAccessLogLine, parseAccessLogTime, s3AccessLog, tokenize } from '../../../main/ingest/formats/s3-access-log';
import type { NormalizedEvent } from '../../../shared/events';
import { parseFile } from '../../../main/ingest/parse-file';
import { publicSample } from '../../support/paths';

async function parseAll(path: string) {
  const events: NormalizedEvent[] = [];
  const rejects = [];
  for await (const b of parseFile(path, s3AccessLog)) {
    events.push(...b.events);
    rejects.push(...b.rejects);
  }
  return { events, rejects };
}

test('Elastic sample: 10 lines, 10 events, no rejects, the first checked field by field', async () => {
  const { events, rejects } = await parseAll(publicSample('elastic-integrations/s3access/test-s3-server-access.log'));
  assert.equal(events.length, 10);
  assert.deepEqual(rejects, []);
  const e = events[0];
  assert.equal(e.time, Date.parse('2019-08-01T00:24:41Z'));
  assert.equal(e.source, 's3-access-log');
  assert.equal(e.bucket, 'test-s3-ks');
  assert.equal(e.sourceIp, '89.160.20.156');
  assert.equal(e.actor, 'arn:aws:sts::123456:assumed-role/AWSServiceRoleForTrustedAdvisor/TrustedAdvisor_627959692251_784ab70b-8cc9-4d37-a2ec-2ff4d0c08af9');
  assert.equal(e.actorType, 'AssumedRole');
  assert.equal(e.accountId, '123456');
  assert.equal(e.requestId, '44EE8651683CB4DA');
  assert.equal(e.action, 'REST.GET.LOCATION');
  assert.equal(e.kind, 'other');
  assert.equal(e.key, null);
  assert.equal(e.status, 200);
  assert.equal(e.errorCode, null);
  assert.equal(e.bytesSent, 142);
  assert.equal(e.objectSize, null);
  assert.match(e.userAgent!, /^AWS-Support-TrustedAdvisor, aws-internal\/3 aws-sdk-java/);
  assert.equal(e.hostId, 'BsCfJedfuSnds2QFoxi+E/O7M6OEWzJnw4dUaes/2hyA363sONRJKzB7EOY+Bt9DTHYUn+HoHxI=');
  assert.equal(e.locator, 1);
  assert.ok(e.raw.startsWith('36c1f05b76016b78') && e.raw.endsWith('TLSv1.2'));
});

test('Elastic sample: batch delete with + encoded key, service principal, status "-", lifecycle expiry', async () => {
  const { events } = await parseAll(publicSample('elastic-integrations/s3access/test-s3-server-access.log'));
  assert.equal(events[5].action, 'BATCH.DELETE.OBJECT');
  assert.equal(events[5].kind, 'delete');
  assert.equal(events[5].key, 'Screen Shot 2019-09-09 at 9.08.44 AM.png');
  assert.equal(events[5].status, 204);
  assert.equal(events[5].bytesSent, 0, "'-' in Bytes Sent means zero");
  assert.equal(events[6].actor, 'svc:delivery.logs.amazonaws.com');
  assert.equal(events[6].actorType, 'AWSService');
  assert.equal(events[6].sourceIp, null);
  assert.equal(events[6].kind, 'upload');
  assert.equal(events[8].status, null);
  assert.equal(events[9].action, 'S3.EXPIRE.OBJECT');
  assert.equal(events[9].actor, 'AmazonS3');
  assert.equal(events[9].kind, 'delete');
});

test('ralf sample: a 2013 download with an unescaped quote in the referer and no trailing newline', async () => {
  const { events, rejects } = await parseAll(publicSample('ralf/2013-03-24-11-17-27-ACFA8172D5374531'));
  assert.deepEqual(rejects, []);
  assert.equal(events.length, 1);
  const e = events[0];
  assert.equal(e.kind, 'download');
  assert.equal(e.key, '10010160/2013-03-24-0930.mp3');
  assert.equal(e.bytesSent, 18547033);
  assert.equal(e.objectSize, 18547033);
  assert.equal(e.userAgent, 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; WOW64; Trident/5.0)');
  assert.equal(e.actorType, 'canonical-user');
});

test('ralf sample: time offsets are honoured; anonymous requests; 404 error codes', async () => {
  const { events } = await parseAll(publicSample('ralf/2012-06-04-17-15-58-41BB059FD94A4EC7'));
  assert.equal(events[3].time, Date.parse('2012-06-05T14:36:31Z'), '16:36:31 +0200 is 14:36:31 UTC');
  assert.equal(events[1].errorCode, 'NoSuchLifecycleConfiguration');
  const alf = await parseAll(publicSample('ralf/amazon.alf'));
  assert.equal(alf.events.length, 7);
  assert.equal(alf.events[6].actor, 'anonymous');
  assert.equal(alf.events[6].status, 307);
  assert.equal(alf.events[1].action, 'SOAP.PUT.OBJECT');
  assert.equal(alf.events[1].kind, 'upload');
});

test('every line of the public samples parses, with no line rejected', async () => {
  for (const f of ['ralf/2012-06-04-17-16-40-4E34CC5FF2B57639', 'ralf/amazon.alf', 'ralf/2012-06-04-17-15-58-41BB059FD94A4EC7']) {
    const text = readFileSync(publicSample(f), 'utf8');
    const lines = text.split('\n').filter((l) => l.trim());
    const { events, rejects } = await parseAll(publicSample(f));
    assert.equal(events.length, lines.length, f);
    assert.equal(rejects.length, 0, f);
  }
});

test('bad lines are rejected with a reason, not thrown', () => {
  const ok = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be b [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57 REST.GET.OBJECT k "GET /b/k HTTP/1.1" 200 - 10 10 7 - "-" "ua" -';
  assert.equal((parseAccessLogLine(ok, 1) as NormalizedEvent).kind, 'download');
  const cases: [string, RegExp][] = [
    [ok.slice(0, ok.indexOf(' 200 ') + 4), /only 10 fields/],
    [ok.replace('[06/Feb/2019:00:00:38 +0000]', '[06/Foo/2019:00:00:38 +0000]'), /time/],
    [ok.replace(' 200 ', ' OK '), /status/],
    [ok.replace('"ua"', '"ua'), /unterminated quoted field/],
    [ok.replace(' 10 10 ', ' ten 10 '), /bytes sent/],
  ];
  for (const [line, reason] of cases) {
    const r = parseAccessLogLine(line, 7);
    assert.ok(r && 'reject' in r, line);
    assert.match((r as { reject: string }).reject, reason);
  }
  assert.equal(parseAccessLogLine('   ', 2), null, 'blank lines are not records');
  const old = parseAccessLogLine(ok.replace(' - 3E57 ', ' Anonymous 3E57 '), 3) as NormalizedEvent;
  assert.equal(old.actor, 'anonymous', 'the 2006 format wrote "Anonymous"');
});

test('tokenizer and time parser', () => {
  const out: string[] = [];
  assert.equal(tokenize('a [b c] "d e" "f""" g', out), null);
  assert.deepEqual(out, ['a', 'b c', 'd e', 'f""', 'g']);
  assert.equal(parseAccessLogTime('31/Dec/2016:23:59:59 -0130'), Date.parse('2017-01-01T01:29:59Z'));
  assert.ok(Number.isNaN(parseAccessLogTime('31/Dec/2016 23:59:59 +0000')));
});

test('presigned reads: the signing access key is taken from the Request-URI (SigV2 and SigV4, text and JSON forms)', async () => {
  // A real 2013 line: a presigned SigV2 URL (Signature, Expires, AWSAccessKeyId in the query).
  const { events } = await parseAll(publicSample('ralf', '2013-03-24-11-17-27-ACFA8172D5374531'));
  const signed = events.filter((e) => e.accessKeyId !== null);
  assert.equal(signed.length, 1);
  assert.equal(signed[0].accessKeyId, '1VYKRTJ5FFKT5B6F4NR2');
  assert.match(signed[0].raw, /AWSAccessKeyId=1VYKRTJ5FFKT5B6F4NR2/);
  // Every other request of that log has no key in its query, and none is invented.
  assert.ok(events.filter((e) => !e.raw.includes('AWSAccessKeyId=')).every((e) => e.accessKeyId === null));

  const owner = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
  const line = (uri: string) => `${owner} acme [06/Feb/2019:00:00:38 +0000] 192.0.2.3 arn:aws:iam::111122223333:user/alice 3E57427F3EXAMPLE `
    + `REST.GET.OBJECT db.sql.gz "${uri}" 200 - 10 10 5 2 "-" "curl/8" - host= SigV4 ECDHE-RSA-AES128-GCM-SHA256 QueryString acme.s3.amazonaws.com TLSv1.2 - -`;
  const v4 = parseAccessLogLine(line('GET /acme/db.sql.gz?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20190206%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc HTTP/1.1'), 1) as NormalizedEvent;
  assert.equal(v4.accessKeyId, 'AKIAIOSFODNN7EXAMPLE');
  const v4slash = parseAccessLogLine(line('GET /acme/db.sql.gz?X-Amz-Credential=ASIAXXXXXXXXXXXXXXXX/20190206/us-east-1/s3/aws4_request HTTP/1.1'), 2) as NormalizedEvent;
  assert.equal(v4slash.accessKeyId, 'ASIAXXXXXXXXXXXXXXXX');
  const plain = parseAccessLogLine(line('GET /acme/db.sql.gz?versionId=AKIAIOSFODNN7EXAMPLE HTTP/1.1'), 3) as NormalizedEvent;
  assert.equal(plain.accessKeyId, null);

  const json = parseAccessJsonLine(JSON.stringify({
    request_time: '2019-02-06T00:00:38Z', bucket_name: 'acme', operation: 'REST.GET.OBJECT', key: 'db.sql.gz', http_status: '200',
    bytes_sent: '10', object_size: '10', requester: 'arn:aws:iam::111122223333:user/alice',
    request_uri: 'GET /acme/db.sql.gz?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1549411238&Signature=x HTTP/1.1',
  }), 1) as NormalizedEvent;
  assert.equal(json.accessKeyId, 'AKIAIOSFODNN7EXAMPLE');
});
