// The app frame: welcome screen until a case is open, then the case header, the views, and import progress.
import { useCallback, useEffect, useState } from 'react';
import type { CaseInfo, ImportProgress, TimelineFilter } from '../shared/api';
import { ActorsView } from './actors/ActorsView';
import { invoke, onProgress } from './api';
import { PULL_MESSAGE_PREFIX, PullDialog } from './aws/PullDialog';
import { count } from './common/format';
import { ErrorBox } from './common/states';
import { EvidenceView } from './evidence/EvidenceView';
import { ExportPanel } from './export/ExportPanel';
import { ImportProgressBar } from './import/ImportProgressBar';
import { ObjectsView } from './objects/ObjectsView';
import { PatternsView } from './patterns/PatternsView';
import { TimelineView } from './timeline/TimelineView';
import { TimeZonePicker } from './TimeZonePicker';
import { Welcome } from './welcome/Welcome';

type View = 'timeline' | 'actors' | 'patterns' | 'objects' | 'evidence';
const VIEWS: { id: View; label: string }[] = [
  { id: 'timeline', label: 'Timeline' }, { id: 'actors', label: 'Actors' }, { id: 'patterns', label: 'Patterns' }, { id: 'objects', label: 'Objects' },
  { id: 'evidence', label: 'Evidence' },
];

export function App() {
  const [info, setInfo] = useState<CaseInfo | null | undefined>(undefined);
  const [view, setView] = useState<View>('timeline');
  const [filter, setFilter] = useState<TimelineFilter>({});
  const [zone, setZone] = useState('UTC');
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  // The import whose bar the investigator put away (it stays away until another import starts).
  const [dismissedJob, setDismissedJob] = useState<string | null>(null);
  // Bumped whenever the case's contents change, so every view refetches.
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [sampleBusy, setSampleBusy] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [pulling, setPulling] = useState(false);

  const refreshInfo = useCallback(() => invoke('case:info', {}).then(setInfo, (e: Error) => setError(e.message)), []);
  useEffect(() => {
    void refreshInfo();
  }, [refreshInfo]);

  useEffect(() => onProgress((p) => {
    // A pull's acquisition messages belong to its dialog; the import it starts shows here as any import.
    if (p.jobId.startsWith(PULL_MESSAGE_PREFIX)) return;
    setProgress(p);
    if (p.phase === 'done' || p.phase === 'cancelled' || p.phase === 'failed') {
      void refreshInfo();
      setVersion((v) => v + 1);
    }
  }), [refreshInfo]);

  const opened = useCallback((next: CaseInfo) => {
    setInfo(next);
    setFilter({});
    setView('timeline');
    setVersion((v) => v + 1);
  }, []);

  const run = useCallback(<T,>(p: Promise<T>, then?: (v: T) => void) => p.then((v) => {
    setError(null);
    then?.(v);
  }, (e: Error) => setError(e.message)), []);

  const startImport = useCallback((kind: 'files' | 'folders') => run(invoke('app:import', { kind })), [run]);
  const newCase = useCallback(() => run(invoke('app:new-case', {}), (i) => i && opened(i)), [run, opened]);
  const openCase = useCallback(() => run(invoke('app:open-case', {}), (i) => i && opened(i)), [run, opened]);
  const sample = useCallback(() => {
    setSampleBusy(true);
    void run(invoke('app:sample', {}), (r) => r && opened(r.info)).finally(() => setSampleBusy(false));
  }, [run, opened]);

  // Menu commands arrive from the preload as DOM events.
  useEffect(() => {
    const handlers: Record<string, () => void> = {
      'trailmark:new-case': () => void newCase(),
      'trailmark:open-case': () => void openCase(),
      'trailmark:import-files': () => void startImport('files'),
      'trailmark:import-folders': () => void startImport('folders'),
      'trailmark:case-changed': () => void refreshInfo().then(() => setVersion((v) => v + 1)),
      'trailmark:export': () => setExporting(true),
      'trailmark:pull-aws': () => setPulling(true),
    };
    for (const [name, h] of Object.entries(handlers)) window.addEventListener(name, h);
    return () => {
      for (const [name, h] of Object.entries(handlers)) window.removeEventListener(name, h);
    };
  }, [newCase, openCase, startImport, refreshInfo]);

  const showTimeline = (f: TimelineFilter) => {
    setFilter(f);
    setView('timeline');
  };

  if (info === undefined) return <div className="state">Starting…</div>;

  // Progress has its own row under the header, never over the content.
  const progressBar = progress && dismissedJob !== progress.jobId
    ? <ImportProgressBar progress={progress} onDismiss={() => setDismissedJob(progress.jobId)} /> : null;
  const toTable = Boolean(info && view === 'timeline' && info.evidence > 0);
  return (
    <div className="app">
      {info !== null && (
        // The first Tab stop: past the header and the filters, to the downloads table when there is one.
        <a className="skip-link" href="#main-content" onClick={(e) => {
          const target = document.getElementById('downloads-table') ?? document.getElementById('main-content');
          e.preventDefault();
          target?.focus();
        }}>{toTable ? 'Skip to the downloads table' : 'Skip to the content'}</a>
      )}
      {info === null ? (
        <>
          {progressBar}
          <Welcome onOpened={opened} onSample={sample} sampleBusy={sampleBusy} error={error} onError={setError} />
        </>
      ) : (
        <>
          <header className="topbar">
            <div className="case-title">
              <span className="brand">Trailmark</span>
              <h1 className="case-name" title={info.path} data-testid="case-name">{info.name || info.path}</h1>
              <span className="muted small case-counts" data-testid="case-counts">
                {count(info.downloads)} downloads · {count(info.events)} events · {count(info.evidence)} evidence files
                {info.rejected ? ` · ${count(info.rejected)} rejected lines` : ''}
              </span>
            </div>
            <nav className="tabs" aria-label="Views">
              {VIEWS.map((v) => (
                <button key={v.id} type="button" className={view === v.id ? 'tab active' : 'tab'} aria-current={view === v.id ? 'page' : undefined}
                  onClick={() => setView(v.id)}>{v.label}</button>
              ))}
            </nav>
            <div className="top-actions">
              <button type="button" onClick={() => void openCase()}>Open case…</button>
              <button type="button" onClick={() => void newCase()}>New case…</button>
              <button type="button" onClick={() => void startImport('folders')}>Import folders…</button>
              <button type="button" onClick={() => void startImport('files')}>Import files…</button>
              <button type="button" onClick={() => setPulling(true)}>Pull from AWS…</button>
              <button type="button" onClick={() => setExporting(true)} disabled={info.evidence === 0}>Export…</button>
              <TimeZonePicker zone={zone} onChange={setZone} />
            </div>
          </header>
          {progressBar}
          {error && <ErrorBox error={error} />}
          <main className="content" id="main-content" tabIndex={-1}>
            {info.evidence === 0 && view === 'timeline' ? (
              <div className="state state-empty big-empty">
                <strong>This case has no evidence yet.</strong>
                <p>Import S3 server access logs, CloudTrail files or CloudTrail Lake results — files or whole folders, gzip or not — or pull them from the AWS account. You can also drop files on this window.</p>
                <div className="row">
                  <button type="button" className="primary" onClick={() => void startImport('folders')}>Import folders…</button>
                  <button type="button" onClick={() => void startImport('files')}>Import files…</button>
                  <button type="button" onClick={() => setPulling(true)}>Pull from AWS…</button>
                </div>
              </div>
            ) : view === 'timeline' ? (
              <TimelineView filter={filter} onFilter={setFilter} zone={zone} version={version} />
            ) : view === 'actors' ? (
              <ActorsView zone={zone} version={version} onShowTimeline={showTimeline} />
            ) : view === 'patterns' ? (
              <PatternsView zone={zone} version={version} onShowTimeline={showTimeline} onChanged={() => setVersion((v) => v + 1)} />
            ) : view === 'objects' ? (
              <ObjectsView zone={zone} version={version} onShowTimeline={showTimeline} />
            ) : (
              <EvidenceView zone={zone} version={version} />
            )}
          </main>
        </>
      )}
      {exporting && info && <ExportPanel filter={filter} zone={zone} onClose={() => setExporting(false)} />}
      {pulling && info && (
        <PullDialog zone={zone} onClose={() => setPulling(false)} onPulled={() => void refreshInfo().then(() => setVersion((v) => v + 1))} />
      )}
    </div>
  );
}
