// What was taken: one row per object, backups first; click through to the object's downloads.
import { useState } from 'react';
import { onRowKey, usePaneFocus } from '../common/pane-focus';
import type { TimelineFilter } from '../../shared/api';
import type { ObjectSummary } from '../../shared/analysis';
import { useSummary } from '../analysis';
import { ByteSumCell } from '../common/ByteSumCell';
import { byteSum, bytes, count, timeIso } from '../common/format';
import { Empty, ErrorBox, Loading } from '../common/states';
import { Annotations } from '../notes/Annotations';

interface Props { zone: string; version: number; onShowTimeline: (f: TimelineFilter) => void }

const copies = (o: ObjectSummary) => `${count(o.completeCopies)}${o.assembledCopies ? ` (${o.assembledCopies} assembled)` : ''}`;

export function ObjectsView({ zone, version, onShowTimeline }: Props) {
  const q = useSummary(version);
  const [picked, setPicked] = useState<ObjectSummary | null>(null);
  const pane = usePaneFocus(picked ? `${picked.bucket}/${picked.key}` : null, () => setPicked(null));
  if (q.error) return <ErrorBox error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading what="objects" />;
  const objects = [...q.data.objects].sort((a, b) => Number(b.isBackup) - Number(a.isBackup) || b.bytesOut - a.bytesOut);
  if (objects.length === 0) return <Empty title="No objects downloaded yet.">Import evidence to see what was taken.</Empty>;
  return (
    <div className={`split${picked ? ' with-pane' : ''}`}>
      <div className="card scroll">
        {q.data.backups.length > 0 && (
          <p className="tally" data-testid="backup-tally">
            {q.data.backups.map((b) => (
              <span key={b.bucket}>
                <strong>{b.bucket}</strong>: {count(b.takenBackups)}{b.listedBackups !== null ? ` of ${count(b.listedBackups)}` : ''} backup files taken,
                {' '}{count(b.completeBackups)} in full{b.listedBackups === null ? ' (no bucket listing in the case)' : ''}.{' '}
              </span>
            ))}
          </p>
        )}
        <table className="data" data-testid="objects-table">
          <thead>
            <tr>
              <th>Object</th><th>Backup</th><th className="num">Size</th><th className="num">Downloads</th><th className="num opt">Actors</th>
              <th className="num opt">Bytes out</th><th className="num opt">Whole copies</th><th>First download ({zone})</th><th className="opt">Last</th><th><span className="visually-hidden">Open in the timeline</span></th>
            </tr>
          </thead>
          <tbody>
            {objects.map((o) => (
              <tr key={`${o.bucket}/${o.key}`} className={picked && picked.bucket === o.bucket && picked.key === o.key ? 'selected' : ''} onClick={() => setPicked(o)}
                tabIndex={0} onKeyDown={onRowKey(() => pane.openWithFocus(() => setPicked(o)))} data-object={`${o.bucket}/${o.key}`}>
                <td className="trunc" title={`s3://${o.bucket}/${o.key}`}>{o.bucket}/{o.key}</td>
                <td>{o.isBackup ? 'yes' : ''}</td>
                <td className="num">{bytes(o.size)}</td>
                <td className="num">{count(o.downloads)}</td>
                <td className="num opt">{count(o.actors)}</td>
                <ByteSumCell className="num opt" sum={o.bytesOut} unknown={o.bytesUnknown} rows={o.downloads} />
                <td className="num opt">
                  {copies(o)}
                  {o.completenessUnknown > 0 && <div className="muted" title="bytes sent or object size not logged for these downloads">unknown for {count(o.completenessUnknown)}</div>}
                </td>
                <td className="mono">{timeIso(o.firstDownload, zone)}</td>
                <td className="mono opt">{timeIso(o.lastDownload, zone)}</td>
                <td><button type="button" aria-label={`Timeline of ${o.bucket}/${o.key}`} onClick={(e) => { e.stopPropagation(); onShowTimeline({ bucket: o.bucket, key: o.key }); }}>Timeline →</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {picked && (
        <aside className="detail" aria-label="Object detail" data-testid="object-pane">
          <header className="detail-head">
            <h2 className="wrap" tabIndex={-1} ref={pane.heading}>{picked.bucket}/{picked.key}</h2>
            <button type="button" onClick={() => setPicked(null)}>Close</button>
          </header>
          {/* Every column of the row, whole: with the pane open the table keeps only the main ones. */}
          <dl className="fields">
            <dt>Backup</dt><dd>{picked.isBackup ? 'yes' : 'no'}</dd>
            <dt>Size</dt><dd>{bytes(picked.size)}</dd>
            <dt>Downloads</dt><dd>{count(picked.downloads)} by {count(picked.actors)} {picked.actors === 1 ? 'actor' : 'actors'}</dd>
            <dt>Bytes out</dt><dd>{byteSum(picked.bytesOut, picked.bytesUnknown, picked.downloads)}</dd>
            <dt>Whole copies</dt><dd>{copies(picked)}{picked.completenessUnknown > 0 ? `; unknown for ${count(picked.completenessUnknown)}` : ''}</dd>
            <dt>First download</dt><dd>{timeIso(picked.firstDownload, zone)}</dd>
            <dt>Last download</dt><dd>{timeIso(picked.lastDownload, zone)}</dd>
          </dl>
          <Annotations target={{ type: 'object', id: `${picked.bucket}/${picked.key}` }} zone={zone} />
        </aside>
      )}
    </div>
  );
}
