// Import progress (files, events, rate, ETA) with Cancel, and the outcome once it ends.
import type { ImportProgress, ImportSummary } from '../../shared/api';
import { invoke } from '../api';
import { count, duration } from '../common/format';

export function ImportProgressBar({ progress, onDismiss }: { progress: ImportProgress; onDismiss: () => void }) {
  const running = !['done', 'cancelled', 'failed'].includes(progress.phase);
  const fraction = progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal
    : progress.filesTotal > 0 ? progress.filesDone / progress.filesTotal : 0;
  // Once every file is read, the import derives downloads and the analysis: a step of its own, named by main's message.
  const analysing = running && progress.filesTotal > 0 && progress.filesDone === progress.filesTotal && Boolean(progress.message);
  const pct = Math.round(Math.min(1, Math.max(0, running ? fraction : 1)) * 100);
  // The summary arrives with the final progress report (done, cancelled or failed).
  const summary = (progress as ImportProgress & { summary?: ImportSummary }).summary;
  const files = summary?.files ?? [];
  const refused = files.filter((f) => f.status === 'refused' || f.status === 'failed');
  return (
    <div className={`import-bar phase-${progress.phase}`} role="status" aria-live="polite" data-testid="import-progress">
      <div className="import-line">
        <strong className="import-phase">
          {analysing ? `Analysing — ${progress.message}` : running ? `Importing — ${progress.phase === 'importing' ? 'reading files' : progress.phase}` : progress.phase === 'done' ? 'Import finished' : progress.phase === 'cancelled' ? 'Import cancelled' : 'Import failed'}
        </strong>
        <span>files {count(progress.filesDone)} / {count(progress.filesTotal)}</span>
        <span>events {count(progress.events)}</span>
        {/* Lines rejected inside imported files; whole files refused are counted apart, once known. */}
        <span>rejected lines {count(progress.rejected)}</span>
        {!running && summary && <span data-testid="import-refused">refused files {count(summary.refused ?? refused.length)}</span>}
        {running && <span>{count(Math.round(progress.rate))} events/s</span>}
        {running && !analysing && <span>ETA {duration(progress.etaSeconds)}</span>}
        {running && <button type="button" onClick={() => void invoke('import:cancel', { jobId: progress.jobId })}>Cancel</button>}
        <button type="button" onClick={onDismiss} title={running ? 'Hide this bar; the import goes on' : undefined}>{running ? 'Hide' : 'Dismiss'}</button>
      </div>
      <div className="progress" role="progressbar" aria-label="Import progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      {running && progress.currentFile && <div className="muted small current-file">{progress.currentFile}</div>}
      {progress.message && <div className="small">{progress.message}</div>}
      {refused.length > 0 && (
        <ul className="small refused">
          {refused.slice(0, 5).map((f) => <li key={f.path}>{f.path}: {f.reason ?? f.status}</li>)}
          {refused.length > 5 && <li>…and {refused.length - 5} more</li>}
          <li className="muted">Each is recorded in the case: Evidence view, “Offered but not taken”.</li>
        </ul>
      )}
    </div>
  );
}
