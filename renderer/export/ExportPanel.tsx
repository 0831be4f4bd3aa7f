// Export: the board report (PDF) or the timeline as filtered now (CSV, JSON lines, Timesketch).
import { useEffect, useState, type FormEvent } from 'react';
import type { TimelineFilter } from '../../shared/api';
import type { ExportDone } from '../../shared/app-api';
import { narrowingWords } from '../../shared/filter-words';
import { invoke } from '../api';
import { CopyButton } from '../common/CopyButton';
import { count } from '../common/format';
import { ErrorBox } from '../common/states';

type Kind = ExportDone['kind'];
const KINDS: { id: Kind; label: string; hint: string }[] = [
  { id: 'report', label: 'Board report (PDF)', hint: 'Exposure, who took what, backups taken, gaps in the evidence. Uses every timeline filter and lists them on its cover.' },
  { id: 'csv', label: 'Timeline as CSV', hint: 'The downloads matching the current filters, one per row.' },
  { id: 'jsonl', label: 'Timeline as JSON lines', hint: 'The same rows, one JSON object per line.' },
  { id: 'timesketch', label: 'Timeline for Timesketch', hint: 'JSON lines with the fields Timesketch imports.' },
];

export function ExportPanel({ filter, zone, onClose }: { filter: TimelineFilter; zone: string; onClose: () => void }) {
  const [kind, setKind] = useState<Kind>('report');
  const [redact, setRedact] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<ExportDone | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const filtered = Object.keys(filter).length > 0;
  const narrowing = narrowingWords(filter);
  const scope = !filtered ? 'No timeline filters: the whole case.'
    : `The current timeline filters apply${narrowing.length ? `: ${narrowing.join('; ')}` : ''}${filter.from || filter.to || filter.bucket ? `${narrowing.length ? ', with' : ':'} the time range and bucket` : ''}.`;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || busy) return;
      e.preventDefault();
      onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    setCancelled(false);
    invoke('app:export', { kind, filter, timeZone: zone, redact }).then(
      (r) => {
        setBusy(false);
        // null: the save dialog was cancelled; the previous "Written:" must not stand for this one.
        setDone(r);
        setCancelled(r === null);
      },
      (err: Error) => {
        setBusy(false);
        setError(err.message);
      },
    );
  };

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Export">
      <form className="dialog" onSubmit={submit} data-testid="export-panel">
        <div className="detail-head"><h2>Export</h2><button type="button" onClick={onClose}>Close</button></div>
        <fieldset className="choices">
          {KINDS.map((k) => (
            <label key={k.id} className="choice">
              <input type="radio" name="kind" value={k.id} checked={kind === k.id} onChange={() => setKind(k.id)} autoFocus={k.id === 'report'} />
              <span><strong>{k.label}</strong><span className="muted small">{k.hint}</span></span>
            </label>
          ))}
        </fieldset>
        <label className="check"><input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} /> Replace IP addresses and principals with pseudonyms</label>
        <p className="muted small" data-testid="export-scope">Times in {zone}. {scope}</p>
        {cancelled && <p className="muted" data-testid="export-cancelled">Nothing written: the save was cancelled.</p>}
        {error && <ErrorBox error={error} />}
        {done && (
          <div className="done" data-testid="export-done">
            <strong>Written:</strong> <span className="wrap">{done.path}</span>
            {done.rows !== null && <div>{count(done.rows)} {done.kind === 'report' ? 'downloads covered' : 'rows'}</div>}
            {done.sha256 && <div className="mono small">SHA-256 {done.sha256} <CopyButton value={done.sha256} what="SHA-256" /></div>}
          </div>
        )}
        <div className="row">
          <span />
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Exporting…' : 'Choose where to save…'}</button>
        </div>
      </form>
    </div>
  );
}
