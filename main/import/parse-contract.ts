// What the writer asks of a parser: for each file, what it is (format, hash) and then its batches.
// Files are queued ahead of the one being written, so identifying and parsing the next files
// overlaps writing this one (a thousand small trail files otherwise wait on each other a thousand times).
import type { Format } from '../../shared/events';
import type { DocumentFormat, LineFormat } from '../ingest/formats/types';
import { describeFile, parseFile, type PackedBatch, type ParsedBatch } from '../ingest/parse-file';
import { hashFile, readHead, readWholeFile, type WholeFile } from '../ingest/read';
import { detect, formatByName } from '../ingest/registry';

/** How much of a file's text the format sniffers see. */
export const HEAD_CHARS = 64 * 1024;

/** Batches in flight between the parser and the writer. */
export const WINDOW = 4;

/** What a file turned out to be, before any of it is parsed. */
export type FileFacts =
  | { kind: 'unreadable'; reason: string; sha256?: string; size?: number }
  | { kind: 'unknown'; reason: string; sha256?: string; size?: number }
  | { kind: 'evidence'; format: Format; sha256: string; size: number; parse: boolean; description?: object; malformed?: string };

/** Identifies a file (sniff, hash, describe), keeping a small one's text (read.ts) for the parse that follows: one read serves both. */
export async function examine(path: string): Promise<{ facts: FileFacts; whole: WholeFile | null }> {
  // Content that cannot be read (a damaged gzip) may still have bytes to hash: the case records them.
  const unreadable = async (err: unknown) => {
    let hash: { sha256: string; size: number } | undefined;
    try {
      hash = await hashFile(path);
    } catch {
      hash = undefined;
    }
    return { facts: { kind: 'unreadable' as const, reason: `cannot be read: ${(err as Error).message}`, ...hash }, whole: null };
  };
  let whole: WholeFile | null;
  let head: string;
  try {
    whole = readWholeFile(path);
    head = whole ? whole.text.slice(0, HEAD_CHARS) : await readHead(path, HEAD_CHARS);
  } catch (err) {
    return unreadable(err);
  }
  const format = detect(head, path);
  if (!format) {
    // Never an excerpt of the file: an unrecognised file may be anything (~/.aws/credentials, a key), and
    // the reason is stored in the case and shown on the page. Its hash identifies it instead.
    let hash: { sha256: string; size: number } | undefined;
    try {
      hash = whole ? { sha256: whole.sha256, size: whole.size } : await hashFile(path);
    } catch {
      hash = undefined;
    }
    const reason = hash?.size === 0 ? 'an empty file' : !head.trim() ? 'no text in it (blank, or empty once decompressed)' : 'not a recognised evidence format';
    return { facts: { kind: 'unknown', reason, ...hash }, whole: null };
  }
  let hash: { sha256: string; size: number };
  try {
    hash = whole ? { sha256: whole.sha256, size: whole.size } : await hashFile(path);
  } catch (err) {
    return unreadable(err);
  }
  const facts = { kind: 'evidence' as const, format: format.name, ...hash, parse: format.kind !== 'evidence-only' };
  if (format.kind !== 'evidence-only') return { facts, whole };
  try {
    return { facts: { ...facts, description: await describeFile(path, format, whole) }, whole: null };
  } catch (err) {
    return { facts: { ...facts, malformed: `${format.description} is malformed: ${(err as Error).message}` }, whole: null };
  }
}

export interface ParseJob {
  identified(): Promise<FileFacts>;
  /** Only for files identified as evidence to parse. */
  batches(signal?: AbortSignal): AsyncIterable<ParsedBatch | PackedBatch>;
  /** The next batch if it has already arrived, taken without waiting (and so without leaving the writer's transaction); else null. */
  takeReady?(): PackedBatch | null;
  /** The file is not wanted (already in the case, cancelled): stop reading it and drop what was read. */
  cancel(): void;
}

export interface Parser {
  /** Queues a file (its size as found, when known); files are read in the order they were started. */
  start(path: string, size?: number): ParseJob;
  /** Frees what the parser holds (a worker and its heap) once every file is read. */
  close?(): Promise<void>;
}

export type ParseBatches = (path: string, format: LineFormat | DocumentFormat, signal?: AbortSignal) => AsyncIterable<ParsedBatch | PackedBatch>;

/**
 * Parses in the calling thread, a file when the writer asks for it, from the one read that identified
 * it when it is small (tests inject their own batches through `parse`).
 */
export function inThreadParser(parse?: ParseBatches): Parser {
  return {
    start: (path) => {
      let facts: Promise<FileFacts> | null = null;
      let whole: WholeFile | null = null; // held only until the file is parsed or dropped
      const identified = () => (facts ??= examine(path).then((e) => { whole = e.whole; return e.facts; }));
      return {
        identified,
        batches: async function* (signal) {
          const f = await identified();
          const text = whole;
          whole = null;
          if (f.kind !== 'evidence' || !f.parse) return;
          const format = parseableFormat(f.format);
          yield* parse ? parse(path, format, signal) : parseFile(path, format, { signal, whole: text });
        },
        cancel: () => { whole = null; },
      };
    },
  };
}

/** The format a file identified for parsing is parsed with. */
export function parseableFormat(name: Format): LineFormat | DocumentFormat {
  const f = formatByName(name);
  if (f.kind === 'evidence-only') throw new Error(`${f.description} has no records to parse`);
  return f;
}
