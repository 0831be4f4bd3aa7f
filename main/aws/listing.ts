// A bucket's listing (ListObjectVersions, every page) saved as `aws s3api list-object-versions`
// output: the denominator for "X of Y backup files were taken", as it stood when pulled.
import { ListObjectVersionsCommand, S3Client, type DeleteMarkerEntry, type ObjectVersion } from '@aws-sdk/client-s3';
import { join } from 'node:path';
import { clientConfig } from './access';
import { baseOrigin, type AcquiredFile, type PullContext } from './context';
import { explainAwsError } from './errors';
import { parseS3Uri } from './s3-layout';
import { paramsHash, writeFileAtomic } from './store';

const iso = (d: Date | undefined) => d?.toISOString();

export async function pullListing(ctx: PullContext, uri: string): Promise<{ file: AcquiredFile; versions: number; deleteMarkers: number }> {
  const { bucket, prefix } = parseS3Uri(uri);
  const client = new S3Client({ ...clientConfig(ctx.access, ctx.region), followRegionRedirects: true });
  const versions: ObjectVersion[] = [];
  const markers: DeleteMarkerEntry[] = [];
  let pages = 0;
  try {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    for (;;) {
      const out = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix || undefined, KeyMarker: keyMarker, VersionIdMarker: versionMarker }), { abortSignal: ctx.signal });
      pages++;
      versions.push(...(out.Versions ?? []));
      markers.push(...(out.DeleteMarkers ?? []));
      if (pages % 10 === 0) ctx.progress(`ListObjectVersions s3://${bucket}/${prefix}: ${versions.length} versions so far`);
      if (!out.IsTruncated) break;
      keyMarker = out.NextKeyMarker;
      versionMarker = out.NextVersionIdMarker;
    }
  } catch (err) {
    throw explainAwsError(err, `S3 ListObjectVersions on s3://${bucket}/${prefix}`, ctx.access.profile, false);
  } finally {
    client.destroy();
  }
  const listedAt = new Date().toISOString();
  const doc = {
    Versions: versions.map((v) => ({ ETag: v.ETag, Size: v.Size, StorageClass: v.StorageClass, Key: v.Key, VersionId: v.VersionId, IsLatest: v.IsLatest, LastModified: iso(v.LastModified), Owner: v.Owner })),
    DeleteMarkers: markers.map((m) => ({ Owner: m.Owner, Key: m.Key, VersionId: m.VersionId, IsLatest: m.IsLatest, LastModified: iso(m.LastModified) })),
    Name: bucket,
    Prefix: prefix,
  };
  const path = join(ctx.evidenceDir, 'aws', 'listings', bucket, `${listedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${paramsHash(prefix)}.json`);
  await writeFileAtomic(path, `${JSON.stringify(doc, null, 1)}\n`);
  ctx.progress(`ListObjectVersions s3://${bucket}/${prefix}: ${versions.length} versions, ${markers.length} delete markers in ${pages} pages`);
  return {
    versions: versions.length,
    deleteMarkers: markers.length,
    file: {
      path,
      displayPath: `aws:s3:ListObjectVersions/s3://${bucket}/${prefix}@${listedAt}`,
      origin: { ...baseOrigin(ctx, 's3:ListObjectVersions', ctx.region, { Bucket: bucket, Prefix: prefix }), listedAt, pages },
    },
  };
}
