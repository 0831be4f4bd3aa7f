// Where pulled evidence lands on disk, and the checkpoints that make a pull resumable.
// Layout under the case's evidence folder (`<case>.evidence/` beside the case file):
//   aws/<api>/<run>/…            pages of one API pull, with checkpoint.json and pages.jsonl (run = start time + parameter hash)
//   s3/<bucket>/<key>            log files downloaded from buckets, one copy per object, kept as stored
//   s3-meta/<bucket>/<key>.json  what S3 said about each download (ETag, VersionId, LastModified, metadata)
// A run whose checkpoint is not complete is continued by the next pull with the same parameters.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
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

export interface Run<S extends RunState, P extends { file: string }> {
  dir: string;
  state: S;
  resumed: boolean;
  /** The pages written so far, from pages.jsonl (appended, so a long pull never rewrites its list). */
  pages: P[];
  save(): Promise<void>;
  /** Records a page whose file is written; a page fetched again (after a crash) replaces its record. */
  addPage(page: P): Promise<void>;
}

/** Opens the unfinished run of this pull, or starts a new one. */
export async function openRun<S extends RunState, P extends { file: string }>(root: string, params: unknown, fresh: () => S): Promise<Run<S, P>> {
  const hash = paramsHash(params);
  await mkdir(root, { recursive: true });
  const candidates = (await readdir(root)).filter((d) => d.endsWith(`-${hash}`)).sort().reverse();
  for (const d of candidates) {
    const file = join(root, d, 'checkpoint.json');
    if (!existsSync(file)) continue;
    const state = JSON.parse(await readFile(file, 'utf8')) as S;
    if (!state.complete) return makeRun<S, P>(join(root, d), state, true, await readPages<P>(join(root, d)));
  }
  const state = fresh();
  const dir = join(root, `${state.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${hash}`);
  const run = makeRun<S, P>(dir, state, false, []);
  await run.save();
  return run;
}

async function readPages<P extends { file: string }>(dir: string): Promise<P[]> {
  const path = join(dir, 'pages.jsonl');
  if (!existsSync(path)) return [];
  const byFile = new Map<string, P>();
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    try {
      const p = JSON.parse(line) as P;
      byFile.set(p.file, p);
    } catch {
      // a line cut by a crash: its page is fetched again
    }
  }
  return [...byFile.values()];
}

function makeRun<S extends RunState, P extends { file: string }>(dir: string, state: S, resumed: boolean, pages: P[]): Run<S, P> {
  return {
    dir, state, resumed, pages,
    save: () => writeFileAtomic(join(dir, 'checkpoint.json'), `${JSON.stringify(state, null, 2)}\n`),
    async addPage(page) {
      await appendFile(join(dir, 'pages.jsonl'), `${JSON.stringify(page)}\n`);
      const i = pages.findIndex((p) => p.file === page.file);
      if (i >= 0) pages[i] = page;
      else pages.push(page);
    },
  };
}

/** Pages as JSON documents with the record array first and one record per line: readable, and read
 *  by the same parsers as the AWS CLI's output. */
export function arrayDocument(key: string, records: unknown[], extra: Record<string, unknown> = {}): string {
  const parts = [`${JSON.stringify(key)}:[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]`];
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) parts.push(`${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return `{${parts.join(',\n')}}\n`;
}
