// The row digest of an evidence file: SHA-256 over `${locator}\t${raw}\n` of every event stored from
// it, in locator order. Import records it; verify recomputes it from the case to show nothing was altered.
import { createHash, type Hash } from 'node:crypto';
import { COL, ROW_WIDTH, type Rows } from './rows';

export class RowsDigest {
  private readonly hash: Hash = createHash('sha256');
  add(locator: number, raw: string): void {
    this.hash.update(`${locator}\t${raw}\n`);
  }
  /**
   * The same for a batch of rows, from the bytes of their raw blocks, in one update: a string built and
   * hashed per row cost 2.5–3 µs of the parser's 9–10 µs per access-log line.
   */
  addRows(rows: Rows): void {
    const v = rows.values;
    const blocks = rows.blocks.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    let size = 0;
    for (let b = 0; b < v.length; b += ROW_WIDTH) size += (v[b + COL.rawLen] as number) + 18;
    const out = Buffer.allocUnsafe(size);
    let o = 0;
    for (let b = 0; b < v.length; b += ROW_WIDTH) {
      o += out.write(String(v[b + COL.locator]), o, 'latin1');
      out[o++] = 9;
      const at = v[b + COL.rawAt] as number;
      o += blocks[v[b + COL.rawBlock] as number].copy(out, o, at, at + (v[b + COL.rawLen] as number));
      out[o++] = 10;
    }
    this.hash.update(out.subarray(0, o));
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
