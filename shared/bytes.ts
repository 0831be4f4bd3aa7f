// Byte sizes, one convention on screen, in exports' messages and in the report: decimal units
// (1 KB = 1,000 bytes, 1 GB = 10^9 bytes), as storage and transfer are billed. A figure that was not
// logged is unknown, never 0; a sum over downloads some of which logged no bytes is a lower bound
// and says over how many rows it is unknown.

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];

export const BYTE_UNITS_NOTE = 'Sizes use decimal units (1 KB = 1,000 bytes, 1 MB = 1,000,000 bytes, 1 GB = 1,000,000,000 bytes).';

/** "950 bytes", "1.2 MB", "340 GB"; null is "unknown". */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return 'unknown';
  if (n < 1000) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  let v = n;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) { v /= 1000; u++; }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${UNITS[u]}`;
}

/** A sum of bytes over `rows` downloads of which `unknown` logged no bytes. */
export interface ByteSum { bytes: number; unknown: number; rows: number }

/** The sum as a figure: exact when every row logged bytes, "≥ …" when some did not, "unknown" when none did. */
export function formatByteSum(s: ByteSum, format: (n: number) => string = formatBytes): string {
  if (s.rows > 0 && s.unknown >= s.rows) return 'unknown';
  return s.unknown > 0 ? `≥ ${format(s.bytes)}` : format(s.bytes);
}

/** What the sum leaves unknown, or '' when nothing: "bytes unknown for 20 of 32 downloads". */
export function unknownBytesNote(s: ByteSum): string {
  if (s.unknown <= 0) return '';
  if (s.unknown >= s.rows) return `bytes not logged for ${s.rows === 1 ? 'the download' : s.rows === 2 ? 'either download' : `any of the ${s.rows.toLocaleString('en-GB')} downloads`}`;
  return `bytes unknown for ${s.unknown.toLocaleString('en-GB')} of ${s.rows.toLocaleString('en-GB')} downloads`;
}

/** "≥ 1.2 MB sent; bytes unknown for 20 of 32 downloads", "bytes sent unknown (…)", "3.4 MB sent". */
export function bytesSentPhrase(s: ByteSum, format: (n: number) => string = formatBytes): string {
  const note = unknownBytesNote(s);
  if (s.rows > 0 && s.unknown >= s.rows) return `bytes sent unknown (${note})`;
  return note ? `${formatByteSum(s, format)} sent; ${note}` : `${format(s.bytes)} sent`;
}
