import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { beforeEach, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { signatureFromMeta } from '../../../main/integrity/case-inputs';
import { EvidenceLocator } from '../../../main/integrity/locate';
import { logBucket } from '../../support/aws-standin/buckets';
import { etagOf, type StandinObject } from '../../support/aws-standin/s3';
import { newState, type Standin } from '../../support/aws-standin/server';
import { inCase, newCasePath, pull, standinForSuite } from './helpers';

const DAY = 86400_000;
const today = new Date(Math.floor(Date.now() / DAY) * DAY);
const day = (n: number) => new Date(today.getTime() - n * DAY);
// Asked for: days -4 and -3 (plus day -2 for late deliveries). Days -9 and -1 are outside.
const from = new Date(day(4).getTime()).toISOString();
const to = new Date(day(3).getTime() + 12 * 3600_000).toISOString();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('log bucket pull', () => {
  let standin: Standin;
  let objects: StandinObject[];
  standinForSuite((s) => { standin = s; });
  beforeEach(() => {
    Object.assign(standin.state, newState());
    objects = logBucket([9, 4, 3, 2, 1].map((n) => ({ day: day(n), accessLines: 5, trailRecords: 4 })));
    standin.state.s3.buckets.set('acme-logs', objects);
    standin.state.s3.pageSize = 2; // every listing pages
    standin.state.cloudtrail.publicKeys = [{ value: Buffer.from('3082010a0282010100c0ffee', 'hex'), start: day(30), end: today, fingerprint: '1c6d34eb3fd1e2b2b3a6c1a5e5a0b4e9' }];
    standin.requests.length = 0;
  });

  const wanted = (o: StandinObject) => [4, 3, 2].some((n) => o.key.includes(day(n).toISOString().slice(0, 10).replace(/-/g, '/')) || o.key.includes(`/${day(n).toISOString().slice(0, 10)}-`) || o.key.startsWith(`access/${day(n).toISOString().slice(0, 10)}-`));

  it('downloads only the days asked for, in every layout, and keeps what S3 said about each file', async () => {
    const casePath = newCasePath();
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/' } });
    const expected = objects.filter(wanted);
    assert.equal(expected.length, 12);
    assert.equal(summary.files, 12);
    const got = standin.calls('s3:GetObject').map((r) => decodeURIComponent(new URL(r.url, 'http://x').pathname.slice('/acme-logs/'.length))).sort();
    assert.deepEqual(got, expected.map((o) => o.key).sort(), 'GetObject only for the days asked for');
    const flat = standin.calls('s3:ListObjectsV2').filter((r) => new URL(r.url, 'http://x').searchParams.get('prefix') === 'access/');
    assert.equal(flat.length, 2, 'a flat access-log folder is not listed whole: one page, then past its dated names');
    assert.equal(new URL(flat[1].url, 'http://x').searchParams.get('start-after'), 'access/2099-12-31-23-59-59-~');
    for (const r of standin.calls('s3:ListObjectsV2')) {
      const prefix = new URL(r.url, 'http://x').searchParams.get('prefix') ?? '';
      assert.ok(!prefix.includes(day(9).toISOString().slice(0, 10).replace(/-/g, '/')) && !prefix.includes(day(1).toISOString().slice(0, 10)), `no listing of other days: ${prefix}`);
    }

    const { evidence, events } = inCase(casePath);
    assert.equal(evidence.length, 12);
    const formats = evidence.map((e) => e.format).sort();
    assert.deepEqual([...new Set(formats)], ['cloudtrail-digest', 'cloudtrail-file', 's3-access-log']);
    assert.equal(events, 3 * (5 + 5 + 4));
    for (const e of evidence) {
      const o = expected.find((x) => `s3://acme-logs/${x.key}` === e.path)!;
      assert.ok(o, `evidence path is the S3 URI: ${e.path}`);
      assert.equal(e.sha256, sha(o.body), 'hash of the bytes as stored in S3');
      const origin = JSON.parse(e.origin);
      assert.equal(origin.api, 's3:GetObject');
      assert.equal(origin.parameters.Key, o.key);
      assert.equal(origin.accountId, '111122223333');
      const found = await new EvidenceLocator(casePath).check(e);
      assert.equal(found.status, 'ok', `verification finds ${e.path} again`);
    }
  });

  it('keeps digest signatures from the S3 metadata and saves the public keys of the period', async () => {
    const casePath = newCasePath();
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/AWSLogs/' } });
    const { evidence } = inCase(casePath);
    const digests = evidence.filter((e) => e.format === 'cloudtrail-digest');
    assert.equal(digests.length, 3);
    const m = await import('../../../main/case/db');
    const db = m.openReadable(casePath);
    try {
      const { evidenceMeta } = await import('./case-meta');
      for (const d of digests) {
        const meta = evidenceMeta(db, d.id) as { s3: Record<string, unknown>; s3Metadata: Record<string, string> };
        const o = objects.find((x) => `s3://acme-logs/${x.key}` === d.path)!;
        assert.equal(meta.s3Metadata['x-amz-meta-signature'], o.metadata!.signature);
        assert.equal(signatureFromMeta(JSON.stringify(meta)), o.metadata!.signature, 'where digest validation reads it');
        assert.equal(meta.s3Metadata['x-amz-meta-signature-algorithm'], 'SHA256withRSA');
        assert.equal(meta.s3.etag, etagOf(o));
        assert.equal(meta.s3.lastModified, o.lastModified.toISOString());
        assert.equal(meta.s3.sha256, sha(o.body));
      }
      const trail = evidence.find((e) => e.format === 'cloudtrail-file')!;
      assert.equal((evidenceMeta(db, trail.id) as { s3: { size: number } }).s3.size, objects.find((x) => `s3://acme-logs/${x.key}` === trail.path)!.body.length);
    } finally {
      db.close();
    }
    assert.equal(summary.kept.length, 1);
    const keys = JSON.parse(readFileSync(summary.kept[0].path, 'utf8'));
    assert.equal(keys.PublicKeyList[0].Fingerprint, '1c6d34eb3fd1e2b2b3a6c1a5e5a0b4e9');
    assert.equal(keys.PublicKeyList[0].Value, Buffer.from('3082010a0282010100c0ffee', 'hex').toString('base64'));
    const call = standin.calls('cloudtrail:ListPublicKeys')[0];
    assert.equal(call.json?.StartTime, Date.parse(from) / 1000);
  });

  it('asks for the public keys two hours past the window (aws-cli #10073), and for those of the times backfill digests were generated', async () => {
    // A backfill digest of day -3, generated (and signed) on day -1, when only a newer key was CloudTrail's.
    const hourly = objects.find((o) => o.key.includes('/CloudTrail-Digest/') && o.key.includes(day(3).toISOString().slice(0, 10).replace(/-/g, '/')))!;
    const generated = new Date(day(1).getTime() + 6 * 3600_000);
    const body = gzipSync(Buffer.concat([gunzipSync(hourly.body), Buffer.from('\n')]));
    objects.push({ ...hourly, key: hourly.key.replace(/\.json\.gz$/, '_backfill.json.gz'), body, metadata: { ...hourly.metadata, 'backfill-generation-timestamp': generated.toISOString() } });
    standin.state.cloudtrail.publicKeys.push({ value: Buffer.from('3082010a0282010100beef', 'hex'), start: day(1), end: today, fingerprint: 'bf0000000000000000000000000000bf' });
    const casePath = newCasePath();
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/AWSLogs/' } });
    const calls = standin.calls('cloudtrail:ListPublicKeys').map((c) => [c.json?.StartTime, c.json?.EndTime]);
    assert.deepEqual(calls, [
      [Date.parse(from) / 1000, (Date.parse(to) + DAY + 2 * 3600_000) / 1000],
      [(generated.getTime() - 2 * 3600_000) / 1000, (generated.getTime() + 2 * 3600_000) / 1000],
    ]);
    assert.equal(summary.kept.length, 2);
    const later = JSON.parse(readFileSync(summary.kept[1].path, 'utf8')) as { PublicKeyList: { Fingerprint: string }[] };
    assert.ok(later.PublicKeyList.some((k) => k.Fingerprint === 'bf0000000000000000000000000000bf'), 'the key of the backfill generation time comes along');
  });

  it('takes only the CloudTrail regions asked for', async () => {
    for (const o of objects.filter((x) => x.key.includes('/us-east-1/') && x.key.startsWith('AWSLogs/'))) {
      objects.push({ ...o, key: o.key.replace(/\/us-east-1\//, '/eu-west-1/').replace(/_us-east-1_/g, '_eu-west-1_') });
    }
    const casePath = newCasePath();
    const summary = await pull(casePath, { region: 'us-east-1', regions: ['eu-west-1'], from, to, source: { type: 'logs', uri: 's3://acme-logs/AWSLogs/' } });
    assert.equal(summary.files, 6);
    assert.ok(inCase(casePath).evidence.every((e) => e.path.includes('/eu-west-1/')));
    assert.ok(standin.calls('s3:ListObjectsV2').every((r) => !(new URL(r.url, 'http://x').searchParams.get('prefix') ?? '').includes('/us-east-1/')));
  });

  it('keeps the version ID of versioned objects', async () => {
    const casePath = newCasePath();
    await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/access/' } });
    const { evidence } = inCase(casePath);
    assert.equal(evidence.length, 3);
    const { openReadable } = await import('../../../main/case/db');
    const { evidenceMeta } = await import('./case-meta');
    const db = openReadable(casePath);
    try {
      for (const e of evidence) assert.match(String((evidenceMeta(db, e.id) as { s3: { versionId: string } }).s3.versionId), /^v-acc-\d+$/);
    } finally {
      db.close();
    }
  });

  it('recovers from 503 SlowDown on listing and download', async () => {
    standin.state.faults.push({ op: 's3:ListObjectsV2', times: 2, status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' });
    standin.state.faults.push({ op: 's3:GetObject', times: 2, status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' });
    const casePath = newCasePath();
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/access/' } });
    assert.equal(summary.files, 3);
    assert.equal(standin.calls('s3:GetObject').length, 3 + 2);
    assert.equal(inCase(casePath).events, 15);
  });

  it('continues a cut download with a Range request pinned to the same ETag', async () => {
    const trail = objects.filter(wanted).find((o) => o.key.includes('/CloudTrail/'))!;
    standin.state.faults.push({ op: 's3:GetObject', times: 1, cutAfterBytes: 100, when: (r) => r.url.includes(encodeURI(trail.key.split('/').pop()!)) });
    const casePath = newCasePath();
    await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/AWSLogs/111122223333/CloudTrail/' } });
    const gets = standin.calls('s3:GetObject').filter((r) => r.url.includes(encodeURI(trail.key.split('/').pop()!)));
    assert.equal(gets.length, 2);
    assert.equal(gets[1].headers.range, 'bytes=100-');
    assert.equal(gets[1].headers['if-match'], etagOf(trail));
    const e = inCase(casePath).evidence.find((x) => x.path === `s3://acme-logs/${trail.key}`)!;
    assert.equal(e.sha256, sha(trail.body), 'the resumed file is the object, byte for byte');
  });

  it('an interrupted pull leaves nothing imported, and the next pull continues the partial file', async () => {
    const trail = objects.filter(wanted).find((o) => o.key.includes('/CloudTrail/'))!;
    const name = encodeURI(trail.key.split('/').pop()!);
    standin.state.faults.push({ op: 's3:GetObject', times: 4, cutAfterBytes: 60, when: (r) => r.url.includes(name) && !r.headers.range });
    standin.state.faults.push({ op: 's3:GetObject', times: 3, cutAfterBytes: 0, when: (r) => r.url.includes(name) && !!r.headers.range });
    const casePath = newCasePath();
    await assert.rejects(pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/AWSLogs/111122223333/CloudTrail/' } }), /1 of 3 log files could not be downloaded; nothing was imported/);
    assert.ok(!existsSync(casePath) || inCase(casePath).evidence.length === 0);
    const before = standin.calls('s3:GetObject').length;
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/AWSLogs/111122223333/CloudTrail/' } });
    const again = standin.calls('s3:GetObject').slice(before);
    assert.equal(again.length, 1, 'the two finished files are not fetched again');
    assert.equal(again[0].headers.range, 'bytes=60-');
    assert.equal(summary.files, 3);
    const e = inCase(casePath).evidence.find((x) => x.path === `s3://acme-logs/${trail.key}`)!;
    assert.equal(e.sha256, sha(trail.body));
    assert.equal(statSync(summary.evidenceDir).isDirectory(), true);
  });

  it('a second pull downloads nothing again and adds no events', async () => {
    const casePath = newCasePath();
    const first = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/' } });
    assert.equal(first.import?.events, 42);
    const gets = standin.calls('s3:GetObject').length;
    const second = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/' } });
    assert.equal(standin.calls('s3:GetObject').length, gets);
    assert.equal(second.import?.events, 0);
    assert.ok(second.import?.files.every((f) => f.status === 'already-in-case'));
    assert.equal(inCase(casePath).events, 42);
  });

  it('refuses to reuse a kept copy that was changed on disk', async () => {
    const casePath = newCasePath();
    const first = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/access/' } });
    const kept = inCase(casePath).evidence[0];
    const local = JSON.parse(kept.origin).localPath as string;
    const bytes = readFileSync(local);
    bytes[0] ^= 1;
    writeFileSync(local, bytes);
    await assert.rejects(pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/access/' } }), /no longer hashes to the SHA-256 recorded when it was downloaded .*changed on disk/);
    assert.equal(first.files, 3);
  });

  it('keeps an earlier copy when the object changed since, and fetches the new one beside it', async () => {
    const casePath = newCasePath();
    await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/access/' } });
    const changed = objects.find((o) => o.key.startsWith('access/') && wanted(o))!;
    changed.body = Buffer.concat([changed.body, Buffer.from('\n')]);
    const summary = await pull(casePath, { region: 'us-east-1', from, to, source: { type: 'logs', uri: 's3://acme-logs/access/' } });
    assert.equal(summary.import?.files.filter((f) => f.status === 'imported').length, 1);
    assert.equal(inCase(casePath).evidence.filter((e) => e.path === `s3://acme-logs/${changed.key}`).length, 2);
  });
});
