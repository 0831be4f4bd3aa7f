// Byte ranges and copies assembled from range requests.
//
// The rule (documented for the report): an actor holds a complete copy of an object when
//  - one read returned the whole object (status 200 and bytes sent >= object size), or
//  - the byte ranges of its 206 reads, merged in time order, cover every byte 0..size-1; each
//    time coverage becomes complete one assembled copy is counted and coverage starts again.
// Coverage counts the bytes actually sent from the start of the range (an aborted transfer asked
// for more than it got). A 206 whose range was not logged (the S3 access log has no Range field; only CloudTrail's
// requestParameters.Range or a merged record gives one) adds nothing to coverage unless it sent
// the whole object (bytes sent >= size). Partial reads of unknown offset are never summed into a
// copy: two halves of unknown position may be the same half.
export type Interval = [start: number, endInclusive: number];

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (suffix) against a size; null when unreadable or unsatisfiable. */
export function parseRange(range: string | null, size: number | null): Interval | null {
  if (!range) return null;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(range);
  if (!m || (m[1] === '' && m[2] === '')) return null; // multi-range or malformed
  if (m[1] === '') {
    if (size === null) return null;
    const n = Number(m[2]);
    return n > 0 ? [Math.max(0, size - n), size - 1] : null;
  }
  const start = Number(m[1]);
  let end = m[2] === '' ? (size === null ? null : size - 1) : Number(m[2]);
  if (end === null) return null;
  if (size !== null) end = Math.min(end, size - 1);
  return end >= start ? [start, end] : null;
}

/** Adds an interval to a sorted, merged list (adjacent intervals join). */
export function addInterval(list: Interval[], iv: Interval): Interval[] {
  const out: Interval[] = [];
  let [s, e] = iv;
  let placed = false;
  for (const [a, b] of list) {
    if (b + 1 < s) out.push([a, b]);
    else if (e + 1 < a) {
      if (!placed) {
        out.push([s, e]);
        placed = true;
      }
      out.push([a, b]);
    } else {
      s = Math.min(s, a);
      e = Math.max(e, b);
    }
  }
  if (!placed) out.push([s, e]);
  return out.sort((x, y) => x[0] - y[0]);
}

export function covers(list: Interval[], size: number): boolean {
  return size > 0 && list.length === 1 && list[0][0] <= 0 && list[0][1] >= size - 1;
}

/** One read of an object by one actor, as the reassembly sees it. */
export interface Read { status: number | null; bytesSent: number | null; range: string | null }

export interface CopyState { intervals: Interval[]; whole: number; assembled: number }

export const EMPTY_COPY_STATE: CopyState = { intervals: [], whole: 0, assembled: 0 };

/** Feeds one read (in time order) into an actor's copy state for one object of the given size. */
export function addRead(state: CopyState, read: Read, size: number | null): CopyState {
  const { status, bytesSent } = read;
  // CloudTrail logs no status: a read that asked for a range is a range read unless S3 said 200.
  if (status !== 206 && !(read.range && status !== 200)) {
    if (bytesSent !== null && size !== null && bytesSent >= size) return { ...state, whole: state.whole + 1 };
    return state;
  }
  let iv = parseRange(read.range, size);
  // An aborted transfer sends less than it asked for: only the bytes sent from the range start count.
  if (iv && bytesSent !== null) iv = bytesSent > 0 ? [iv[0], Math.min(iv[1], iv[0] + bytesSent - 1)] : null;
  if (!iv && size !== null && bytesSent !== null && bytesSent >= size && size > 0) iv = [0, size - 1];
  if (!iv) return state;
  const intervals = addInterval(state.intervals, iv);
  if (size !== null && covers(intervals, size)) return { intervals: [], whole: state.whole, assembled: state.assembled + 1 };
  return { ...state, intervals };
}
