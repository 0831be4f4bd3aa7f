// The case's pattern settings, edited: the burst thresholds and the labelled bulk-tool list. Main
// checks every value (analysis:set-exfil-settings) and refuses what makes no sense with its reasons,
// shown here as it says them; a saved change is logged in the case's custody, and the patterns above
// are computed again from the new values.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { PatternSettings } from '../../shared/enrich';
import { invoke } from '../api';

interface Props { settings: PatternSettings; onSaved: () => void }

interface Draft { files: string; megabytes: string; minutes: string; tools: Array<{ key: number; label: string; match: string }> }

let nextKey = 0;
const draftOf = (s: PatternSettings): Draft => ({
  files: String(s.burst.backupFiles), megabytes: String(s.burst.bytes / 1e6), minutes: String(s.burst.minutes),
  tools: s.tools.map((t) => ({ key: nextKey++, label: t.label, match: t.match })),
});

/** A number as typed, or null when it is not one (main judges whether the number makes sense). */
const numberOf = (text: string): number | null => (/^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : null);

export function PatternSettingsEditor({ settings, onSaved }: Props) {
  const [draft, setDraft] = useState(() => draftOf(settings));
  const [problems, setProblems] = useState<Partial<Record<'files' | 'megabytes' | 'minutes', string>>>({});
  const [refused, setRefused] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const focusTool = useRef<number | null>(null);
  const stored = JSON.stringify(settings);
  useEffect(() => setDraft(draftOf(JSON.parse(stored) as PatternSettings)), [stored]);

  const set = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    const files = numberOf(draft.files);
    const mb = numberOf(draft.megabytes);
    const minutes = numberOf(draft.minutes);
    const found: typeof problems = {};
    if (files === null) found.files = 'a number of files, such as 10';
    if (mb === null) found.megabytes = 'a size in MB, such as 50';
    if (minutes === null) found.minutes = 'a number of minutes, such as 15';
    setProblems(found);
    setRefused(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    invoke('analysis:set-exfil-settings', {
      burst: { backupFiles: files!, bytes: Math.round(mb! * 1e6), minutes: minutes! },
      tools: draft.tools.map(({ label, match }) => ({ label, match })),
    }).then(() => {
      setSaved(true);
      onSaved();
    }, (err: Error) => setRefused(err.message)).finally(() => setBusy(false));
  };

  const field = (name: 'files' | 'megabytes' | 'minutes', label: string) => (
    <div className="field">
      <label htmlFor={`pattern-${name}`}>{label}</label>
      <input id={`pattern-${name}`} type="text" inputMode="decimal" value={draft[name]} autoComplete="off"
        aria-invalid={problems[name] ? true : undefined} aria-describedby={problems[name] ? `pattern-${name}-problem` : undefined}
        onChange={(e) => set({ [name]: e.target.value })} />
      {problems[name] && <span className="field-error" id={`pattern-${name}-problem`}>{problems[name]}</span>}
    </div>
  );

  return (
    <section className="card pattern-settings" aria-labelledby="pattern-settings-title" data-testid="pattern-settings">
      <header className="card-head">
        <h3 id="pattern-settings-title">Pattern settings</h3>
        <span className="muted small">kept in the case, so every examiner of it sees the same patterns; a change is logged in its custody</span>
      </header>
      <form onSubmit={save} aria-label="Pattern settings">
        <fieldset className="burst-fields">
          <legend>A burst is an actor taking, within the window,</legend>
          {field('files', 'more than this many backup files')}
          {field('megabytes', 'or more than this many MB (decimal)')}
          {field('minutes', 'window, in minutes')}
        </fieldset>
        <fieldset>
          <legend>Bulk tools: a label, and text the user agent contains (case ignored; the first that matches names the tool)</legend>
          <table className="data tools-table">
            <thead><tr><th scope="col">Label</th><th scope="col">User agent contains</th><th><span className="visually-hidden">Remove</span></th></tr></thead>
            <tbody>
              {draft.tools.map((t, i) => (
                <tr key={t.key}>
                  <td><input type="text" aria-label={`Label of tool ${i + 1}`} value={t.label} autoComplete="off"
                    ref={(el) => { if (el && focusTool.current === t.key) { el.focus(); focusTool.current = null; } }}
                    onChange={(e) => set({ tools: draft.tools.map((x) => (x.key === t.key ? { ...x, label: e.target.value } : x)) })} /></td>
                  <td><input type="text" aria-label={`User agent text of tool ${i + 1}`} value={t.match} autoComplete="off" spellCheck={false}
                    onChange={(e) => set({ tools: draft.tools.map((x) => (x.key === t.key ? { ...x, match: e.target.value } : x)) })} /></td>
                  <td><button type="button" aria-label={`Remove tool ${i + 1}${t.label ? ` (${t.label})` : ''}`}
                    onClick={() => set({ tools: draft.tools.filter((x) => x.key !== t.key) })}>Remove</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => {
            const key = nextKey++;
            focusTool.current = key;
            set({ tools: [...draft.tools, { key, label: '', match: '' }] });
          }}>Add a tool</button>
        </fieldset>
        {refused && <div className="state state-error" role="alert" data-testid="settings-refused"><strong>Not saved.</strong> <span className="error-text">{refused}</span></div>}
        <div className="row settings-actions">
          <span role="status" className="muted small">{saved ? 'Saved, and logged in the custody log. The patterns above use the new settings.' : ''}</span>
          <span>
            <button type="button" disabled={busy} onClick={() => { setDraft(draftOf(settings)); setProblems({}); setRefused(null); }}>Undo changes</button>{' '}
            <button type="submit" className="primary" disabled={busy}>Save settings</button>
          </span>
        </div>
      </form>
    </section>
  );
}
