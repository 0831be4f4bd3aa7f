// First screen: start a case, open one, reopen a recent one, or try the sample case.
import type { CaseInfo } from '../../shared/api';
import { invoke, useQuery } from '../api';
import { timeIso } from '../common/format';
import { ErrorBox } from '../common/states';

interface Props {
  onOpened: (info: CaseInfo) => void;
  onSample: () => void;
  sampleBusy: boolean;
  error: string | null;
  onError: (e: string | null) => void;
}

export function Welcome({ onOpened, onSample, sampleBusy, error, onError }: Props) {
  const recent = useQuery('recent', () => invoke('app:recent', {}));
  const act = (p: Promise<CaseInfo | null>) =>
    p.then((info) => {
      onError(null);
      if (info) onOpened(info);
    }, (err: Error) => onError(err.message));
  return (
    <main className="welcome">
      <div className="welcome-card">
        <h1>Trailmark</h1>
        <p className="lede">Who downloaded which files from your S3 bucket, when, how much — and while it was exposed.</p>
        <div className="welcome-actions">
          <button type="button" className="primary big" onClick={() => act(invoke('app:new-case', {}))}>New case…</button>
          <button type="button" className="big" onClick={() => act(invoke('app:open-case', {}))}>Open case…</button>
          <button type="button" className="big" onClick={onSample} disabled={sampleBusy}>{sampleBusy ? 'Preparing the sample…' : 'Try the sample case'}</button>
        </div>
        {error && <ErrorBox error={error} />}
        <h2>Recent cases</h2>
        {recent.error && <ErrorBox error={recent.error} onRetry={recent.reload} />}
        {recent.data?.length === 0 && <p className="muted">No recent cases. Create one, or try the sample case to see the whole flow.</p>}
        <ul className="recent" data-testid="recent-cases">
          {recent.data?.map((r) => (
            <li key={r.id}>
              <button type="button" className="link" onClick={() => act(invoke('app:open-case', { recentId: r.id }))}>
                <strong>{r.name}</strong>
                <span className="muted small">{r.path}</span>
                <span className="muted small">opened {timeIso(r.openedAt, 'UTC')}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </main>
  );
}
