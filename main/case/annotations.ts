// The investigator's notes and tags on downloads, events, actors and objects.
// Annotations are the investigator's own words, not evidence: they may be added and (tags) removed,
// and every change is written to the custody log so the case shows who said what, when.
import type { AnnotationTarget, DownloadMarks, NoteRow, TagRow, TimelinePage } from '../../shared/api';
import { appendCustody } from './custody';
import { all, get, run, type ReadableDB, type WritableDB } from './db';
import { join, sql } from './sql';

interface NoteDbRow { id: number; target_type: NoteRow['target']['type']; target: string; text: string; include_in_report: number; examiner: string | null; created_at: string }
interface TagDbRow { target_type: TagRow['target']['type']; target: string; tag: string; created_at: string }

const toNote = (r: NoteDbRow): NoteRow => ({
  id: r.id, target: { type: r.target_type, id: r.target }, text: r.text,
  includeInReport: r.include_in_report === 1, examiner: r.examiner, createdAt: r.created_at,
});
const toTag = (r: TagDbRow): TagRow => ({ target: { type: r.target_type, id: r.target }, tag: r.tag, createdAt: r.created_at });

export interface NewNote { target: AnnotationTarget; text: string; includeInReport?: boolean; examiner?: string | null }

export function addNote(db: WritableDB, note: NewNote, at = new Date()): NoteRow {
  const text = note.text.trim();
  if (!text) throw new Error('a note needs some text');
  const examiner = note.examiner ?? null;
  const createdAt = at.toISOString();
  return db.transaction(() => {
    const { lastInsertRowid } = run(db, sql`INSERT INTO notes (target_type, target, text, include_in_report, examiner, created_at)
      VALUES (${note.target.type}, ${note.target.id}, ${text}, ${note.includeInReport ?? false}, ${examiner}, ${createdAt})`);
    const id = Number(lastInsertRowid);
    appendCustody(db, 'note', { id, target: note.target, text }, examiner, at);
    return toNote(get<NoteDbRow>(db, sql`SELECT * FROM notes WHERE id = ${id}`)!);
  })();
}

/** Notes on one target, oldest first; all notes of the case when no target is given. */
export function listNotes(db: ReadableDB, target?: AnnotationTarget): NoteRow[] {
  const rows = target
    ? all<NoteDbRow>(db, sql`SELECT * FROM notes WHERE target_type = ${target.type} AND target = ${target.id} ORDER BY id`)
    : all<NoteDbRow>(db, sql`SELECT * FROM notes ORDER BY id`);
  return rows.map(toNote);
}

function normalizeTag(tag: string): string {
  const t = tag.trim();
  if (!t) throw new Error('a tag cannot be empty');
  return t;
}

/** Adds a tag; adding one that is already there changes nothing and returns the existing one. */
export function addTag(db: WritableDB, target: AnnotationTarget, tag: string, examiner: string | null = null, at = new Date()): TagRow {
  const t = normalizeTag(tag);
  return db.transaction(() => {
    const { changes } = run(db, sql`INSERT INTO tags (target_type, target, tag, created_at)
      VALUES (${target.type}, ${target.id}, ${t}, ${at.toISOString()}) ON CONFLICT DO NOTHING`);
    if (changes) appendCustody(db, 'tag', { target, tag: t }, examiner, at);
    return toTag(get<TagDbRow>(db, sql`SELECT * FROM tags WHERE target_type = ${target.type} AND target = ${target.id} AND tag = ${t}`)!);
  })();
}

export function removeTag(db: WritableDB, target: AnnotationTarget, tag: string, examiner: string | null = null, at = new Date()): boolean {
  const t = normalizeTag(tag);
  return db.transaction(() => {
    const { changes } = run(db, sql`DELETE FROM tags WHERE target_type = ${target.type} AND target = ${target.id} AND tag = ${t}`);
    if (changes) appendCustody(db, 'untag', { target, tag: t }, examiner, at);
    return changes > 0;
  })();
}

/** Tags on one target in name order; all tags of the case when no target is given. */
export function listTags(db: ReadableDB, target?: AnnotationTarget): TagRow[] {
  const rows = target
    ? all<TagDbRow>(db, sql`SELECT * FROM tags WHERE target_type = ${target.type} AND target = ${target.id} ORDER BY tag`)
    : all<TagDbRow>(db, sql`SELECT * FROM tags ORDER BY target_type, target, tag`);
  return rows.map(toTag);
}

/** A timeline page with the notes and tags of its downloads, for the table's per-row marker (one probe of each index). */
export function withMarks(db: ReadableDB, page: TimelinePage): TimelinePage {
  if (!page.rows.length) return page;
  const ids = join(page.rows.map((r) => sql`${String(r.id)}`), ', ');
  const marks: Record<number, DownloadMarks> = {};
  const of = (target: string) => (marks[Number(target)] ??= { notes: 0, tags: [] });
  for (const r of all<{ target: string; n: number }>(db, sql`
    SELECT target, count(*) AS n FROM notes WHERE target_type = 'download' AND target IN (${ids}) GROUP BY target`)) of(r.target).notes = r.n;
  for (const r of all<{ target: string; tag: string }>(db, sql`
    SELECT target, tag FROM tags WHERE target_type = 'download' AND target IN (${ids}) ORDER BY tag`)) of(r.target).tags.push(r.tag);
  return { ...page, marks };
}
