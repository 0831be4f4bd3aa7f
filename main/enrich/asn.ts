// IP → ASN and network name from the DB-IP / RouteViews range files of @ip-location-db/asn
// (CC BY 4.0). The ranges are loaded once into sorted typed arrays and searched by bisection; the
// network names are interned (a few tens of thousands for 400k ranges).
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AsnAnswer { asn: number; org: string }

export interface Table<T> { starts: T; ends: T; asn: Uint32Array; org: Uint32Array; names: string[]; size: number }

/** Reads `start,end,asn,org` lines (org may be quoted with "" escapes). `num` turns a start/end field into the table's number. */
function parseRanges<N>(text: string, num: (s: string) => N, put: (i: number, start: N, end: N) => void, grow: (n: number) => void,
  asnArr: () => Uint32Array, orgArr: () => Uint32Array, names: string[]): number {
  const index = new Map<string, number>();
  let count = 0;
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const c1 = text.indexOf(',', pos);
    const c2 = text.indexOf(',', c1 + 1);
    const c3 = text.indexOf(',', c2 + 1);
    if (c1 > 0 && c3 > 0 && c3 < end) {
      grow(count + 1);
      let org = text.slice(c3 + 1, text.charCodeAt(end - 1) === 13 ? end - 1 : end);
      if (org.startsWith('"')) org = org.slice(1, -1).replaceAll('""', '"');
      let oi = index.get(org);
      if (oi === undefined) { oi = names.length; names.push(org); index.set(org, oi); }
      put(count, num(text.slice(pos, c1)), num(text.slice(c1 + 1, c2)));
      asnArr()[count] = Number(text.slice(c2 + 1, c3));
      orgArr()[count] = oi;
      count++;
    }
    pos = end + 1;
  }
  return count;
}

export class AsnTable {
  private constructor(private v4: Table<Float64Array> | null, private v6: Table<bigint[]> | null, private v6Path: string | null) {}

  /**
   * Loads the IPv4 ranges now (packed by the build when `packed` names a current pack of them); the
   * IPv6 ranges on the first IPv6 lookup (most cases have none).
   */
  static load(v4Path: string, v6Path: string | null, packed?: { path: string; version: string }): AsnTable {
    return new AsnTable((packed && readPackedV4(packed.path, v4Path, packed.version)) ?? loadV4(v4Path), null, v6Path);
  }

  lookup4(ip: number): AsnAnswer | null {
    const t = this.v4;
    if (!t) return null;
    const i = bisect(t.starts, t.size, ip);
    return i >= 0 && ip <= t.ends[i] ? { asn: t.asn[i], org: t.names[t.org[i]] } : null;
  }

  lookup6(ip: bigint): AsnAnswer | null {
    if (!this.v6 && this.v6Path) { this.v6 = loadV6(this.v6Path); this.v6Path = null; }
    const t = this.v6;
    if (!t) return null;
    let lo = 0;
    let hi = t.size - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (t.starts[mid] <= ip) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found >= 0 && ip <= t.ends[found] ? { asn: t.asn[found], org: t.names[t.org[found]] } : null;
  }

  get ranges(): { v4: number; v6: number | null } { return { v4: this.v4?.size ?? 0, v6: this.v6?.size ?? null }; }
}

/** Index of the last start ≤ x, or -1. */
function bisect(starts: Float64Array, size: number, x: number): number {
  let lo = 0;
  let hi = size - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] <= x) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

function loadV4(path: string): Table<Float64Array> {
  // One pass over the bytes: the three numbers are read digit by digit and the name is decoded only
  // the first time it is seen (a generic split-and-parse took 1.4 s for the 412k lines; this ~0.2 s).
  const buf = readFileSync(path);
  let cap = 1 << 19;
  let starts = new Float64Array(cap);
  let ends = new Float64Array(cap);
  let asn = new Uint32Array(cap);
  let org = new Uint32Array(cap);
  const names: string[] = [];
  const index = new Map<string, number>();
  let size = 0;
  let pos = 0;
  const n = buf.length;
  while (pos < n) {
    const lineStart = pos;
    // start,end,asn: digits up to each comma (kept inline: a closure over pos ran 5× slower)
    let a = 0;
    let c = 0;
    while (pos < n && (c = buf[pos++]) !== 44) a = a * 10 + (c - 48);
    let b = 0;
    while (pos < n && (c = buf[pos++]) !== 44) b = b * 10 + (c - 48);
    let as = 0;
    while (pos < n && (c = buf[pos++]) !== 44) as = as * 10 + (c - 48);
    let e = buf.indexOf(10, pos);
    if (e < 0) e = n;
    let nameEnd = e > pos && buf[e - 1] === 13 ? e - 1 : e;
    let nameStart = pos;
    if (buf[nameStart] === 34 && nameEnd > nameStart + 1) { nameStart++; nameEnd--; } // "quoted"
    pos = e + 1;
    if (nameStart > nameEnd || pos - lineStart < 7) continue;
    if (size === cap) {
      cap *= 2;
      const s2 = new Float64Array(cap); s2.set(starts); starts = s2;
      const e2 = new Float64Array(cap); e2.set(ends); ends = e2;
      const a2 = new Uint32Array(cap); a2.set(asn); asn = a2;
      const o2 = new Uint32Array(cap); o2.set(org); org = o2;
    }
    const raw = buf.toString('latin1', nameStart, nameEnd);
    let oi = index.get(raw);
    if (oi === undefined) {
      oi = names.length;
      names.push(buf.toString('utf8', nameStart, nameEnd).replaceAll('""', '"'));
      index.set(raw, oi);
    }
    starts[size] = a; ends[size] = b; asn[size] = as; org[size] = oi;
    size++;
  }
  return sorted({ starts, ends, asn, org, names, size });
}

function loadV6(path: string): Table<bigint[]> {
  const text = readFileSync(path, 'latin1');
  let cap = 1 << 17;
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  let asn = new Uint32Array(cap);
  let org = new Uint32Array(cap);
  const names: string[] = [];
  const grow = (n: number) => {
    if (n <= cap) return;
    cap *= 2;
    const a = new Uint32Array(cap); a.set(asn); asn = a;
    const o = new Uint32Array(cap); o.set(org); org = o;
  };
  const size = parseRanges(text, (s) => BigInt(s), (i, s, e) => { starts[i] = s; ends[i] = e; }, grow, () => asn, () => org, names);
  return { starts, ends, asn, org, names: names.map(utf8), size };
}

const utf8 = (latin1: string): string => Buffer.from(latin1, 'latin1').toString('utf8');

/**
 * The IPv4 table as the build packs it beside this file (scripts/build.mjs): its typed arrays as bytes
 * after a JSON line naming the data's version, the CSV's size and the network names. Read in about
 * 10 ms, where parsing the CSV took 0.2–0.4 s — paid by every CLI run and every import's address step.
 */
export const PACKED_V4 = join(__dirname, 'data', 'asn-ipv4.bin');

interface PackHeader { version: string; csvBytes: number; size: number; names: string[] }

export function packV4(csvPath: string, version: string, out: string): void {
  const t = loadV4(csvPath);
  const header: PackHeader = { version, csvBytes: statSync(csvPath).size, size: t.size, names: t.names };
  let head = Buffer.from(`${JSON.stringify(header)}\n`);
  head = Buffer.concat([head, Buffer.alloc((8 - (head.length % 8)) % 8, 32)]); // the arrays start 8-aligned
  const n = t.size;
  const body = [new Float64Array(t.starts.subarray(0, n)), new Float64Array(t.ends.subarray(0, n)), t.asn.slice(0, n), t.org.slice(0, n)];
  writeFileSync(`${out}.tmp`, Buffer.concat([head, ...body.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))]));
  renameSync(`${out}.tmp`, out);
}

/** The packed table, or null when there is none or it was packed from other data (the CSV is then parsed). */
export function readPackedV4(path: string, csvPath: string, version: string): Table<Float64Array> | null {
  if (!existsSync(path)) return null;
  const buf = readFileSync(path);
  const nl = buf.indexOf(10);
  const h = JSON.parse(buf.toString('utf8', 0, nl)) as PackHeader;
  if (h.version !== version || h.csvBytes !== statSync(csvPath).size) return null;
  let at = nl + 1 + ((8 - ((nl + 1) % 8)) % 8);
  // Copied out of the file's buffer, which need not be aligned for a Float64Array.
  const take = <T>(make: (b: ArrayBuffer) => T, bytes: number): T => {
    const b = buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + bytes);
    at += bytes;
    return make(b);
  };
  const n = h.size;
  if (buf.length !== at + n * 24) throw new Error(`${path}: a packed ASN table of ${n} ranges must be ${at + n * 24} bytes, not ${buf.length}`);
  const starts = take((b) => new Float64Array(b), n * 8);
  const ends = take((b) => new Float64Array(b), n * 8);
  const asn = take((b) => new Uint32Array(b), n * 4);
  const org = take((b) => new Uint32Array(b), n * 4);
  return { starts, ends, asn, org, names: h.names, size: n };
}

/** The files are published sorted; check rather than trust, since bisection depends on it. */
function sorted(t: Table<Float64Array>): Table<Float64Array> {
  for (let i = 1; i < t.size; i++) if (t.starts[i] < t.starts[i - 1]) throw new Error(`ASN ranges are not sorted at row ${i + 1}`);
  return t;
}
