// The summaries are a function of the downloads, not of the order the files came in: folded file by
// file (each later file merging into downloads already folded) they equal a rebuild from scratch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rebuildAnalysis } from '../../../main/case/analysis-update';
import type { WritableDB } from '../../../main/case/db';
import { addFile, download, mgmt, newCase, summaries } from './case-builder';

const T0 = Date.parse('2024-03-01T10:00:00Z');
const H = 3_600_000;
const B = 'acme-db-backups';
const ARN = 'arn:aws:iam::111122223333:user/alice';

function assertSameAsRebuild(db: WritableDB): void {
  const folded = summaries(db);
  rebuildAnalysis(db);
  const rebuilt = summaries(db);
  for (const t of Object.keys(folded)) assert.deepEqual(folded[t], rebuilt[t], t);
}

test('a CloudTrail-only download whose bytes, size and status an access log brings later', (t) => {
  const db = newCase(t);
  addFile(db, [
    download({ time: T0, key: 'db.sql', actor: ARN, sourceIp: '192.0.2.1', requestId: 'R1', accessKeyId: 'AKIA1' }),
    download({ time: T0 + H, key: 'db.sql', actor: ARN, sourceIp: '192.0.2.1', requestId: 'R2' }),
  ]);
  addFile(db, [download({ time: T0, key: 'db.sql', actor: ARN, sourceIp: '192.0.2.1', requestId: 'R1', status: 200, bytesSent: 1000, objectSize: 1000 }, 's3-access-log')], 's3-access-log');
  assertSameAsRebuild(db);
});

test('an access-log read under a requester that is not an ARN, which CloudTrail names later', (t) => {
  const db = newCase(t);
  addFile(db, [download({ time: T0 + 2000, key: 'db.sql', actor: 'anonymous', sourceIp: '192.0.2.7', requestId: 'R9', status: 200, bytesSent: 10, objectSize: 10 }, 's3-access-log')], 's3-access-log');
  addFile(db, [download({ time: T0 + 1000, key: 'db.sql', actor: ARN, sourceIp: '192.0.2.7', requestId: 'R9', accessKeyId: 'AKIA2', userAgent: 'aws-cli/2' })]);
  assertSameAsRebuild(db);
});

test('an object whose size a later file reports larger', (t) => {
  const db = newCase(t);
  addFile(db, [download({ time: T0, key: 'db.sql', sourceIp: '192.0.2.1', status: 200, bytesSent: 100, objectSize: 100 }, 's3-access-log')], 's3-access-log');
  addFile(db, [download({ time: T0 + H, key: 'db.sql', sourceIp: '192.0.2.2', status: 200, bytesSent: 200, objectSize: 200 }, 's3-access-log')], 's3-access-log');
  assertSameAsRebuild(db);
});

test('a principal with more user agents than the summary keeps, over several files', (t) => {
  const db = newCase(t);
  for (let f = 0; f < 3; f++) {
    addFile(db, Array.from({ length: 30 }, (_, i) => download({ time: T0 + f * H + i * 1000, key: `k${i}`, actor: ARN, userAgent: `agent-${f}-${i}` })));
  }
  assertSameAsRebuild(db);
});

test('downloads at an exposure boundary, folded before and after the window is known', (t) => {
  const db = newCase(t);
  addFile(db, [mgmt('PutBucketAcl', T0, 'acl-change', { bucketName: B, 'x-amz-acl': ['public-read'] })]);
  addFile(db, [
    download({ time: T0 + 500, key: 'a.sql', sourceIp: '192.0.2.1', status: 200, bytesSent: 5, objectSize: 5 }, 's3-access-log'),
    download({ time: T0 + H, key: 'b.sql', sourceIp: '192.0.2.1', status: 200, bytesSent: 5, objectSize: 5 }, 's3-access-log'),
  ], 's3-access-log');
  addFile(db, [download({ time: T0 + 2 * H, key: 'c.sql', sourceIp: '192.0.2.1', status: 206, range: 'bytes=0-1', bytesSent: 2, objectSize: 5 }, 's3-access-log')], 's3-access-log');
  assertSameAsRebuild(db);
});
