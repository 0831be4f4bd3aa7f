// The fold groups many events or downloads part by part, each part added to the last, so that no sort
// outgrows memory (foldMemory): the same summaries whatever the parts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldMemory, rebuildAnalysis } from '../../../main/case/analysis-update';
import type { WritableDB } from '../../../main/case/db';
import { addFile, download, mgmt, newCase, summaries } from './case-builder';

const T0 = Date.parse('2024-03-01T10:00:00Z');
const B = 'acme-db-backups';
const ARN = 'arn:aws:iam::111122223333:user/alice';

/**
 * Files of a case, each folded as it comes: an ACL change opening the bucket, anonymous access-log
 * reads (some with no address: anonymous@unknown), then CloudTrail reads by one principal, folded
 * against the window as it stands (each classed as the fold groups it; nothing recounts them after).
 */
function build(db: WritableDB): void {
  addFile(db, [mgmt('PutBucketAcl', T0, 'acl-change', { bucketName: B, 'x-amz-acl': ['public-read'] })]);
  addFile(db, [
    ...Array.from({ length: 30 }, (_, i) => download({ time: T0 + i * 1000 + 200, key: `k${i % 7}.sql`, actor: 'anonymous', sourceIp: '192.0.2.1', requestId: `A${i}`, status: 200, bytesSent: 100, objectSize: 100 }, 's3-access-log')),
    ...Array.from({ length: 40 }, (_, i) => download({ time: T0 + 7_200_000 + i * 7000, key: `pub/${i % 5}.bak`, requestId: `P${i}`, sourceIp: i % 6 ? `198.51.100.${i % 9}` : null, userAgent: i % 2 ? 'curl/8' : 'Wget/1.21', status: 200, bytesSent: 50 + i, objectSize: 80 }, 's3-access-log')),
  ], 's3-access-log');
  addFile(db, [
    // 60 user agents of one actor, seen again and again: its first 50 are kept, by first download.
    ...Array.from({ length: 90 }, (_, i) => download({
      time: T0 + i * 1000, key: `k${i % 7}.sql`, actor: ARN, sourceIp: `192.0.2.${i % 3}`, requestId: `C${i}`,
      userAgent: `agent-${(i * 7) % 60}`, accessKeyId: i % 4 === 1 ? `AKIA${i}` : null, bytesSent: i % 5 ? 100 + i : null, objectSize: i % 6 ? 400 : null,
    })),
    ...Array.from({ length: 12 }, (_, i) => download({ time: T0 + 3_600_000 + i * 1000, key: 'big.tar.gz', actor: ARN, requestId: `R${i}`, sourceIp: null, status: 206, range: `bytes=${(i % 4) * 10}-${(i % 4) * 10 + 9}`, bytesSent: 10, objectSize: 40 })),
  ]);
}

test('a fold part by part (sorts of 7 downloads) gives the summaries of one part, folded or rebuilt', (t) => {
  const saved = { ...foldMemory };
  t.after(() => Object.assign(foldMemory, saved));
  const once = newCase(t);
  build(once);
  const whole = summaries(once);

  Object.assign(foldMemory, { sortDownloads: 7 });
  const inParts = newCase(t);
  build(inParts);
  const parts = summaries(inParts);
  for (const table of Object.keys(whole)) assert.deepEqual(parts[table], whole[table], table);
  rebuildAnalysis(inParts);
  const rebuilt = summaries(inParts);
  for (const table of Object.keys(whole)) assert.deepEqual(rebuilt[table], whole[table], table);

  // What the parts had to carry across: more agents than are kept, an access key from an earlier part, exposure counts.
  // Alice: her last access key (download 89), 101 of her 102 downloads inside the window and the first at
  // its boundary (the second the ACL changed), 50 of her 60 agents.
  const alice = inParts.prepare(`SELECT a.access_key_id, a.downloads, a.in_exposure, a.at_boundary, (SELECT count(*) FROM actor_agents x WHERE x.aid = a.aid) AS agents
    FROM actor_stats a WHERE actor_key = ?`).get(ARN);
  assert.deepEqual(alice, { access_key_id: 'AKIA89', downloads: 102, in_exposure: 101, at_boundary: 1, agents: 50 });
  assert.equal(inParts.prepare(`SELECT count(*) FROM actor_stats WHERE actor_key = 'anonymous@unknown' AND source_ip IS NULL`).pluck().get(), 1);
});
