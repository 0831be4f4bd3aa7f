// Log files from a bucket: S3 server access logs and CloudTrail trail and digest files under a prefix,
// for the days asked for only, downloaded with bounded concurrency into the case's evidence folder.
// Digest files bring their S3 metadata (signature) and the period's public keys come along, so the
// trail can be validated offline later.
import { S3Client } from '@aws-sdk/client-s3';
import { clientConfig } from './access';
import { baseOrigin, type Acquisition, type KeptFile, type PullContext } from './context';
import { AwsPullError, explainAwsError } from './errors';
import { runPool } from './pool';
import { KEY_ROTATION_SLACK_MS } from '../integrity/validate';
import { pullPublicKeys } from './public-keys';
import { downloadObject, type DownloadOutcome } from './s3-download';
import { cloudTrailRegionOf, daysBetween, logKindOf, parseS3Uri } from './s3-layout';
import { dayPrefixes, listObjects, type ListedObject } from './s3-walk';

export interface LogsParams {
  uri: string;
  from: Date;
  to: Date;
  /** CloudTrail region folders to take; null: all. */
  regions: string[] | null;
  concurrency?: number;
  /** Extra days after `to` (files are delivered minutes to hours after their records). */
  slackDays?: number;
}

export async function pullLogs(ctx: PullContext, p: LogsParams): Promise<Acquisition> {
  if (!(p.from < p.to)) throw new Error('--from must be before --to');
  const { bucket, prefix } = parseS3Uri(p.uri);
  const client = new S3Client({ ...clientConfig(ctx.access, ctx.region), followRegionRedirects: true });
  try {
    const days = daysBetween(p.from, p.to, p.slackDays ?? 1);
    let objects: ListedObject[] = [];
    let dayFolders: string[];
    try {
      dayFolders = await dayPrefixes(client, bucket, prefix, days, p.regions, ctx.signal);
      for (const d of dayFolders) objects.push(...(await listObjects(client, bucket, d, ctx.signal)));
    } catch (err) {
      throw explainAwsError(err, `S3 ListObjectsV2 on s3://${bucket}/${prefix}`, ctx.access.profile, true);
    }
    objects = objects.filter((o) => !/\.part(\.etag)?$/.test(o.key));
    const bytes = objects.reduce((n, o) => n + o.size, 0);
    ctx.progress(`s3://${bucket}/${prefix}: ${objects.length} log files (${bytes} bytes) in ${dayFolders.length} day folders`);

    let done = 0;
    const { results, failures } = await runPool(objects, p.concurrency ?? 4, async (o) => {
      const r = await downloadObject(client, ctx.evidenceDir, bucket, o, ctx.signal);
      done++;
      // A line per file for small pulls, about twenty for large ones (and every resumed file).
      if (r.resumedAt.length || done === objects.length || done % Math.max(1, Math.floor(objects.length / 20)) === 0) ctx.progress(`downloaded ${done}/${objects.length}: s3://${bucket}/${o.key}${r.reused ? ' (already here)' : ''}${r.resumedAt.length ? ` (resumed at byte ${r.resumedAt.join(', ')})` : ''}`);
      return r;
    });
    ctx.signal?.throwIfAborted();
    if (failures.length) {
      const first = explainAwsError(failures[0].error, `S3 GetObject s3://${bucket}/${failures[0].item.key}`, ctx.access.profile, true);
      throw new AwsPullError(`${failures.length} of ${objects.length} log files could not be downloaded; nothing was imported. First: ${first.message}`, first.code, { cause: first });
    }

    const kept: KeptFile[] = [];
    const digestRegions = new Set(results.filter((r) => logKindOf(r.object.key) === 'cloudtrail-digest').map((r) => cloudTrailRegionOf(r.object.key)).filter((r): r is string => !!r));
    // Two hours past the window, as aws-cli asks since PR #10073: the last digests are signed after it,
    // perhaps by a key that rotation brought in just then.
    const keyWindowEnd = new Date(p.to.getTime() + (p.slackDays ?? 1) * 86400_000 + KEY_ROTATION_SLACK_MS);
    // Backfill digests are signed when CloudTrail generates them, possibly long after their period: the
    // keys of those times come too.
    const generated = results.map((r) => Date.parse(r.object.metadata?.['x-amz-meta-backfill-generation-timestamp'] ?? r.object.metadata?.['backfill-generation-timestamp'] ?? '')).filter((t) => Number.isFinite(t) && (t < p.from.getTime() || t > keyWindowEnd.getTime()));
    for (const region of [...digestRegions].sort()) {
      kept.push(await pullPublicKeys(ctx, region, p.from, keyWindowEnd));
      if (generated.length) kept.push(await pullPublicKeys(ctx, region, new Date(Math.min(...generated) - KEY_ROTATION_SLACK_MS), new Date(Math.max(...generated) + KEY_ROTATION_SLACK_MS)));
    }

    const parameters = { Bucket: bucket, Prefix: prefix, from: p.from.toISOString(), to: p.to.toISOString() };
    return {
      resumed: results.some((r) => r.reused || r.resumedAt.length > 0),
      records: results.length,
      kept,
      files: results.sort((a, b) => (a.object.key < b.object.key ? -1 : 1)).map((r: DownloadOutcome) => ({
        path: r.path,
        displayPath: `s3://${bucket}/${r.object.key}`,
        origin: {
          ...baseOrigin(ctx, 's3:GetObject', ctx.region, { ...parameters, Key: r.object.key, VersionId: r.object.versionId }),
          logKind: logKindOf(r.object.key), downloadedAt: r.object.downloadedAt,
        },
        // s3Metadata apart, where digest validation looks for x-amz-meta-signature (main/integrity/case-inputs.ts).
        meta: { s3: { ...r.object, metadata: undefined }, s3Metadata: r.object.metadata },
      })),
    };
  } finally {
    client.destroy();
  }
}
