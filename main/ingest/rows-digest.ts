// The row digest of an evidence file: SHA-256 over `${locator}\t${raw}\n` of every event stored from
// it, in locator order. Import records it; verify recomputes it from the case to show nothing was altered.
import { createHash, type Hash } from 'node:crypto';

export class RowsDigest {
  private readonly hash: Hash = createHash('sha256');
  add(locator: number, raw: string): void {
    this.hash.update(`${locator}\t${raw}\n`);
  }
  hex(): string {
    return this.hash.digest('hex');
  }
}

export function rowsDigestOf(rows: Iterable<{ locator: number; raw: string }>): { n: number; digest: string } {
  const d = new RowsDigest();
  let n = 0;
  for (const r of rows) {
    d.add(r.locator, r.raw);
    n++;
  }
  return { n, digest: d.hex() };
}
