// The timeline filters. Text fields apply on Enter or Apply; switches apply at once. Each text filter
// says how it matches (starts with, contains, is exactly, CIDR block), so an empty result is never a
// silent exact-match miss. Times are typed as ISO 24-hour text in the display zone, one Tab stop each.
import { useEffect, useState, type FormEvent } from 'react';
import { ipv4Cidr, MATCH_WORDS, type AddressMatch, type TextMatch } from '../../shared/address-match';
import type { TimelineFilter } from '../../shared/api';
import { PATTERN_FILTERS, type PatternFilter } from '../../shared/enrich';
import { fromIsoInput, toIsoInput } from '../common/zoned-input';

interface Props {
  filter: TimelineFilter;
  zone: string;
  onChange: (f: TimelineFilter) => void;
}

const clean = (f: TimelineFilter): TimelineFilter =>
  Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')) as TimelineFilter;

interface Draft {
  from: string; to: string; bucket: string; keyPrefix: string; actor: string; sourceIp: string; country: string; asn: string;
  keyMatch: 'prefix' | 'contains'; actorMatch: TextMatch; sourceIpMatch: AddressMatch;
}

// Typed text matches as a prefix unless said otherwise (the actor index answers a prefix); a filter
// set by a click-through (an actor from a lane) keeps its exact match.
const draftOf = (f: TimelineFilter, zone: string): Draft => ({
  from: toIsoInput(f.from, zone), to: toIsoInput(f.to, zone), bucket: f.bucket ?? '', keyPrefix: f.keyPrefix ?? '',
  actor: f.actor ?? '', sourceIp: f.sourceIp ?? '', country: f.country ?? '', asn: f.asn === undefined ? '' : String(f.asn), keyMatch: f.keyMatch ?? 'prefix',
  actorMatch: f.actor ? f.actorMatch ?? 'exact' : 'prefix', sourceIpMatch: f.sourceIp ? f.sourceIpMatch ?? 'exact' : 'prefix',
});

const TIME_HINT = 'yyyy-mm-dd hh:mm:ss';

export function Filters({ filter, zone, onChange }: Props) {
  const [draft, setDraft] = useState(() => draftOf(filter, zone));
  const [problems, setProblems] = useState<Partial<Record<keyof Draft, string>>>({});
  useEffect(() => {
    setDraft(draftOf(filter, zone));
    setProblems({});
  }, [filter, zone]);

  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    const from = fromIsoInput(draft.from, zone);
    const to = fromIsoInput(draft.to, zone);
    const ip = draft.sourceIp.trim();
    // A slash says CIDR whatever the switch shows.
    const ipMatch: AddressMatch = ip.includes('/') ? 'cidr' : draft.sourceIpMatch === 'cidr' ? 'prefix' : draft.sourceIpMatch;
    const found: typeof problems = {};
    if (draft.from.trim() && !from) found.from = `not a time: type ${TIME_HINT}`;
    if (draft.to.trim() && !to) found.to = `not a time: type ${TIME_HINT}`;
    if (from && to && Date.parse(to) <= Date.parse(from)) found.to = 'must be after From';
    if (ipMatch === 'cidr' && !ipv4Cidr(ip)) found.sourceIp = 'not an IPv4 CIDR block such as 203.0.113.0/24';
    const country = draft.country.trim().toUpperCase();
    if (country && !/^[A-Z]{2}$/.test(country)) found.country = 'a two-letter country code such as US';
    const asnText = draft.asn.trim().replace(/^AS/i, '');
    const asn = asnText ? Number(asnText) : undefined;
    if (asnText && !(Number.isInteger(asn) && asn! >= 0 && asn! <= 4294967295)) found.asn = 'an AS number such as 16509';
    setProblems(found);
    if (Object.keys(found).length) return;
    const actor = draft.actor.trim();
    onChange(clean({
      ...filter, from, to, bucket: draft.bucket.trim(),
      keyPrefix: draft.keyPrefix, keyMatch: draft.keyPrefix && draft.keyMatch === 'contains' ? 'contains' : undefined,
      actor, actorMatch: actor && draft.actorMatch !== 'exact' ? draft.actorMatch : undefined,
      sourceIp: ip, sourceIpMatch: ip && ipMatch !== 'exact' ? ipMatch : undefined,
      country: country || undefined, asn,
    }));
  };
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  const field = (name: 'from' | 'to' | 'bucket' | 'keyPrefix' | 'actor' | 'sourceIp' | 'country' | 'asn', label: string, placeholder = '', cls = '') => {
    const problem = problems[name];
    return (
      <div className={`field ${cls}`}>
        <label htmlFor={`filter-${name}`}>{label}</label>
        <input id={`filter-${name}`} type="text" name={name} value={draft[name]} placeholder={placeholder} spellCheck={false} autoComplete="off"
          aria-invalid={problem ? true : undefined} aria-describedby={problem ? `filter-${name}-problem` : undefined}
          onChange={(e) => set({ [name]: e.target.value })} />
        {problem && <span className="field-error" id={`filter-${name}-problem`}>{problem}</span>}
      </div>
    );
  };
  const matchSelect = <M extends AddressMatch>(name: string, label: string, value: M, options: M[], onPick: (m: M) => void) => (
    <select className="match" aria-label={label} name={name} value={value} onChange={(e) => onPick(e.target.value as M)}>
      {options.map((m) => <option key={m} value={m}>{MATCH_WORDS[m]}</option>)}
    </select>
  );

  return (
    <form className="filters" onSubmit={apply} aria-label="Timeline filters">
      {field('from', `From (${zone})`, TIME_HINT, 'time-field')}
      {field('to', `To (${zone})`, TIME_HINT, 'time-field')}
      {field('bucket', 'Bucket', 'any bucket')}
      {filter.key !== undefined ? (
        <div className="field">
          <span>Object</span>
          <button type="button" className="chip" title="Show every object again" onClick={() => onChange(clean({ ...filter, key: undefined }))}>
            {filter.key} ×
          </button>
        </div>
      ) : (
        <div className="matched">
          {field('keyPrefix', 'Key', 'e.g. backups/')}
          {matchSelect('keyMatch', 'How the key matches', draft.keyMatch, ['prefix', 'contains'], (m) => set({ keyMatch: m }))}
        </div>
      )}
      <div className="matched">
        {field('actor', 'Actor', 'ARN, anonymous, canonical ID')}
        {matchSelect('actorMatch', 'How the actor matches', draft.actorMatch, ['prefix', 'contains', 'exact'], (m) => set({ actorMatch: m }))}
      </div>
      <div className="matched">
        {field('sourceIp', 'Source IP', 'address or a.b.c.0/24')}
        {matchSelect('sourceIpMatch', 'How the source IP matches', draft.sourceIp.includes('/') ? 'cidr' : draft.sourceIpMatch,
          ['prefix', 'contains', 'exact', 'cidr'], (m) => set({ sourceIpMatch: m }))}
      </div>
      {field('country', 'Country', 'e.g. US', 'short-field')}
      {field('asn', 'Network (ASN)', 'e.g. 16509', 'short-field')}
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
      {/* Labelled by id, not by wrapping: a wrapping label's name would take in the options' words. */}
      <div className="field">
        <label htmlFor="filter-pattern">Observed pattern</label>
        <select id="filter-pattern" name="pattern" value={filter.pattern ?? 'any'}
          onChange={(e) => onChange(clean({ ...filter, pattern: e.target.value === 'any' ? undefined : (e.target.value as PatternFilter) }))}>
          <option value="any">any download</option>
          {(Object.entries(PATTERN_FILTERS) as Array<[PatternFilter, string]>).map(([id, words]) => <option key={id} value={id}>downloads {words}</option>)}
        </select>
      </div>
      <label className="field">
        <span>Source</span>
        <select name="source" value={filter.source ?? 'any'}
          onChange={(e) => onChange(clean({ ...filter, source: e.target.value === 'any' ? undefined : (e.target.value as TimelineFilter['source']) }))}>
          <option value="any">all sources</option>
          <option value="s3-access-log">S3 server access logs</option>
          <option value="cloudtrail">CloudTrail</option>
        </select>
      </label>
      <div className="checks">
        <label className="check">
          <input type="checkbox" name="backupsOnly" checked={filter.backupsOnly ?? false}
            onChange={(e) => onChange(clean({ ...filter, backupsOnly: e.target.checked || undefined }))} />
          Backups only
        </label>
        <label className="check">
          <input type="checkbox" name="annotated" checked={filter.annotated ?? false}
            onChange={(e) => onChange(clean({ ...filter, annotated: e.target.checked || undefined }))} />
          With notes or tags
        </label>
      </div>
      <div className="filter-actions">
        <button type="submit" className="primary">Apply</button>
        <button type="button" onClick={() => onChange({})}>Clear</button>
      </div>
    </form>
  );
}
