// Finds the day folders (or day name prefixes) of a log prefix by listing one folder level at a time
// with a delimiter, descending only into the layouts' own folders, so a pull of three days never lists
// a year of keys.
import { ListObjectsV2Command, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { AFTER_SIMPLE_NAMES, SIMPLE_ACCESS_LOG_NAME, classifySegment, dashedDay, descend, segmentsOf, slashedDay, type Segment } from './s3-layout';

export interface ListedObject { key: string; size: number; etag: string; lastModified: Date | null }

async function listLevel(client: S3Client, bucket: string, level: string, signal?: AbortSignal): Promise<{ folders: string[]; hasSimple: boolean }> {
  const folders = new Set<string>();
  let hasSimple = false;
  let token: string | undefined;
  let startAfter: string | undefined;
  for (;;) {
    const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: level, Delimiter: '/', ContinuationToken: token, StartAfter: token ? undefined : startAfter }), { abortSignal: signal });
    for (const p of out.CommonPrefixes ?? []) if (p.Prefix) folders.add(p.Prefix);
    const simpleHere = (out.Contents ?? []).some((o) => SIMPLE_ACCESS_LOG_NAME.test((o.Key ?? '').slice(level.length)));
    const last = out.Contents?.length ? out.Contents[out.Contents.length - 1].Key ?? '' : '';
    if (simpleHere) hasSimple = true;
    if (!out.IsTruncated) break;
    if (simpleHere && startAfter === undefined && last < level + AFTER_SIMPLE_NAMES) {
      // A flat access-log folder holds a file per few minutes for years: skip past them, their days are known.
      startAfter = level + AFTER_SIMPLE_NAMES;
      token = undefined;
    } else {
      token = out.NextContinuationToken;
    }
  }
  return { folders: [...folders].sort(), hasSimple };
}

/** Key prefixes that hold the given days' log files under `prefix`. */
export async function dayPrefixes(client: S3Client, bucket: string, prefix: string, days: Date[], regions: string[] | null, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  const visit = async (level: string, path: Segment[]): Promise<void> => {
    if (path.length > 8) return;
    const { folders, hasSimple } = await listLevel(client, bucket, level, signal);
    if (hasSimple) for (const d of days) out.push(`${level}${dashedDay(d)}-`);
    const years = new Set(folders.map((f) => f.slice(level.length, -1)).filter((n) => classifySegment(n) === 'year'));
    for (const d of days) if (years.has(String(d.getUTCFullYear()))) out.push(`${level}${slashedDay(d)}/`);
    for (const f of folders) {
      const name = f.slice(level.length, -1);
      // `--logs s3://b/logs` (no slash) means the folder logs/ as much as keys starting "logs".
      if (name === '' && path.length === 0) await visit(f, path);
      else {
        const seg = classifySegment(name);
        if (seg !== 'year' && descend(path, seg, regions, name)) await visit(f, [...path, seg]);
      }
    }
  };
  await visit(prefix, segmentsOf(prefix));
  return [...new Set(out)];
}

export async function listObjects(client: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix }, )) {
    signal?.throwIfAborted();
    for (const o of page.Contents ?? []) {
      if (!o.Key || o.Key.endsWith('/')) continue;
      objects.push({ key: o.Key, size: o.Size ?? 0, etag: o.ETag ?? '', lastModified: o.LastModified ?? null });
    }
  }
  return objects;
}
