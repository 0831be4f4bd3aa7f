import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { s3AccessJson } from '../../../main/ingest/formats/s3-access-json';
import { parseFile } from '../../../main/ingest/parse-file';
import { readHead } from '../../../main/ingest/read';
import { detect, formats, register } from '../../../main/ingest/registry';
import { walk } from '../../../main/ingest/walk';
import type { NormalizedEvent } from '../../../shared/events';
import { publicSample, tempDir } from '../../support/paths';
import { accessLogLine } from '../../support/synth';

const formatOf = async (path: string) => detect(await readHead(path), path)?.name ?? null;

test('each public sample is recognised as its format; licences and notes are not', async () => {
  const expected: Record<string, string | null> = {
    'elastic-integrations/s3access/test-s3-server-access.log': 's3-access-log',
    'elastic-integrations/cloudtrail/test-copy-object-json.log': 'cloudtrail-lines',
    'elastic-integrations/cloudtrail/test-cloudtrail-digest-json.log': 'cloudtrail-digest',
    'llm-guard/327878933619_CloudTrail-Digest_ap-northeast-1_llm-guard-trail_us-west-2_20231015T230404Z.json': 'cloudtrail-digest',
    'plaso/aws_cloudtrail.jsonl': 'lookup-events-lines',
    'otrf/ec2_proxy_s3_exfiltration_2020-09-14011940.json': 'cloudtrail-lines',
    'stratus-red-team/aws.defense-evasion.cloudtrail-stop.json': 'cloudtrail-array',
    'invictus-ir/CloudTrail/218007301253_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json': 'cloudtrail-file',
    'ralf/2012-06-04-17-15-58-41BB059FD94A4EC7': 's3-access-log',
    'ralf/amazon.alf': 's3-access-log',
    'ralf/LICENSE.txt': null,
    'SOURCES.md': null,
  };
  for (const [file, format] of Object.entries(expected)) assert.equal(await formatOf(publicSample(file)), format, file);
});

test('gzip is recognised by its bytes, whatever the name', async (t) => {
  const dir = tempDir(t);
  const line = accessLogLine({ time: Date.UTC(2024, 0, 1), bucket: 'b', key: 'k', ip: '192.0.2.1', requestId: 'R', hostId: 'H' });
  writeFileSync(join(dir, 'no-extension'), gzipSync(`${line}\n`));
  assert.equal(await formatOf(join(dir, 'no-extension')), 's3-access-log');
});

test('the registry refuses a format registered twice', () => {
  assert.throws(() => register(formats()[0]), /registered twice/);
});

test('folders are walked recursively in both S3 access-log key layouts, each file once', async (t) => {
  const dir = tempDir(t);
  const simple = join(dir, 'logs');
  const partitioned = join(dir, 'logs2', '111122223333', 'us-east-1', 'voter-backups', '2017', '08', '12');
  mkdirSync(simple, { recursive: true });
  mkdirSync(partitioned, { recursive: true });
  writeFileSync(join(simple, '2017-08-12-03-20-11-0A1B2C3D4E5F6A7B'), 'x');
  writeFileSync(join(partitioned, '2017-08-12-03-20-11-0A1B2C3D4E5F6A7C'), 'y');
  const { files, problems } = await walk([dir, simple, join(dir, 'missing')]);
  assert.equal(files.length, 2);
  assert.deepEqual(problems.map((p) => p.reason), ['no such file or folder']);
});

test('S3 access logs as structured JSON (CloudWatch Logs delivery) give the same event as the text form', async (t) => {
  const dir = tempDir(t);
  const record = {
    schema_version_id: 'V_1_0', bucket_arn: 'arn:aws:s3:::voter-backups', bucket_name: 'voter-backups', request_time: '2017-08-12T03:11:40.000Z',
    bucket_owner_id: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be', remote_ip: '198.51.100.7', requester: null,
    request_id: 'A1B2C3D4E5F60001', operation: 'REST.GET.OBJECT', key: 'db/voters 2017.sql.gz', request_uri: 'GET /db/voters%202017.sql.gz HTTP/1.1',
    http_status: 206, error_code: null, bytes_sent: 1024, object_size: 5000, total_time: 41, turn_around_time: 12, referrer: null,
    user_agent: 'curl/8.4.0', version_id: null, host_id: 'aG9zdDE=',
  };
  const path = join(dir, 'cw.jsonl');
  writeFileSync(path, `${JSON.stringify(record)}\n{"operation": "REST.GET.OBJECT", "request_time": "soon"}\n`);
  assert.equal(await formatOf(path), 's3-access-json');
  const events: NormalizedEvent[] = [];
  const rejects = [];
  for await (const b of parseFile(path, s3AccessJson)) { events.push(...b.events); rejects.push(...b.rejects); }
  assert.equal(events.length, 1);
  assert.deepEqual(rejects.map((r) => [r.locator, r.reason]), [[2, 'request_time "soon" is not a date']]);
  const e = events[0];
  assert.deepEqual([e.time, e.actor, e.kind, e.status, e.bytesSent, e.objectSize, e.key, e.requestId, e.hostId, e.bucket],
    [Date.parse('2017-08-12T03:11:40Z'), 'anonymous', 'download', 206, 1024, 5000, 'db/voters 2017.sql.gz', 'A1B2C3D4E5F60001', 'aG9zdDE=', 'voter-backups']);
});
