// Notes and tags on one target (a download, an actor or an object), stored in the case.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AnnotationTarget } from '../../shared/api';
import { invoke, useQuery } from '../api';
import { timeIso } from '../common/format';
import { ErrorBox } from '../common/states';

export function Annotations({ target, zone, onChange }: {
  target: AnnotationTarget; zone: string;
  /** Told the count of notes and the tags whenever they are (re)read, so a table can mark the row. */
  onChange?: (notes: number, tags: string[]) => void;
}) {
  const key = `${target.type}:${target.id}`;
  const notes = useQuery(`notes ${key}`, () => invoke('notes:list', { target }));
  const tags = useQuery(`tags ${key}`, () => invoke('tags:list', { target }));
  const [note, setNote] = useState('');
  const changed = useRef(onChange);
  changed.current = onChange;
  useEffect(() => {
    if (notes.data && tags.data) changed.current?.(notes.data.length, tags.data.map((t) => t.tag));
  }, [notes.data, tags.data]);
  const [tag, setTag] = useState('');
  const [includeInReport, setInclude] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = (p: Promise<unknown>, then: () => void) =>
    p.then(() => {
      setError(null);
      then();
    }, (err: Error) => setError(err.message));

  const addNote = (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) return;
    run(invoke('notes:add', { target, text: note, includeInReport }), () => {
      setNote('');
      notes.reload();
    });
  };
  const addTag = (e: FormEvent) => {
    e.preventDefault();
    if (!tag.trim()) return;
    run(invoke('tags:add', { target, tag: tag.trim() }), () => {
      setTag('');
      tags.reload();
    });
  };

  return (
    <section className="annotations" aria-label="Notes and tags">
      <h3>Tags</h3>
      <div className="tags" data-testid="tags">
        {tags.data?.map((t) => (
          <span className="tag" key={t.tag}>
            {t.tag}
            <button type="button" aria-label={`Remove tag ${t.tag}`} onClick={() => run(invoke('tags:remove', { target, tag: t.tag }), tags.reload)}>×</button>
          </span>
        ))}
        <form onSubmit={addTag} className="inline-form">
          <input aria-label="New tag" placeholder="add a tag" value={tag} maxLength={100} onChange={(e) => setTag(e.target.value)} />
        </form>
      </div>
      <h3>Notes</h3>
      {notes.error && <ErrorBox error={notes.error} onRetry={notes.reload} />}
      <ol className="notes" data-testid="notes">
        {notes.data?.length === 0 && <li className="muted">No notes yet.</li>}
        {notes.data?.map((n) => (
          <li key={n.id}>
            <p className="note-text">{n.text}</p>
            <span className="muted small">{timeIso(n.createdAt, zone)}{n.examiner ? ` · ${n.examiner}` : ''}{n.includeInReport ? ' · in report' : ''}</span>
          </li>
        ))}
      </ol>
      <form onSubmit={addNote} className="note-form">
        <textarea aria-label="New note" placeholder="Write a note about this…" value={note} maxLength={20000} rows={3}
          onChange={(e) => setNote(e.target.value)} />
        <div className="row">
          <label className="check"><input type="checkbox" checked={includeInReport} onChange={(e) => setInclude(e.target.checked)} /> Include in report</label>
          <button type="submit" className="primary" disabled={!note.trim()}>Add note</button>
        </div>
      </form>
      {error && <ErrorBox error={error} />}
    </section>
  );
}
