// Finding an evidence file's bytes again, wherever the case travelled: at the path recorded when it was
// acquired, in the case's read-only evidence store, or anywhere under a folder the examiner names
// (matched by file name, since a copied AWSLogs tree keeps its names but not its root).
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { storedEvidencePath } from './evidence-store';
import { fileHashes } from './read-inputs';
import { baseName } from './trail-names';

export interface LocatableEvidence {
  path: string;
  /** The origin JSON as stored: a local download may be named there (localPath / file). */
  origin?: string | null;
  sha256: string;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function originPaths(origin: string | null | undefined): string[] {
  if (!origin) return [];
  try {
    const o = JSON.parse(origin) as Record<string, unknown>;
    return ['localPath', 'file', 'downloadedTo'].map((k) => o[k]).filter((v): v is string => typeof v === 'string' && v.length > 0);
  } catch {
    return [];
  }
}

/**
 * What re-reading an evidence file found: ok (a copy hashes to the recorded SHA-256; content is the hash
 * after gunzip), altered (copies exist, none hashes as recorded), or unavailable (no copy found).
 */
export type EvidenceCheck =
  | { status: 'ok'; path: string; contentSha256: string; appendedBytes: number | null }
  | { status: 'altered'; path: string; foundSha256: string }
  | { status: 'unavailable'; reason: string };

export class EvidenceLocator {
  private byName: Map<string, string[]> | null = null;
  private readonly checked = new Map<string, Promise<EvidenceCheck>>();

  /** casePath: the case file (its evidence store sits beside it); evidenceDir: where copies may be, searched by name. */
  constructor(private readonly casePath: string, private readonly evidenceDir?: string) {}

  private index(): Map<string, string[]> {
    if (this.byName) return this.byName;
    const map = new Map<string, string[]>();
    const visit = (dir: string) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const p = join(dir, e.name);
        if (e.isDirectory()) visit(p);
        else if (e.isFile()) map.set(e.name, [...(map.get(e.name) ?? []), p]);
      }
    };
    if (this.evidenceDir) visit(this.evidenceDir);
    this.byName = map;
    return map;
  }

  /** Existing files that may hold this evidence's bytes, most authoritative first. Hash them to be sure. */
  candidates(ev: LocatableEvidence): string[] {
    const out: string[] = [];
    const add = (p: string) => {
      if (!out.includes(p) && isFile(p)) out.push(p);
    };
    for (const p of [ev.path, ...originPaths(ev.origin)]) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) continue; // s3://… or an API call, not a file
      add(isAbsolute(p) ? p : resolve(p));
    }
    const name = baseName(ev.path);
    try {
      add(storedEvidencePath(this.casePath, ev.sha256, name));
    } catch {
      // not a hash or not a storable name: it cannot be in the store
    }
    for (const p of this.index().get(name) ?? []) add(p);
    return out;
  }

  /** Finds and hashes the evidence once (memoised by path and hash): every caller shares one read. */
  check(ev: LocatableEvidence): Promise<EvidenceCheck> {
    const k = `${ev.sha256}\n${ev.path}`;
    let p = this.checked.get(k);
    if (!p) this.checked.set(k, (p = this.hash(ev)));
    return p;
  }

  private async hash(ev: LocatableEvidence): Promise<EvidenceCheck> {
    const found = this.candidates(ev);
    let first: EvidenceCheck | null = null;
    for (const path of found) {
      try {
        const h = await fileHashes(path);
        if (h.stored === ev.sha256) return { status: 'ok', path, contentSha256: h.content, appendedBytes: h.appendedBytes };
        first ??= { status: 'altered', path, foundSha256: h.stored };
      } catch (err) {
        first ??= { status: 'unavailable', reason: `${path} could not be read: ${(err as Error).message}` };
      }
    }
    return first ?? { status: 'unavailable', reason: 'no copy found at the recorded path, in the evidence store, or under the evidence folder' };
  }
}
