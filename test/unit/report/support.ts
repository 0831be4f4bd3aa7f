// Building real cases for report tests (generated evidence through the real import) and reading
// PDFs back with poppler (pdftotext, pdfinfo, pdftoppm).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateAnalysis } from '../../../main/case/analysis-update';
import { addNote } from '../../../main/case/annotations';
import { openWritable } from '../../../main/case/db';
import { setMeta } from '../../../main/case/meta';
import { importPaths } from '../../../main/import/run-import';
import { largeCaseLines, writeBoundaryCase, writeSmallCase } from './evidence';

const made: string[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tm-report-test-'));
  made.push(dir);
  return dir;
}
// Each test file runs in its own process: its temp dirs go when it exits.
process.on('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

async function finish(casePath: string, paths: string[]): Promise<void> {
  const summary = await importPaths(casePath, paths, { examiner: 'Jane Examiner' });
  for (const f of summary.files) if (f.status !== 'imported') throw new Error(`${f.path}: ${f.status} ${f.reason ?? ''}`);
  const db = openWritable(casePath);
  try {
    updateAnalysis(db);
    setMeta(db, 'name', 'ACME backup bucket exposure');
    setMeta(db, 'organisation', 'ACME Holdings plc');
  } finally {
    db.close();
  }
}

export const NOTE_INCLUDED = 'Address 203.0.113.7 belongs to a hosting provider; <b>abuse report</b> sent.';
export const NOTE_EXCLUDED = 'Working theory, not for the report.';

/** The small case of the report's example, with one note for the report and one not. */
export async function smallCase(dir = tempDir()): Promise<{ casePath: string; accessLog: string; trail: string; dir: string }> {
  const ev = writeSmallCase(join(dir, 'evidence'));
  const casePath = join(dir, 'case.sqlite');
  await finish(casePath, [ev.accessLog, ev.trail]);
  const db = openWritable(casePath);
  try {
    addNote(db, { target: { type: 'actor', id: 'anonymous@203.0.113.7' }, text: NOTE_INCLUDED, includeInReport: true, examiner: 'Jane Examiner' }, new Date('2017-08-19T08:00:00Z'));
    addNote(db, { target: { type: 'actor', id: 'anonymous@192.0.2.44' }, text: NOTE_EXCLUDED, includeInReport: false, examiner: 'Jane Examiner' }, new Date('2017-08-19T08:05:00Z'));
  } finally {
    db.close();
  }
  return { casePath, dir, ...ev };
}

/** The boundary story (see writeBoundaryCase): boundary seconds, unknown bytes, a bucket already public when its evidence starts. */
export async function boundaryCase(dir = tempDir()): Promise<{ casePath: string; dir: string }> {
  const ev = writeBoundaryCase(join(dir, 'evidence'));
  const casePath = join(dir, 'case.sqlite');
  await finish(casePath, [ev.oldLog, ev.accessLog, ev.trail]);
  return { casePath, dir };
}

/** A case with n anonymous downloads plus the exposure-opening ACL changes of the small case. */
export async function largeCase(n: number, dir = tempDir()): Promise<{ casePath: string; dir: string }> {
  const small = writeSmallCase(join(dir, 'evidence'));
  const log = join(dir, 'evidence', 'large-access.log');
  writeFileSync(log, `${largeCaseLines(n).join('\n')}\n`);
  const casePath = join(dir, 'case.sqlite');
  await finish(casePath, [log, small.trail]);
  return { casePath, dir };
}

export function pdfText(pdf: string, pages?: { first: number; last: number }): string {
  const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
  // -raw: content-stream order, which Chromium writes in document order, so a wrapped cell stays together.
  return execFileSync('pdftotext', ['-raw', ...range, '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8', maxBuffer: 256 << 20 });
}

/** Text with all whitespace collapsed to single spaces (table cells wrap lines anywhere). */
export const flat = (s: string) => s.replace(/\s+/g, ' ');
/** Text with no whitespace at all, for long tokens (hashes) that wrap inside narrow cells. */
export const solid = (s: string) => s.replace(/\s+/g, '');

export function pdfPages(pdf: string): number {
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const m = /^Pages:\s+(\d+)/m.exec(info);
  if (!m) throw new Error(`pdfinfo gave no page count for ${pdf}`);
  return Number(m[1]);
}

/** Renders every page to PNG at a low resolution; returns how many images came out. */
export function renderedPages(pdf: string, dir = tempDir()): number {
  execFileSync('pdftoppm', ['-r', '20', '-png', pdf, join(dir, 'page')]);
  return readdirSync(dir).filter((f) => f.endsWith('.png')).length;
}

export function captureIo(): { io: { out: (s: string) => void; err: (s: string) => void; isTTY: boolean }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false }, out: () => out, err: () => err };
}
