// The selected download: every field, the sources that saw it, and each raw record verbatim.
import type { Ref } from 'react';
import type { EventDetail } from '../../shared/api';
import { EXPOSURE_CLASS_LABEL, exposureClassifier } from '../../shared/exposure-rule';
import { invoke, useQuery } from '../api';
import { CopyButton } from '../common/CopyButton';
import { bytes, count, DASH, text, timeIso } from '../common/format';
import { ErrorBox, Loading } from '../common/states';
import { Annotations } from '../notes/Annotations';

function Field({ label, value, copy, context }: { label: string; value: string; copy?: boolean; context?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <span className="value">{value}</span>
        {copy && value !== DASH && <CopyButton value={value} what={context ? `${label} (${context})` : label} />}
      </dd>
    </>
  );
}

function EventRecord({ e, zone }: { e: EventDetail; zone: string }) {
  const sourceName = e.source === 'cloudtrail' ? 'CloudTrail' : 'S3 server access log';
  return (
    <article className="event-record" data-testid="event-record">
      <h3>{sourceName} · {e.action}</h3>
      <dl className="fields">
        <Field label="Time" value={timeIso(e.time, zone, true)} />
        <Field label="Kind" value={e.kind} />
        <Field label="Actor" value={text(e.actor)} copy context={sourceName} />
        <Field label="Actor type" value={e.actorType} />
        <Field label="Account" value={text(e.accountId)} />
        <Field label="Access key" value={text(e.accessKeyId)} copy context={sourceName} />
        <Field label="Source IP" value={text(e.sourceIp)} copy context={sourceName} />
        <Field label="User agent" value={text(e.userAgent)} />
        <Field label="Bucket" value={text(e.bucket)} />
        <Field label="Key" value={text(e.key)} copy context={sourceName} />
        <Field label="Status" value={text(e.status)} />
        <Field label="Error code" value={text(e.errorCode)} />
        <Field label="Bytes sent" value={e.bytesSent === null ? 'unknown (not logged)' : `${count(e.bytesSent)} (${bytes(e.bytesSent)})`} />
        <Field label="Object size" value={e.objectSize === null ? 'unknown (not logged)' : `${count(e.objectSize)} (${bytes(e.objectSize)})`} />
        <Field label="Range" value={text(e.range)} />
        <Field label="Request ID" value={text(e.requestId)} copy context={sourceName} />
        <Field label="Host ID" value={text(e.hostId)} copy context={sourceName} />
        <Field label="Event ID" value={text(e.eventId)} copy context={sourceName} />
        <Field label="Region" value={text(e.region)} />
        <Field label="Evidence" value={`${e.evidencePath} (#${e.evidenceId}), ${e.source === 'cloudtrail' ? 'record' : 'line'} ${e.locator}`} copy context={sourceName} />
      </dl>
      <div className="raw-head">
        <h4>Raw record, verbatim</h4>
        <CopyButton value={e.raw} label="Copy raw" what={`record (${sourceName})`} />
      </div>
      {/* Focusable so a long record can be scrolled from the keyboard. */}
      <pre className="raw" data-testid="raw-record" tabIndex={0} aria-label={`Raw ${sourceName} record`}>{e.raw}</pre>
    </article>
  );
}

export function DetailPane({ id, zone, onClose, headingRef, onMarks }: {
  id: number; zone: string; onClose: () => void; headingRef?: Ref<HTMLHeadingElement>; onMarks?: (notes: number, tags: string[]) => void;
}) {
  const q = useQuery(`download ${id}`, () => invoke('download:detail', { id }));
  const windows = useQuery(`exposure for download ${id}`, () => invoke('analysis:exposure', {}));
  return (
    <aside className="detail" aria-label="Download detail" data-testid="detail-pane">
      <header className="detail-head">
        <h2 tabIndex={-1} ref={headingRef}>Download #{id}</h2>
        <button type="button" onClick={onClose} aria-label="Close detail">Close</button>
      </header>
      {q.loading && !q.data && <Loading what="the download" />}
      {q.error && <ErrorBox error={q.error} onRetry={q.reload} />}
      {q.data && (
        <>
          <dl className="fields">
            <Field label="Time" value={timeIso(q.data.download.time, zone, true)} />
            <Field label="Actor" value={q.data.download.actor} copy />
            <Field label="Object" value={`s3://${q.data.download.bucket}/${q.data.download.key}`} copy />
            <Field label="Bytes sent" value={bytes(q.data.download.bytesSent)} />
            <Field label="Exposure" value={windows.data ? EXPOSURE_CLASS_LABEL[exposureClassifier(windows.data)(q.data.download)] : windows.error ? 'not determined' : '…'} />
            <Field label="Whole object" value={q.data.download.complete === null ? 'unknown' : q.data.download.complete ? 'yes' : 'no (partial)'} />
            <Field label="Seen in" value={q.data.download.sources.map((s) => (s === 'cloudtrail' ? 'CloudTrail' : 'S3 server access log')).join(' and ')} />
          </dl>
          {q.data.events.map((e) => <EventRecord key={e.id} e={e} zone={zone} />)}
          <Annotations target={{ type: 'download', id: String(id) }} zone={zone} onChange={onMarks} />
        </>
      )}
    </aside>
  );
}
