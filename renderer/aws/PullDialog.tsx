// "Pull from AWS…": the form for app:pull (LookupEvents, CloudTrail Lake, Athena, a log bucket or a
// bucket listing), checked before it is sent, then the pull's own progress messages, Cancel, and the
// outcome. The import that follows acquisition reports in the app's import bar as any import does.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AwsPullSummary } from '../../shared/api';
import { invoke, onProgress } from '../api';
import { count } from '../common/format';
import { ErrorBox } from '../common/states';
import { toIsoInput } from '../common/zoned-input';
import { buildPullRequest, LOOKUP_KEYS, type Field, type FieldErrors, type PullForm, type Route } from './pull-form';

const ROUTES: { id: Route; label: string; hint: string }[] = [
  { id: 'lookup', label: 'CloudTrail event history (LookupEvents)', hint: 'Management events of the last 90 days, e.g. who changed the bucket policy or ACL.' },
  { id: 'lake', label: 'CloudTrail Lake', hint: 'Data events (GetObject…) at scale from an existing event data store.' },
  { id: 'athena', label: 'Athena', hint: 'Query access logs or trail files in place when the log bucket is too big to download.' },
  { id: 'logs', label: 'Log bucket', hint: 'Download S3 server access logs or CloudTrail trail files (and digests) for the days asked.' },
  { id: 'listing', label: 'Bucket listing', hint: 'Every object version under a prefix: the denominator for "X of Y files taken".' },
];

const TIME_HINT = 'yyyy-mm-dd hh:mm:ss';

export const PULL_MESSAGE_PREFIX = 'aws-pull-';

function initialForm(zone: string): PullForm {
  const now = Date.now();
  return {
    route: 'lookup', profile: '', region: '', regions: '', examiner: '',
    from: toIsoInput(new Date(now - 7 * 86400e3).toISOString(), zone), to: toIsoInput(new Date(now).toISOString(), zone),
    lookupKey: 'EventSource', lookupValue: 's3.amazonaws.com', eventDataStore: '', table: '', bucket: '', keyPrefix: '', names: '',
    workgroup: '', outputLocation: '', createKind: '', createLocation: '', uri: '', concurrency: '',
  };
}

export function PullDialog({ zone, onClose, onPulled }: { zone: string; onClose: () => void; onPulled: () => void }) {
  const [form, setForm] = useState<PullForm>(() => initialForm(zone));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const [importLine, setImportLine] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<AwsPullSummary | null>(null);
  const jobs = useRef<{ active: boolean; pull: string | null; imports: Set<string> }>({ active: false, pull: null, imports: new Set() });

  // Subscribed from the start, so the pull's first messages are not missed; only heeded while it runs.
  useEffect(() => onProgress((p) => {
      if (!jobs.current.active) return;
      if (p.jobId.startsWith(PULL_MESSAGE_PREFIX)) {
        jobs.current.pull = p.jobId;
        if (p.message) setMessages((m) => [...m.slice(-49), p.message!]);
      } else {
        // The import the pull starts once its files are on disk.
        jobs.current.imports.add(p.jobId);
        setImportLine(`Importing: files ${count(p.filesDone)} / ${count(p.filesTotal)}, events ${count(p.events)}, rejected ${count(p.rejected)} (${p.phase})`);
      }
    }), []);

  const set = <K extends Field>(k: K, v: PullForm[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const built = buildPullRequest(form, zone);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    setError(null);
    setDone(null);
    setMessages([]);
    setImportLine(null);
    jobs.current = { active: true, pull: null, imports: new Set() };
    setBusy(true);
    // Main shows the profile, regions and destinations in a native dialog; null: the user said no there.
    invoke('app:pull', built.req).then(
      (summary) => {
        jobs.current.active = false;
        setBusy(false);
        if (!summary) return;
        setDone(summary);
        onPulled();
      },
      (err: Error) => {
        jobs.current.active = false;
        setBusy(false);
        setError(err.message);
        // A failed or cancelled pull may still have imported a finished import; let the views look again.
        onPulled();
      },
    );
  };

  const cancel = () => {
    const { pull, imports } = jobs.current;
    if (pull) void invoke('aws:cancel', { jobId: pull });
    for (const id of imports) void invoke('import:cancel', { jobId: id });
  };

  // The error sits outside the label (so the field keeps its name) and describes the input.
  const text = (k: Field, label: string, placeholder = '', type = 'text') => (
    <div className="field pull-field">
      <label htmlFor={`pull-${k}`}>{label}</label>
      <input id={`pull-${k}`} type={type} name={k} value={form[k] as string} placeholder={placeholder} spellCheck={false}
        aria-invalid={errors[k] ? true : undefined} aria-describedby={errors[k] ? `pull-${k}-error` : undefined}
        onChange={(e) => set(k, e.target.value as never)} disabled={busy} />
      {errors[k] && <span id={`pull-${k}-error`} className="field-error" role="alert">{errors[k]}</span>}
    </div>
  );

  const r = form.route;
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Pull from AWS">
      <form className="dialog pull-dialog" onSubmit={submit} data-testid="pull-dialog" noValidate>
        <div className="detail-head"><h2>Pull from AWS</h2>{!busy && <button type="button" onClick={onClose}>Close</button>}</div>
        <fieldset className="choices compact" disabled={busy}>
          {ROUTES.map((x) => (
            <label key={x.id} className="choice">
              <input type="radio" name="route" value={x.id} checked={r === x.id} onChange={() => set('route', x.id)} />
              <span><strong>{x.label}</strong><span className="muted small">{x.hint}</span></span>
            </label>
          ))}
        </fieldset>
        <div className="pull-grid">
          {text('profile', 'AWS profile', 'default chain')}
          {text('region', 'Region', "the profile's")}
          {(r === 'lookup' || r === 'logs') && text('regions', r === 'lookup' ? 'More regions' : 'CloudTrail regions', 'e.g. eu-west-1 us-east-1')}
          {/* Typed as the app shows times everywhere (ISO, 24-hour), one Tab stop each, not the browser's locale picker. */}
          {text('from', `From (${zone})`, TIME_HINT)}
          {text('to', `To (${zone})`, TIME_HINT)}
          {r === 'lookup' && (
            <>
              <label className="field pull-field">
                <span>Lookup attribute</span>
                <select name="lookupKey" value={form.lookupKey} onChange={(e) => set('lookupKey', e.target.value as PullForm['lookupKey'])} disabled={busy}>
                  <option value="">none (every event)</option>
                  {LOOKUP_KEYS.map((k) => <option key={k} value={k}>{k}</option>)}
                </select>
              </label>
              {form.lookupKey && text('lookupValue', 'Attribute value', 'e.g. s3.amazonaws.com or a bucket name')}
            </>
          )}
          {r === 'lake' && text('eventDataStore', 'Event data store', 'ID or ARN')}
          {r === 'athena' && text('table', 'Athena table', 'DATABASE.TABLE')}
          {(r === 'lake' || r === 'athena') && (
            <>
              {text('bucket', 'Bucket', 'the suspect bucket')}
              {text('keyPrefix', 'Key prefix', 'e.g. backups/')}
              {text('names', r === 'lake' ? 'Event names' : 'Operations', r === 'lake' ? 'e.g. GetObject' : 'e.g. REST.GET.OBJECT')}
            </>
          )}
          {r === 'athena' && (
            <>
              {text('workgroup', 'Workgroup', 'primary')}
              {text('outputLocation', 'Results location', 's3://bucket/prefix')}
              <label className="field pull-field">
                <span>Create the table</span>
                <select name="createKind" value={form.createKind} onChange={(e) => set('createKind', e.target.value as PullForm['createKind'])} disabled={busy}>
                  <option value="">no, it exists</option>
                  <option value="access-log">yes, over S3 server access logs</option>
                  <option value="cloudtrail">yes, over CloudTrail trail files</option>
                </select>
              </label>
              {form.createKind && text('createLocation', 'Logs location', 's3://log-bucket/prefix/')}
            </>
          )}
          {(r === 'logs' || r === 'listing') && text('uri', r === 'logs' ? 'Log location' : 'Bucket and prefix', 's3://bucket/prefix/')}
          {r === 'logs' && text('concurrency', 'Parallel downloads', '4')}
          {text('examiner', 'Examiner', 'as set for the case')}
        </div>
        {errors.form && <div className="field-error" role="alert">{errors.form}</div>}
        <p className="muted small">Credentials come from the profile's chain (SSO, environment, credential_process) and are never stored in the case.</p>
        {(busy || messages.length > 0) && (
          <div className="pull-progress" role="status" aria-live="polite" data-testid="pull-progress">
            {busy && <strong>Pulling from AWS…</strong>}
            <ul className="plain small mono">{messages.map((m, i) => <li key={i} className="wrap">{m}</li>)}</ul>
            {importLine && <div className="small">{importLine}</div>}
          </div>
        )}
        {error && <ErrorBox error={error} />}
        {done && (
          <div className="done" data-testid="pull-done">
            <div>
              <strong>Pulled</strong> {count(done.records)} records in {count(done.files)} file{done.files === 1 ? '' : 's'} ({done.api}) from account {done.account} as{' '}
              <span className="wrap">{done.principal}</span>, region {done.region}{done.resumed ? ', resumed' : ''}.
            </div>
            {done.import && <div>Imported {count(done.import.events)} events, {count(done.import.duplicates)} already in the case, {count(done.import.rejected)} rejected lines, {count(done.import.refused ?? 0)} refused files.</div>}
            <div className="muted small wrap">Files kept in {done.evidenceDir}</div>
          </div>
        )}
        <div className="row">
          <span />
          {busy
            ? <button type="button" onClick={cancel}>Cancel pull</button>
            : <button type="submit" className="primary">{done || error ? 'Pull again' : 'Pull'}</button>}
        </div>
      </form>
    </div>
  );
}
