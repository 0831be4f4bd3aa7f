// Where pulled evidence lands on disk, and the checkpoints that make a pull resumable.
// Layout under the case's evidence folder (`<case>.evidence/` beside the case file):
//   aws/<api>/<run>/…            pages of one API pull, with checkpoint.json (run = start time + parameter hash)
//   s3/<bucket>/<key>            log files downloaded from buckets, one copy per object, kept as stored
//   s3-meta/<bucket>/<key>.json  what S3 said about each download (ETag, VersionId, LastModified, metadata)
// A run whose checkpoint is not complete is continued by the next pull with the same parameters.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export function evidenceDirFor(casePath: string): string {
  return join(dirname(casePath), `${basename(casePath).replace(/\.(sqlite3?|db|case)$/i, '')}.evidence`);
}

/** Writes through a temporary name, so a crash never leaves a half-written file under the final name. */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** Stable hash of a pull's parameters: the same pull asked twice finds its unfinished run. */
export function paramsHash(params: unknown): string {
  return createHash('sha256').update(stableJson(params)).digest('hex').slice(0, 12);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export interface RunState { complete: boolean; startedAt: string }

export interface Run<S extends RunState> {
  dir: string;
  state: S;
  resumed: boolean;
  save(): Promise<void>;
}

/** Opens the unfinished run of this pull, or starts a new one. */
export async function openRun<S extends RunState>(root: string, params: unknown, fresh: () => S): Promise<Run<S>> {
  const hash = paramsHash(params);
  await mkdir(root, { recursive: true });
  const candidates = (await readdir(root)).filter((d) => d.endsWith(`-${hash}`)).sort().reverse();
  for (const d of candidates) {
    const file = join(root, d, 'checkpoint.json');
    if (!existsSync(file)) continue;
    const state = JSON.parse(await readFile(file, 'utf8')) as S;
    if (!state.complete) return makeRun(join(root, d), state, true);
  }
  const state = fresh();
  const dir = join(root, `${state.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${hash}`);
  const run = makeRun(dir, state, false);
  await run.save();
  return run;
}

function makeRun<S extends RunState>(dir: string, state: S, resumed: boolean): Run<S> {
  return {
    dir, state, resumed,
    save: () => writeFileAtomic(join(dir, 'checkpoint.json'), `${JSON.stringify(state, null, 2)}\n`),
  };
}

/** Pages as JSON documents with the record array first and one record per line: readable, and read
 *  by the same parsers as the AWS CLI's output. */
export function arrayDocument(key: string, records: unknown[], extra: Record<string, unknown> = {}): string {
  const parts = [`${JSON.stringify(key)}:[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]`];
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) parts.push(`${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return `{${parts.join(',\n')}}\n`;
}
