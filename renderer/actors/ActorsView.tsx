// Who downloaded: one row per actor (anonymous split by source IP), click through to their downloads.
import { useState } from 'react';
import { onRowKey, usePaneFocus } from '../common/pane-focus';
import type { TimelineFilter } from '../../shared/api';
import type { ActorSummary } from '../../shared/analysis';
import { useSummary } from '../analysis';
import { ByteSumCell } from '../common/ByteSumCell';
import { byteSum, byteSumNote, count, timeIso } from '../common/format';
import { Empty, ErrorBox, Loading } from '../common/states';
import { Annotations } from '../notes/Annotations';

interface Props { zone: string; version: number; onShowTimeline: (f: TimelineFilter) => void }

const actorName = (a: ActorSummary) => `${a.actor}${a.actor === 'anonymous' && a.sourceIp ? ` @ ${a.sourceIp}` : ''}`;
/** An anonymous actor's address in context, with the data's date (addresses change hands). */
const addressText = (a: ActorSummary) => (a.address ? `${a.address.country ? `${a.address.country} · ` : ''}${a.address.label}` : null);
const identityText = (a: ActorSummary) => (a.identity ? `${a.identity.identity} (via ${a.identity.via})` : '—');

export function ActorsView({ zone, version, onShowTimeline }: Props) {
  const q = useSummary(version);
  const [picked, setPicked] = useState<ActorSummary | null>(null);
  const pane = usePaneFocus(picked?.actorKey ?? null, () => setPicked(null));
  if (q.error) return <ErrorBox error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading what="actors" />;
  const actors = [...q.data.actors].sort((a, b) => b.bytes - a.bytes);
  if (actors.length === 0) return <Empty title="No actors yet.">Import evidence to see who downloaded what.</Empty>;
  const filterFor = (a: ActorSummary): TimelineFilter => ({ actor: a.actor, ...(a.actor === 'anonymous' && a.sourceIp ? { sourceIp: a.sourceIp } : {}) });
  return (
    <div className={`split${picked ? ' with-pane' : ''}`}>
      <div className="card scroll">
        <table className="data" data-testid="actors-table">
          <thead>
            <tr>
              <th>Actor</th><th className="opt">Identity behind it</th><th>First seen ({zone})</th><th className="opt">Last seen</th>
              <th className="num">Downloads</th><th className="num opt">Objects</th><th className="num">Bytes</th>
              <th className="num opt">Whole copies</th><th className="num opt">Backups</th><th className="num">In exposure</th><th><span className="visually-hidden">Open in the timeline</span></th>
            </tr>
          </thead>
          <tbody>
            {actors.map((a) => (
              <tr key={a.actorKey} className={picked?.actorKey === a.actorKey ? 'selected' : ''} onClick={() => setPicked(a)}
                tabIndex={0} onKeyDown={onRowKey(() => pane.openWithFocus(() => setPicked(a)))} data-actor-key={a.actorKey}>
                <td className="trunc" title={a.address ? `${actorName(a)} — ${addressText(a)} (${a.address.sourceDate})` : actorName(a)}>
                  {actorName(a)}
                  {/* On the same line, as every cell here: one line per row, the whole text on hover. */}
                  {a.address && <> · <span className="muted" data-testid="actor-address">{addressText(a)}</span></>}
                </td>
                <td className="trunc opt" title={identityText(a)}>{identityText(a)}</td>
                <td className="mono">{timeIso(a.firstSeen, zone)}</td>
                <td className="mono opt">{timeIso(a.lastSeen, zone)}</td>
                <td className="num">{count(a.downloads)}</td>
                <td className="num opt">{count(a.objects)}</td>
                <ByteSumCell sum={a.bytes} unknown={a.bytesUnknown} rows={a.downloads} />
                <td className="num opt">
                  {count(a.completeCopies)}
                  {a.completenessUnknown > 0 && <div className="muted" title="neither bytes sent nor object size was logged for these downloads">unknown for {count(a.completenessUnknown)}</div>}
                </td>
                <td className="num opt">{count(a.backupObjects)}</td>
                <td className="num">
                  {a.inExposure ? count(a.downloadsInExposure) : 'no'}
                  {a.downloadsAtBoundary > 0 && (
                    <div className="muted" title="in the same second as the change that opened or closed a window: the order is unknown">
                      +{count(a.downloadsAtBoundary)} at the boundary
                    </div>
                  )}
                </td>
                <td><button type="button" aria-label={`Timeline of ${actorName(a)}`} onClick={(e) => { e.stopPropagation(); onShowTimeline(filterFor(a)); }}>Timeline →</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {picked && (
        <aside className="detail" aria-label="Actor detail" data-testid="actor-pane">
          <header className="detail-head">
            <h2 className="wrap" tabIndex={-1} ref={pane.heading}>{actorName(picked)}</h2>
            <button type="button" onClick={() => setPicked(null)}>Close</button>
          </header>
          {/* Every column of the row, whole: with the pane open the table keeps only the main ones. */}
          <dl className="fields">
            <dt>Identity</dt><dd>{identityText(picked)}</dd>
            {picked.address && <><dt>Network</dt><dd>{addressText(picked)} <span className="muted">({picked.address.sourceDate})</span></dd></>}
            <dt>First seen</dt><dd>{timeIso(picked.firstSeen, zone)}</dd>
            <dt>Last seen</dt><dd>{timeIso(picked.lastSeen, zone)}</dd>
            <dt>Downloads</dt><dd>{count(picked.downloads)}, of {count(picked.objects)} {picked.objects === 1 ? 'object' : 'objects'}</dd>
            <dt>Bytes sent</dt>
            <dd>{byteSum(picked.bytes, picked.bytesUnknown, picked.downloads)}{picked.bytesUnknown ? ` (${byteSumNote(picked.bytes, picked.bytesUnknown, picked.downloads)})` : ''}</dd>
            <dt>Whole copies</dt>
            <dd>{count(picked.completeCopies)}{picked.completenessUnknown > 0 ? `; unknown for ${count(picked.completenessUnknown)}` : ''}</dd>
            <dt>Backups</dt><dd>{count(picked.backupObjects)}</dd>
            <dt>In exposure</dt>
            <dd>{picked.inExposure ? `${count(picked.downloadsInExposure)} downloads` : 'no'}{picked.downloadsAtBoundary > 0 ? `; ${count(picked.downloadsAtBoundary)} at the boundary` : ''}</dd>
            <dt>User agents</dt>
            <dd>{picked.userAgents.length ? <ul className="plain">{picked.userAgents.map((u) => <li key={u}>{u}</li>)}</ul> : '—'}</dd>
          </dl>
          <Annotations target={{ type: 'actor', id: picked.actorKey }} zone={zone} />
        </aside>
      )}
    </div>
  );
}
