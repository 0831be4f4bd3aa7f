// The evidence: each source with its hash, origin and counts, its rejected lines, CloudTrail log
// integrity (per file and digest, and the latest validation run), and the custody log.
import { useEffect, useMemo, useState } from 'react';
import type { IntegrityRun } from '../../shared/integrity';
import { invoke, useQuery } from '../api';
import { CopyButton } from '../common/CopyButton';
import { bytes, count, timeIso } from '../common/format';
import { Empty, ErrorBox, Loading } from '../common/states';
import { IntegrityPanel } from './IntegrityPanel';
import { DIGEST_FORMAT, integrityByEvidence, type RowIntegrity } from './integrity-words';

/** How the evidence was acquired, in a line: a local file, or the API call and its parameters. */
function originText(origin: string): string {
  try {
    const o = JSON.parse(origin) as { type?: string } & Record<string, unknown>;
    if (o.type === 'file') return 'local file';
    return Object.entries(o).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
  } catch {
    return origin;
  }
}

function Rejects({ evidenceId }: { evidenceId: number }) {
  const q = useQuery(`rejects ${evidenceId}`, () => invoke('rejects:list', { evidenceId, limit: 500 }));
  if (q.error) return <ErrorBox error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading what="rejected lines" />;
  if (q.data.length === 0) return <p className="muted">Every line of this file was read.</p>;
  return (
    <table className="data" data-testid="rejects-table">
      <thead><tr><th className="num">Line / record</th><th>Reason</th><th>Text as found</th></tr></thead>
      <tbody>
        {q.data.map((r) => (
          <tr key={r.locator}>
            <td className="num">{r.locator}</td><td>{r.reason}</td><td><pre className="raw small">{r.text}</pre></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Files offered to an import and not taken, as the case recorded them: path, size, hash where the file
 * could be read, and why. Never the file's content (an unrecognised file may hold secrets).
 */
function NotTaken({ zone, version }: { zone: string; version: number }) {
  const q = useQuery(`refused ${version}`, () => invoke('refused:list', {}));
  return (
    <section className="card" aria-labelledby="not-taken-title">
      <h2 id="not-taken-title">Offered but not taken</h2>
      <p className="muted small">Files given to an import that the case did not take in, kept with the reason. Nothing of their content is stored.</p>
      {q.error && <ErrorBox error={q.error} onRetry={q.reload} />}
      {!q.data && !q.error && <Loading what="files not taken" />}
      {q.data?.length === 0 && <p className="muted" data-testid="not-taken-none">Every file offered so far was taken in.</p>}
      {q.data && q.data.length > 0 && (
        <table className="data" data-testid="not-taken-table">
          <thead>
            <tr><th>File as offered</th><th className="num">Size</th><th>SHA-256</th><th>Outcome</th><th>Reason</th><th>When ({zone})</th></tr>
          </thead>
          <tbody>
            {q.data.map((f) => (
              <tr key={f.id}>
                <td className="wrap">{f.path}</td>
                <td className="num">{f.size === null ? 'unknown' : bytes(f.size)}</td>
                <td className="mono hash">{f.sha256 ? <>{f.sha256.slice(0, 16)}… <CopyButton value={f.sha256} /></> : 'not readable'}</td>
                <td>{f.status}</td>
                <td className="wrap">{f.reason}</td>
                <td className="mono">{timeIso(f.at, zone)}{f.examiner ? ` · ${f.examiner}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function IntegrityCell({ id, info }: { id: number; info: RowIntegrity | undefined }) {
  if (!info) return <td className="muted" data-testid={`integrity-${id}`}>—</td>;
  return (
    <td className={`integrity-cell${info.bad ? ' bad' : info.warn ? ' warn' : ' ok'}`} title={info.words} data-testid={`integrity-${id}`}>
      <strong>{info.short}</strong>
      {info.detail && <div className="small wrap">{info.detail}</div>}
    </td>
  );
}

export function EvidenceView({ zone, version }: { zone: string; version: number }) {
  const evidence = useQuery(`evidence ${version}`, () => invoke('evidence:list', {}));
  // A validation run appends to custody, so both refetch after one.
  const [runs, setRuns] = useState(0);
  const custody = useQuery(`custody ${version} ${runs}`, () => invoke('custody:list', {}));
  const integrity = useQuery(`integrity ${version} ${runs}`, () => invoke('integrity:results', {}));
  const [open, setOpen] = useState<number | null>(null);
  // The run just recorded, shown at once while the stored one is fetched again; dropped when the case changes.
  const [fresh, setFresh] = useState<IntegrityRun | null>(null);
  useEffect(() => setFresh(null), [version]);
  const run = fresh && (!integrity.data || integrity.data.id <= fresh.id) ? fresh : integrity.data;
  const byEvidence = useMemo(() => integrityByEvidence(run), [run]);
  const hasDigests = evidence.data?.some((e) => e.format === DIGEST_FORMAT) ?? false;
  const showIntegrity = hasDigests || !!run;
  // With digests the verdict leads the view; without them the panel only says so, after the table.
  const integrityPanel = evidence.data && evidence.data.length > 0 && (
    <IntegrityPanel zone={zone} run={run} loadError={integrity.error} onReload={integrity.reload}
      hasDigests={hasDigests} onValidated={(r) => { setFresh(r); setRuns((n) => n + 1); }} />
  );
  return (
    <div className="evidence-view">
      {hasDigests && integrityPanel}
      <section className="card">
        <h2>Evidence</h2>
        {evidence.error && <ErrorBox error={evidence.error} onRetry={evidence.reload} />}
        {!evidence.data && !evidence.error && <Loading what="evidence" />}
        {evidence.data?.length === 0 && <Empty title="No evidence in this case yet.">Import files or folders of logs.</Empty>}
        {evidence.data && evidence.data.length > 0 && (
          <table className="data" data-testid="evidence-table">
            <thead>
              <tr>
                <th>Source</th><th>Origin</th><th>Format</th><th>SHA-256</th><th className="num">Size</th><th className="num">Records</th>
                <th className="num">Events</th><th className="num">Duplicates</th><th className="num">Rejected</th><th>Acquired ({zone})</th><th>Status</th>{showIntegrity && <th>Integrity</th>}
              </tr>
            </thead>
            <tbody>
              {evidence.data.map((e) => (
                <tr key={e.id} className={open === e.id ? 'selected' : ''}>
                  <td className="wrap">{e.path}</td>
                  <td className="wrap small">{originText(e.origin)}</td>
                  <td>{e.format}</td>
                  <td className="mono hash">{e.sha256.slice(0, 16)}… <CopyButton value={e.sha256} /></td>
                  <td className="num">{bytes(e.size)}</td>
                  <td className="num">{count(e.records)}</td>
                  <td className="num">{count(e.events)}</td>
                  <td className="num">{count(e.duplicates)}</td>
                  <td className="num">
                    {e.rejected > 0 ? <button type="button" onClick={() => setOpen(open === e.id ? null : e.id)}>{count(e.rejected)} — show</button> : '0'}
                  </td>
                  <td className="mono">{timeIso(e.acquiredAt, zone)}{e.examiner ? ` · ${e.examiner}` : ''}</td>
                  <td className="evidence-status">{e.status}</td>
                  {showIntegrity && <IntegrityCell id={e.id} info={byEvidence.get(e.id)} />}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {open !== null && (
          <div className="rejects">
            <h3>Rejected lines of evidence #{open}</h3>
            <Rejects evidenceId={open} />
          </div>
        )}
      </section>
      <NotTaken zone={zone} version={version} />
      {!hasDigests && integrityPanel}
      <section className="card">
        <h2>Custody log</h2>
        <p className="muted small">Append-only; each entry carries the hash of the one before it.</p>
        {custody.error && <ErrorBox error={custody.error} onRetry={custody.reload} />}
        {custody.data?.length === 0 && <Empty title="Nothing has been done to this case yet." />}
        {custody.data && custody.data.length > 0 && (
          <table className="data" data-testid="custody-table">
            <thead><tr><th className="num">#</th><th>When ({zone})</th><th>Examiner</th><th>Action</th><th>Details</th><th>Hash</th></tr></thead>
            <tbody>
              {custody.data.map((c) => (
                <tr key={c.seq}>
                  <td className="num">{c.seq}</td>
                  <td className="mono">{timeIso(c.at, zone)}</td>
                  <td>{c.examiner ?? '—'}</td>
                  <td>{c.action}</td>
                  <td><pre className="raw small">{c.details}</pre></td>
                  <td className="mono hash">{c.hash.slice(0, 12)}… <CopyButton value={c.hash} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
