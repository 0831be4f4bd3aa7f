// Envelope equivalence: the same CloudTrail records, imported through the real import path in every
// envelope the registry reads, give the same downloads, exposure windows (from, to, openedBy), identities
// and gaps. Envelopes whose rows cannot carry a field a rule needs (Lake; Athena without the JSON
// columns) must answer "unknown" for that rule, never a different answer. The table is keyed by format
// name: registering a format without a row here fails the first test.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Gap } from '../../../shared/analysis';
import type { Format } from '../../../shared/events';
import { analysisSummary, coverageAndGaps, identityIndex } from '../../../main/case/analysis';
import { openReadable } from '../../../main/case/db';
import { allDownloads } from '../../../main/case/timeline';
import { canonicalRecord } from '../../../main/ingest/canonical';
import { caseAnalysis, reportModelFromCase } from '../../../main/report/load';
import { formats } from '../../../main/ingest/registry';
import { importPaths } from '../../../main/import/run-import';
import { wrap, type EnvelopeFile, type Rec } from '../../support/envelopes';
import { fixture, publicSample, tempDir } from '../../support/paths';

// ---------- the records: real public samples and a small scenario ----------
const ACCOUNT = '111122223333';
const B = 'acme-db-backups';
const QUIET = 'acme-exports'; // made public, never downloaded from
const T0 = Date.parse('2024-03-01T10:00:00Z');
const M = 60_000;
const at = (min: number) => new Date(T0 + min * M).toISOString().replace('.000Z', 'Z');
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const OPS = `arn:aws:sts::${ACCOUNT}:assumed-role/ops-admin/alice-session`;
const READER = `arn:aws:sts::${ACCOUNT}:assumed-role/backup-reader/chained`;
const ANON = { type: 'AWSAccount', principalId: 'ANONYMOUS_PRINCIPAL', accountId: 'ANONYMOUS_PRINCIPAL' };
let n = 0;

function rec(min: number, eventName: string, eventSource: string, userIdentity: Rec, requestParameters: Rec | null, more: Rec = {}): Rec {
  n++;
  return {
    eventVersion: '1.09', userIdentity, eventTime: at(min), eventSource, eventName, awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.20',
    userAgent: '[aws-cli/2.15.0]', requestParameters, responseElements: null, requestID: `REQ${String(n).padStart(6, '0')}`,
    eventID: `5c0e${String(n).padStart(4, '0')}-scenario`, readOnly: false, eventType: 'AwsApiCall', managementEvent: true,
    recipientAccountId: ACCOUNT, eventCategory: 'Management', ...more,
  };
}
const iam = (arn: string, key: string) => ({ type: arn.includes(':user/') ? 'IAMUser' : 'AssumedRole', arn, accountId: ACCOUNT, accessKeyId: key, principalId: 'AIDAEXAMPLE', ...(arn.includes(':user/') ? { userName: arn.split('/').pop() } : {}) });
function assume(min: number, caller: Rec, role: string, session: string, key: string): Rec {
  return rec(min, 'AssumeRole', 'sts.amazonaws.com', caller, { roleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`, roleSessionName: session }, {
    responseElements: { credentials: { accessKeyId: key, expiration: 'Mar 1, 2024, 11:00:00 AM', sessionToken: 'x' }, assumedRoleUser: { assumedRoleId: `AROAEXAMPLE:${session}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}` } },
    readOnly: true,
  });
}
function getObject(min: number, who: Rec, key: string, bytes: number, ip: string): Rec {
  return rec(min, 'GetObject', 's3.amazonaws.com', who, { bucketName: B, Host: `${B}.s3.us-east-1.amazonaws.com`, key }, {
    sourceIPAddress: ip, additionalEventData: { bytesTransferredOut: bytes, 'x-amz-id-2': `host-${n}` }, eventType: 'AwsApiCall', managementEvent: false, eventCategory: 'Data', readOnly: true,
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${B}/${key}` }],
  });
}
const publicPolicy = (bucket: string) => ({ Version: '2012-10-17', Statement: [{ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] });

function scenario(): Rec[] {
  const ops = iam(OPS, 'ASIAOPSSESSION000001');
  return [
    assume(0, iam(ALICE, 'AKIAALICE00000000001'), 'ops-admin', 'alice-session', 'ASIAOPSSESSION000001'),
    assume(1, ops, 'backup-reader', 'chained', 'ASIAREADERCHAIN00002'),
    rec(5, 'PutBucketAcl', 's3.amazonaws.com', ops, { bucketName: B, acl: '', 'x-amz-acl': ['public-read'], Host: `${B}.s3.amazonaws.com` }),
    rec(6, 'PutBucketAcl', 's3.amazonaws.com', ops, { bucketName: QUIET, acl: '', 'x-amz-acl': ['public-read'], Host: `${QUIET}.s3.amazonaws.com` }),
    rec(10, 'PutBucketPolicy', 's3.amazonaws.com', ops, { bucketName: B, bucketPolicy: publicPolicy(B), policy: '', Host: `${B}.s3.amazonaws.com` }),
    getObject(20, ANON, 'db/prod.sql.gz', 1_048_576, '203.0.113.9'),
    getObject(25, iam(READER, 'ASIAREADERCHAIN00002'), 'db/crm.bak', 2048, '10.0.0.5'),
    rec(30, 'PutBucketLogging', 's3.amazonaws.com', ops, { bucketName: B, BucketLoggingStatus: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' }, logging: '', Host: `${B}.s3.amazonaws.com` }),
    rec(40, 'DeleteBucketPolicy', 's3.amazonaws.com', ops, { bucketName: B, policy: '', Host: `${B}.s3.amazonaws.com` }),
    rec(45, 'PutBucketAcl', 's3.amazonaws.com', ops, { bucketName: B, acl: '', 'x-amz-acl': ['private'], Host: `${B}.s3.amazonaws.com` }),
    getObject(50, ANON, 'db/users.dump', 4096, '203.0.113.9'),
  ];
}

function publicRecords(): Rec[] {
  const out: Rec[] = [];
  const dir = fixture('analysis');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) out.push(...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as { Records: Rec[] }).Records);
  for (const f of ['aws.defense-evasion.cloudtrail-stop.json', 'aws.defense-evasion.cloudtrail-delete.json']) out.push(...(JSON.parse(readFileSync(publicSample('stratus-red-team', f), 'utf8')) as Rec[]));
  out.push(...readFileSync(publicSample('otrf', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Rec));
  // plaso's LookupEvents lines: their records, as the canonical reading takes them out of the Events.
  const plaso = readFileSync(publicSample('plaso', 'aws_cloudtrail.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
  out.push(...plaso.map((l) => canonicalRecord('lookup-events-lines', l)!));
  return out;
}

const SCENARIO = scenario();
const RECORDS = [...SCENARIO, ...publicRecords()];

// ---------- the table: every format the registry reads ----------
/** full: every rule answers as from the trail file. partial: rules needing a request or response body answer unknown. */
type Row = { envelopes: Array<{ label: string; build: (rs: Rec[]) => EnvelopeFile; reads: 'full' | 'partial' }> } | { noCloudTrail: string; sample: string };

const TABLE: Record<Format, Row> = {
  'cloudtrail-file': { envelopes: [{ label: 'trail file (.json.gz)', build: wrap.trailFileGzip, reads: 'full' }, { label: 'trail file (.json)', build: wrap.trailFile, reads: 'full' }] },
  'cloudtrail-array': { envelopes: [{ label: 'bare array', build: wrap.bareArray, reads: 'full' }] },
  'cloudtrail-lines': { envelopes: [{ label: 'JSON-lines', build: wrap.jsonLines, reads: 'full' }] },
  'lookup-events': { envelopes: [{ label: 'lookup-events JSON', build: wrap.lookupEvents, reads: 'full' }] },
  'lookup-events-lines': { envelopes: [{ label: 'lookup-events JSON-lines', build: wrap.lookupEventsLines, reads: 'full' }] },
  // Lake returns requestParameters / responseElements only as the map members a query selects.
  'lake-results': { envelopes: [{ label: 'Lake results', build: wrap.lake, reads: 'partial' }] },
  'athena-results': { envelopes: [
    { label: 'Athena results (with the JSON columns trailmark pull selects)', build: wrap.athena, reads: 'full' },
    { label: 'Athena results (flat columns only)', build: wrap.athenaFlat, reads: 'partial' },
  ] },
  's3-access-log': { noCloudTrail: 'an access-log line carries no request body', sample: publicSample('elastic-integrations', 's3access', 'test-s3-server-access.log') },
  's3-access-json': { noCloudTrail: 'an access-log record carries no request body', sample: '{"bucket_owner":"o","bucket":"b","time":"[06/Feb/2019:00:00:38 +0000]","operation":"REST.GET.OBJECT"}' },
  'cloudtrail-digest': { noCloudTrail: 'a digest holds no events', sample: '' },
  'bucket-listing': { noCloudTrail: 'a listing holds no events', sample: '' },
};

test('the table has a row for every format the registry reads, and only those', () => {
  assert.deepEqual(Object.keys(TABLE).sort(), formats().map((f) => f.name).sort());
});

test('formats that carry no CloudTrail record give none to the analysis', () => {
  for (const [format, row] of Object.entries(TABLE) as Array<[Format, Row]>) {
    if (!('noCloudTrail' in row)) continue;
    const text = row.sample.startsWith('/') ? readFileSync(row.sample, 'utf8').split('\n')[0] : row.sample;
    assert.equal(canonicalRecord(format, text), null, format);
  }
});

// ---------- the answers ----------
interface Answers {
  report: { gaps: string[]; summary: string[] };
  downloads: unknown[];
  exposure: unknown[];
  identities: { byAccessKey: unknown[]; bySession: unknown[]; actors: unknown[] };
  gaps: Gap[];
  format: Format | null;
  events: number;
}

async function answersFor(t: { after(fn: () => void): void }, file: EnvelopeFile): Promise<Answers> {
  const dir = tempDir(t, 'trailmark-envelope-');
  const path = join(dir, file.name);
  writeFileSync(path, file.bytes);
  const casePath = join(dir, 'case.sqlite');
  const summary = await importPaths(casePath, [path]);
  assert.equal(summary.rejected, 0, JSON.stringify(summary.files));
  const db = openReadable(casePath);
  t.after(() => db.close());
  const s = analysisSummary(db);
  const index = identityIndex(db);
  const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    format: summary.files[0].format,
    events: summary.events,
    downloads: [...allDownloads(db, {})].map((d) => ({ ...d, id: undefined })).sort((a, b) => a.timeMs - b.timeMs || a.key.localeCompare(b.key)),
    // events.id follows storage order, which an envelope may change: compare by CloudTrail eventID.
    exposure: s.exposure.map((w) => ({ ...w, openedByEvent: undefined, closedByEvent: undefined })),
    identities: { byAccessKey: sorted(index.byAccessKey), bySession: sorted(index.bySession), actors: s.actors.map((a) => [a.actorKey, a.identity]) },
    gaps: coverageAndGaps(db).gaps,
    report: (() => {
      const m = reportModelFromCase(db, { generatedAt: '2024-03-02T00:00:00Z' }, caseAnalysis(db));
      return { gaps: m.gaps.map((g) => `${g.kind}: ${g.text}`), summary: m.summary.map((i) => i.text) };
    })(),
  };
}

const ENVELOPES = Object.entries(TABLE).flatMap(([format, row]) => ('envelopes' in row ? row.envelopes.map((e) => ({ format: format as Format, ...e })) : []));
const BASELINE = ENVELOPES[0];

test('the baseline (a gzip trail file) answers the scenario: exposure with openedBy, the role chain, the logging change', async (t) => {
  const a = await answersFor(t, BASELINE.build(RECORDS));
  const ws = a.exposure as Array<{ bucket: string; from: string | null; to: string | null; openedBy: string | null; closedBy: string | null }>;
  const open = ws.find((w) => w.bucket === B)!;
  assert.deepEqual([open.from, open.to, open.openedBy], [new Date(T0 + 5 * M).toISOString(), new Date(T0 + 45 * M).toISOString(), SCENARIO[2].eventID]);
  const quiet = ws.find((w) => w.bucket === QUIET)!;
  assert.deepEqual([quiet.from, quiet.to, quiet.openedBy], [new Date(T0 + 6 * M).toISOString(), null, SCENARIO[3].eventID]);
  const reader = (a.identities.actors as Array<[string, { identity: string } | null]>).find(([k]) => k.startsWith(READER));
  assert.equal(reader?.[1]?.identity, `${ALICE} → ${OPS}`);
  assert.ok(a.gaps.some((g) => g.kind === 'logging-change' && g.action === 'PutBucketLogging' && /switched off/.test(g.note)), JSON.stringify(a.gaps));
  assert.ok(a.gaps.some((g) => g.action === 'StopLogging'));
  assert.ok((a.identities.byAccessKey as unknown[]).length > 3, 'the public samples add their own AssumeRole links');
});

for (const env of ENVELOPES.slice(1)) {
  test(`${env.label} (${env.format}) answers as the trail file does${env.reads === 'partial' ? ', or says unknown' : ''}`, async (t) => {
    const base = await answersFor(t, BASELINE.build(RECORDS));
    const a = await answersFor(t, env.build(RECORDS));
    assert.equal(a.format, env.format, 'the envelope is read as the format its row is for');
    assert.equal(a.events, base.events);
    assert.deepEqual(a.downloads, base.downloads);
    if (env.reads === 'full') {
      assert.deepEqual(a.exposure, base.exposure);
      assert.deepEqual(a.identities, base.identities);
      assert.deepEqual(a.gaps, base.gaps);
      assert.deepEqual(a.report, base.report, 'the board report says the same');
      return;
    }
    // Rows without the request or response bodies: no window is opened or closed by a change whose
    // request the row does not carry; each such change is an unknown-change gap instead.
    const unreadable = RECORDS.filter((r) => !r.errorCode && ['PutBucketAcl', 'PutBucketPolicy', 'PutObjectAcl', 'PutPublicAccessBlock', 'PutBucketPublicAccessBlock'].includes(r.eventName));
    const unknownGaps = a.gaps.filter((g) => g.kind === 'unknown-change');
    assert.deepEqual(unknownGaps.map((g) => g.eventId).sort(), unreadable.map((r) => r.eventID as string).sort());
    assert.ok(unknownGaps.every((g) => /unknown/.test(g.note) && g.note.includes(env.format)));
    const ws = a.exposure as Array<{ bucket: string; openedBy: string | null; closedBy: string | null; note: string | null }>;
    const unreadableIds = new Set(unreadable.map((r) => r.eventID as string));
    assert.ok(ws.every((w) => !unreadableIds.has(w.openedBy ?? '') && !unreadableIds.has(w.closedBy ?? '')), JSON.stringify(ws));
    assert.ok(!ws.some((w) => w.bucket === QUIET), 'no window is made up for a bucket whose only change is unreadable');
    for (const w of ws.filter((x) => x.bucket === B)) assert.match(w.note ?? '', /may have changed or ended at PutBucketAcl/);
    // Identity: no links from rows without responseElements, so no principal is resolved through STS.
    assert.deepEqual([a.identities.byAccessKey, a.identities.bySession], [[], []]);
    assert.ok((a.identities.actors as Array<[string, { via: string } | null]>).every(([, id]) => id === null || id.via === 'IdentityCenter'));
    // Logging: the change is still a gap, but what it did is unknown, never "switched off".
    const logging = a.gaps.find((g) => g.action === 'PutBucketLogging')!;
    assert.match(logging.note, /whether it was switched off is unknown/);
    const selectors = a.gaps.filter((g) => g.action === 'PutEventSelectors');
    assert.ok(selectors.length > 0 && selectors.every((g) => /unknown/.test(g.note) && !/no longer selected/.test(g.note)));
    // The board report says so too, in its gaps and its summary.
    assert.ok(a.report.gaps.some((g) => g.startsWith('unknown-change: ') && g.includes(unreadable[0].eventID as string)), a.report.gaps.join('\n'));
    assert.ok(a.report.summary.some((x) => /access changes? in the case come.* exposure after (it|them) is unknown/.test(x)), a.report.summary.join('\n'));
    assert.ok(!base.report.gaps.some((g) => g.startsWith('unknown-change')));
    // Everything that does not need a body answers as the trail file does.
    const plain = (gs: Gap[]) => gs.filter((g) => g.kind === 'source-silent' || g.kind === 'source-absent');
    assert.deepEqual(plain(a.gaps), plain(base.gaps));
  });
}
