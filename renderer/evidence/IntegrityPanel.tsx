// CloudTrail log integrity in the Evidence view: the latest validation run's verdict in plain words,
// counts per file status and per digest, every problem and limit, and the hour-by-hour coverage.
// "Validate CloudTrail logs…" asks the shell for the ListPublicKeys JSON and runs validation.
import { useState } from 'react';
import { TRAIL_FILE_STATUSES, type IntegrityRun } from '../../shared/integrity';
import { invoke } from '../api';
import { count, timeIso } from '../common/format';
import { Empty, ErrorBox, Loading } from '../common/states';
import { CoverageStrip } from './CoverageStrip';
import { FILE_STATUS_WORDS, verdictWords } from './integrity-words';

interface Props {
  zone: string;
  run: IntegrityRun | null | undefined;
  loadError: string | null;
  onReload: () => void;
  /** The case holds CloudTrail digest files (validation has something to check against). */
  hasDigests: boolean;
  /** Told when a run was recorded (the evidence table shows its per-file statuses). */
  onValidated: (run: IntegrityRun) => void;
}

export function IntegrityPanel({ zone, run, loadError, onReload, hasDigests, onValidated }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const validate = () => {
    setBusy(true);
    setError(null);
    invoke('app:validate-integrity', {}).then(
      (r) => {
        setBusy(false);
        if (r) onValidated(r);
      },
      (e: Error) => {
        setBusy(false);
        setError(e.message);
      },
    );
  };

  return (
    <section className="card integrity" data-testid="integrity">
      <div className="row">
        <h2>CloudTrail log integrity</h2>
        {hasDigests && (
          <button type="button" className="primary" onClick={validate} disabled={busy}>{busy ? 'Validating…' : 'Validate CloudTrail logs…'}</button>
        )}
      </div>
      {error && <ErrorBox error={error} />}
      {loadError && <ErrorBox error={loadError} onRetry={onReload} />}
      {!hasDigests ? (
        <Empty title="This case holds no CloudTrail digest files.">
          CloudTrail writes a signed digest every hour (AWSLogs/&lt;account&gt;/CloudTrail-Digest/…) listing the SHA-256 of each log file it delivered.
          Import or pull them with the trail's log files to check that the logs are as CloudTrail delivered them.
        </Empty>
      ) : run === undefined && !loadError ? (
        <Loading what="integrity results" />
      ) : run === null ? (
        <p className="muted" data-testid="integrity-none">
          Not validated yet. Choose the CloudTrail public keys (the JSON printed by <span className="mono">aws cloudtrail list-public-keys</span>) to check every log file against its signed digest; no network is needed.
        </p>
      ) : run ? (
        <RunDetails run={run} zone={zone} />
      ) : null}
    </section>
  );
}

function RunDetails({ run, zone }: { run: IntegrityRun; zone: string }) {
  const s = run.summary;
  return (
    <>
      <div className={`verdict verdict-${run.verdict}`} data-testid="integrity-verdict" data-verdict={run.verdict}>{verdictWords(run)}</div>
      <p className="muted small" data-testid="integrity-when">
        Run #{run.id} on {timeIso(run.at, zone)}{run.examiner ? ` by ${run.examiner}` : ''}
        {run.keysSource ? <> · public keys from <span className="wrap">{run.keysSource}</span></> : ' · no public-key file given'}
      </p>
      <div className="integrity-counts">
        <table className="data compact" data-testid="integrity-file-counts">
          <thead><tr><th>Log files</th><th className="num">Count</th></tr></thead>
          <tbody>
            {TRAIL_FILE_STATUSES.filter((st) => s.files[st] > 0 || st === 'valid' || st === 'modified' || st === 'missing').map((st) => (
              <tr key={st} className={s.files[st] > 0 && (st === 'modified' || st === 'missing' || st === 'not-covered') ? 'bad' : ''}>
                <td>{FILE_STATUS_WORDS[st]}</td><td className="num">{count(s.files[st])}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="data compact" data-testid="integrity-digest-counts">
          <thead><tr><th>Digests</th><th className="num">Count</th></tr></thead>
          <tbody>
            <tr><td>in the case</td><td className="num">{count(s.digests)}</td></tr>
            <tr><td>signature valid</td><td className="num">{count(s.digestsValid)}</td></tr>
            <tr className={s.digestsInvalid ? 'bad' : ''}><td>signature invalid</td><td className="num">{count(s.digestsInvalid)}</td></tr>
            <tr><td>signature not checked</td><td className="num">{count(s.digestsUnknown)}</td></tr>
            <tr className={s.chainBreaks ? 'bad' : ''}><td>chain breaks</td><td className="num">{count(s.chainBreaks)}</td></tr>
            <tr className={s.missingDigests ? 'bad' : ''}><td>digests missing from the chain</td><td className="num">{count(s.missingDigests)}</td></tr>
            {/* Backfill digests (late listings, a chain of their own) are among those above; aws-cli counts them apart too. */}
            {s.backfillDigests ? <tr><td>of which backfill digests (signature valid)</td><td className="num">{count(s.backfillDigests)} ({count(s.backfillDigestsValid ?? 0)})</td></tr> : null}
          </tbody>
        </table>
      </div>
      {run.problems.length > 0 && (
        <>
          <h3>Problems ({count(run.problems.length)})</h3>
          <ul className="plain problems" data-testid="integrity-problems">{run.problems.map((p, i) => <li key={i} className="wrap">{p}</li>)}</ul>
        </>
      )}
      {run.limits.length > 0 && (
        <>
          <h3>Limits ({count(run.limits.length)})</h3>
          <ul className="plain limits" data-testid="integrity-limits">{run.limits.map((p, i) => <li key={i} className="wrap">{p}</li>)}</ul>
        </>
      )}
      {run.missingDigests.length > 0 && (
        <>
          <h3>Digests the chain refers to, not in the case</h3>
          <ul className="plain">{run.missingDigests.map((d) => <li key={d.s3Path} className="wrap mono small">{d.s3Path} (named by {d.referencedBy})</li>)}</ul>
        </>
      )}
      <h3>Coverage hour by hour</h3>
      <CoverageStrip hours={run.coverage} zone={zone} />
    </>
  );
}
