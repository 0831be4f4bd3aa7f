// Expands the paths an investigator gave into evidence files: folders recursively (both S3 access-log
// key layouts and the AWSLogs/… CloudTrail tree are plain folders once copied), each file once.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface FoundFile { path: string; size: number }
export interface WalkProblem { path: string; reason: string }

export async function walk(paths: string[]): Promise<{ files: FoundFile[]; problems: WalkProblem[] }> {
  const files: FoundFile[] = [];
  const problems: WalkProblem[] = [];
  const seen = new Set<string>();
  async function visit(p: string): Promise<void> {
    let real: string;
    try {
      real = await realpath(p);
    } catch (err) {
      problems.push({ path: p, reason: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message });
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    const st = await stat(real);
    if (st.isDirectory()) {
      const entries = (await readdir(real)).sort();
      for (const e of entries) await visit(join(p, e));
    } else if (st.isFile()) {
      files.push({ path: p, size: st.size });
    } else {
      problems.push({ path: p, reason: 'not a regular file' });
    }
  }
  for (const p of paths) await visit(p);
  return { files, problems };
}
