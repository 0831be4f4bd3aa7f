// The timeline filters. Text fields apply on Enter or Apply; switches apply at once.
import { useEffect, useState, type FormEvent } from 'react';
import type { TimelineFilter } from '../../shared/api';
import { fromLocalInput, toLocalInput } from '../common/zoned-input';

interface Props {
  filter: TimelineFilter;
  zone: string;
  onChange: (f: TimelineFilter) => void;
}

const clean = (f: TimelineFilter): TimelineFilter =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')) as TimelineFilter;

export function Filters({ filter, zone, onChange }: Props) {
  const [draft, setDraft] = useState(() => ({
    from: toLocalInput(filter.from, zone), to: toLocalInput(filter.to, zone), bucket: filter.bucket ?? '',
    keyPrefix: filter.keyPrefix ?? '', actor: filter.actor ?? '', sourceIp: filter.sourceIp ?? '',
  }));
  useEffect(() => {
    setDraft({
      from: toLocalInput(filter.from, zone), to: toLocalInput(filter.to, zone), bucket: filter.bucket ?? '',
      keyPrefix: filter.keyPrefix ?? '', actor: filter.actor ?? '', sourceIp: filter.sourceIp ?? '',
    });
  }, [filter, zone]);

  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    onChange(clean({
      ...filter, from: fromLocalInput(draft.from, zone), to: fromLocalInput(draft.to, zone), bucket: draft.bucket.trim(),
      keyPrefix: draft.keyPrefix, actor: draft.actor.trim(), sourceIp: draft.sourceIp.trim(),
    }));
  };
  const field = (name: keyof typeof draft, label: string, placeholder = '', type = 'text') => (
    <label className="field">
      <span>{label}</span>
      <input type={type} name={name} value={draft[name]} placeholder={placeholder} spellCheck={false}
        onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} />
    </label>
  );

  return (
    <form className="filters" onSubmit={apply} aria-label="Timeline filters">
      {field('from', `From (${zone})`, '', 'datetime-local')}
      {field('to', `To (${zone})`, '', 'datetime-local')}
      {field('bucket', 'Bucket', 'any bucket')}
      {filter.key !== undefined ? (
        <div className="field">
          <span>Object</span>
          <button type="button" className="chip" title="Show every object again" onClick={() => onChange(clean({ ...filter, key: undefined }))}>
            {filter.key} ×
          </button>
        </div>
      ) : field('keyPrefix', 'Key prefix', 'e.g. backups/')}
      {field('actor', 'Actor', 'ARN, anonymous or canonical ID')}
      {field('sourceIp', 'Source IP', 'any address')}
      <label className="field">
        <span>Exposure</span>
        <select name="exposure" value={filter.exposure ?? 'any'}
          onChange={(e) => onChange(clean({ ...filter, exposure: e.target.value === 'any' ? undefined : (e.target.value as TimelineFilter['exposure']) }))}>
          <option value="any">inside, at the boundary or outside</option>
          <option value="inside">inside an exposure window</option>
          <option value="boundary">at the boundary (same second as the change)</option>
          <option value="outside">outside exposure windows</option>
        </select>
      </label>
      <label className="field">
        <span>Source</span>
        <select name="source" value={filter.source ?? 'any'}
          onChange={(e) => onChange(clean({ ...filter, source: e.target.value === 'any' ? undefined : (e.target.value as TimelineFilter['source']) }))}>
          <option value="any">all sources</option>
          <option value="s3-access-log">S3 server access logs</option>
          <option value="cloudtrail">CloudTrail</option>
        </select>
      </label>
      <label className="check">
        <input type="checkbox" name="backupsOnly" checked={filter.backupsOnly ?? false}
          onChange={(e) => onChange(clean({ ...filter, backupsOnly: e.target.checked || undefined }))} />
        Backups only
      </label>
      <div className="filter-actions">
        <button type="submit" className="primary">Apply</button>
        <button type="button" onClick={() => onChange({})}>Clear</button>
      </div>
    </form>
  );
}
