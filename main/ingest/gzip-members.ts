// Where a gzip file's first member ends. CloudTrail delivers each log file as one gzip member; bytes
// after it (a second member appended to the object) are not part of the file as delivered, though
// gunzip and Node's zlib read on through every member. aws-cli's validate-logs (PRs #10324/#10326)
// rejects such a file even when the first member hashes as its digest lists; Trailmark finds the same
// boundary here, for the import and for validation alike.
import { crc32, inflateRawSync } from 'node:zlib';

export interface FirstMember {
  /** Stored bytes of the first member (header, deflate stream, 8-byte trailer). */
  storedLength: number;
  /** Its content, inflated. */
  inflated: Buffer;
  /** Stored bytes after the first member (0 for a single-member file). */
  appendedBytes: number;
}

const FTEXT_FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/** Length of a gzip member header (RFC 1952 §2.3) at the start of `b`, or null when it is not one. */
function headerLength(b: Buffer): number | null {
  if (b.length < 10 || b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8) return null;
  const flags = b[3];
  let at = 10;
  if (flags & FEXTRA) {
    if (at + 2 > b.length) return null;
    at += 2 + b.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    while (at < b.length && b[at] !== 0) at++;
    at++;
  }
  if (flags & FTEXT_FHCRC) at += 2;
  return at <= b.length ? at : null;
}

/**
 * The first member of a gzip file held in memory; null when the bytes are not gzip or the first
 * member cannot be inflated (a damaged file: the reader's own errors say so).
 */
export function firstGzipMember(bytes: Buffer, maxOutputLength?: number): FirstMember | null {
  const header = headerLength(bytes);
  if (header === null) return null;
  try {
    // A raw inflate stops at the end of the deflate stream and reports how much input it used.
    const { buffer, engine } = inflateRawSync(bytes.subarray(header), { info: true, ...(maxOutputLength ? { maxOutputLength } : {}) }) as unknown as {
      buffer: Buffer; engine: { bytesWritten: number };
    };
    const end = header + engine.bytesWritten;
    // The trailer gunzip checks: CRC-32 and length of the content; a damaged member is not a member.
    if (end + 8 > bytes.length || bytes.readUInt32LE(end) !== crc32(buffer) || bytes.readUInt32LE(end + 4) !== (buffer.length >>> 0)) return null;
    const storedLength = end + 8;
    return { storedLength, inflated: buffer, appendedBytes: bytes.length - storedLength };
  } catch {
    return null;
  }
}
