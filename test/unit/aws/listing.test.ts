import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { useStandin } from '../../support/aws-standin/env';
import { startStandin, type Standin } from '../../support/aws-standin/server';
import { evidenceMeta } from './case-meta';
import { inCase, newCasePath, pull } from './helpers';
import { openReadable } from '../../../main/case/db';

describe('bucket listing pull (ListObjectVersions)', () => {
  let standin: Standin;
  let restore: () => void;
  before(async () => {
    standin = await startStandin();
    const t = new Date('2025-02-01T00:00:00Z');
    standin.state.s3.buckets.set('acme-backups', [
      ...Array.from({ length: 7 }, (_, i) => ({ key: `backups/db-${i}.sql.gz`, body: Buffer.alloc(100 + i, 1), lastModified: t, versionId: `v${i}` })),
      { key: 'backups/db-0.sql.gz', body: Buffer.alloc(50, 2), lastModified: new Date('2025-01-01T00:00:00Z'), versionId: 'v-old', isLatest: false },
      { key: 'backups/gone.sql.gz', body: Buffer.alloc(0), lastModified: t, versionId: 'dm1', deleteMarker: true },
      { key: 'other/readme.txt', body: Buffer.from('hi'), lastModified: t, versionId: 'r1' },
    ]);
    standin.state.s3.pageSize = 3;
    restore = useStandin(standin.url);
  });
  after(async () => {
    restore();
    await standin.close();
  });

  it('pages through every version and keeps the list-object-versions shape as evidence', async () => {
    const casePath = newCasePath();
    const summary = await pull(casePath, { region: 'us-east-1', from: '2025-02-01T00:00:00Z', to: '2025-02-02T00:00:00Z', source: { type: 'listing', uri: 's3://acme-backups/backups/' } });
    assert.equal(standin.calls('s3:ListObjectVersions').length, 3);
    assert.equal(summary.records, 9);
    const { evidence } = inCase(casePath);
    assert.equal(evidence.length, 1);
    const e = evidence[0];
    assert.equal(e.format, 'bucket-listing');
    assert.match(e.path, /^aws:s3:ListObjectVersions\/s3:\/\/acme-backups\/backups\/@/);
    const origin = JSON.parse(e.origin);
    assert.deepEqual(origin.parameters, { Bucket: 'acme-backups', Prefix: 'backups/' });
    const listing = JSON.parse(readFileSync(origin.localPath, 'utf8'));
    assert.deepEqual(Object.keys(listing), ['Versions', 'DeleteMarkers', 'Name', 'Prefix']);
    assert.equal(listing.Name, 'acme-backups');
    assert.equal(listing.Versions.length, 8);
    assert.equal(listing.DeleteMarkers.length, 1);
    const old = listing.Versions.find((v: { VersionId: string }) => v.VersionId === 'v-old');
    assert.deepEqual({ Key: old.Key, IsLatest: old.IsLatest, Size: old.Size, LastModified: old.LastModified }, { Key: 'backups/db-0.sql.gz', IsLatest: false, Size: 50, LastModified: '2025-01-01T00:00:00.000Z' });
    assert.match(old.ETag, /^"[0-9a-f]{32}"$/);
    const db = openReadable(casePath);
    try {
      const meta = evidenceMeta(db, e.id) as { bucket: string; objects: number };
      assert.equal(meta.bucket, 'acme-backups');
      assert.equal(meta.objects, 9);
    } finally {
      db.close();
    }
  });
});
