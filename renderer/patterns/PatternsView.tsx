// Patterns observed: the exfiltration patterns (main/analysis/patterns) as a labelled list of facts with
// their figures — bursts, actors first seen during an exposure, bulk tools named in user agents, and
// listing before download. Each row opens its downloads in the timeline; each section opens all the
// downloads the pattern covers (the timeline's pattern filter). "Observed", never a verdict.
import type { ReactNode } from 'react';
import type { TimelineFilter } from '../../shared/api';
import { PATTERN_FILTERS, type ExfilPatterns, type PatternFilter } from '../../shared/enrich';
import { invoke, useQuery } from '../api';
import { ByteSumCell } from '../common/ByteSumCell';
import { bytes, count, timeIso } from '../common/format';
import { ErrorBox, Loading } from '../common/states';
import { PatternSettingsEditor } from './PatternSettingsEditor';

interface Props { zone: string; version: number; onShowTimeline: (f: TimelineFilter) => void; onChanged: () => void }

/** The timeline filter of one actor: anonymous requests are told apart by their address (actorKeyOf in main). */
function actorFilter(actorKey: string): TimelineFilter {
  const anon = /^anonymous@(.+)$/.exec(actorKey);
  return anon && anon[1] !== 'unknown' ? { actor: 'anonymous', sourceIp: anon[1] } : { actor: anon ? 'anonymous' : actorKey };
}

const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

function Section({ id, title, rule, n, onAll, children }: { id: PatternFilter; title: string; rule: string; n: number; onAll: () => void; children: ReactNode }) {
  return (
    <section className="card pattern" aria-labelledby={`pattern-${id}`} data-testid={`pattern-${id}`}>
      <header className="card-head">
        <h3 id={`pattern-${id}`}>{title} <span className="muted">({count(n)})</span></h3>
        <span className="muted small">{rule}</span>
        {n > 0 && <button type="button" onClick={onAll}>Downloads {PATTERN_FILTERS[id]} →</button>}
      </header>
      {n === 0 ? <p className="muted">None observed.</p> : children}
    </section>
  );
}

export function PatternsView({ zone, version, onShowTimeline, onChanged }: Props) {
  const q = useQuery(`exfil ${version}`, () => invoke('analysis:exfil', {}));
  if (q.error) return <ErrorBox error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading what="the patterns" />;
  const p: ExfilPatterns = q.data;
  const s = p.settings.burst;
  const t = (iso: string | null) => (iso ? timeIso(iso, zone) : 'still open');
  const show = (f: TimelineFilter) => () => onShowTimeline(f);
  const all = (pattern: PatternFilter) => show({ pattern });
  const open = (label: string, f: TimelineFilter) => (
    <button type="button" aria-label={`Timeline of ${label}`} onClick={show(f)}>Timeline →</button>
  );
  return (
    <div className="patterns scroll" data-testid="patterns-view">
      <header className="patterns-head">
        <h2>Patterns observed</h2>
        <p className="muted">Facts observed in the evidence, each with its figures — what was seen, not why. Times in {zone}.</p>
      </header>

      <Section id="burst" title="Bursts" n={p.bursts.length} onAll={all('burst')}
        rule={`an actor taking more than ${plural(s.backupFiles, 'backup file')} or more than ${bytes(s.bytes)} within ${s.minutes} minutes`}>
        <table className="data">
          <thead><tr><th>Actor</th><th>From</th><th>To</th><th className="num">Downloads</th><th className="num">Backup files</th><th className="num">Bytes</th><th>Over</th><th><span className="visually-hidden">Open in the timeline</span></th></tr></thead>
          <tbody>
            {p.bursts.map((b) => (
              <tr key={`${b.actorKey} ${b.fromMs}`}>
                <td className="wrap">{b.actorKey}</td>
                <td className="mono">{t(b.from)}</td>
                <td className="mono">{t(b.to)}</td>
                <td className="num">{count(b.downloads)}</td>
                <td className="num">{count(b.backupFiles)}</td>
                <ByteSumCell sum={b.bytes} unknown={b.unknownBytes} rows={b.downloads} />
                <td>{b.over.map((o) => (o === 'files' ? 'backup files' : 'bytes')).join(' and ')}</td>
                {/* `to` is exclusive in a filter: a millisecond past the burst's last download. */}
                <td>{open(`the burst by ${b.actorKey}`, { ...actorFilter(b.actorKey), from: b.from, to: new Date(b.toMs + 1).toISOString() })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="first-seen" title="First seen during an exposure" n={p.firstSeen.length} onAll={all('first-seen')}
        rule="actors whose first request of all the evidence came while a bucket was exposed, after the window opened">
        <table className="data">
          <thead><tr><th>Actor</th><th>First request</th><th>Bucket exposed</th><th>Window</th><th className="num">Downloads</th><th><span className="visually-hidden">Open in the timeline</span></th></tr></thead>
          <tbody>
            {p.firstSeen.map((f) => (
              <tr key={f.actorKey}>
                <td className="wrap">{f.actorKey}</td>
                <td className="mono">{t(f.firstSeen)}</td>
                <td className="wrap">s3://{f.bucket}</td>
                <td className="mono">{t(f.windowFrom)} → {t(f.windowTo)}</td>
                <td className="num">{count(f.downloads)}</td>
                <td>{open(f.actorKey, actorFilter(f.actorKey))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="bulk-tool" title="Bulk tools named in user agents" n={p.tools.length} onAll={all('bulk-tool')}
        rule={`user agents naming one of ${plural(p.settings.tools.length, 'listed tool')} (the case's settings, below)`}>
        <table className="data">
          <thead><tr><th>Actor</th><th>Tool</th><th className="num">Downloads</th><th className="num">Bytes</th><th>First</th><th>Last</th><th>User agent</th><th><span className="visually-hidden">Open in the timeline</span></th></tr></thead>
          <tbody>
            {p.tools.map((u) => (
              <tr key={`${u.actorKey} ${u.tool}`}>
                <td className="wrap">{u.actorKey}</td>
                <td>{u.tool}</td>
                <td className="num">{count(u.downloads)}</td>
                <ByteSumCell sum={u.bytes} unknown={u.unknownBytes} rows={u.downloads} />
                <td className="mono">{t(u.first)}</td>
                <td className="mono">{t(u.last)}</td>
                <td className="wrap mono small">{u.userAgent}</td>
                <td>{open(`${u.actorKey} with ${u.tool}`, actorFilter(u.actorKey))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="listed-first" title="Listing before download" n={p.enumeration.length} onAll={all('listed-first')}
        rule="actors that listed a bucket (ListObjects, REST.GET.BUCKET…) before downloading; refused listings count as attempts">
        <table className="data">
          <thead><tr><th>Actor</th><th className="num">Listings</th><th>Buckets listed</th><th>First listing</th><th>First download</th><th className="num">Downloads after</th><th><span className="visually-hidden">Open in the timeline</span></th></tr></thead>
          <tbody>
            {p.enumeration.map((e) => (
              <tr key={e.actorKey}>
                <td className="wrap">{e.actorKey}</td>
                <td className="num">{count(e.listings)}{e.failedListings > 0 && <div className="muted">{count(e.failedListings)} refused</div>}</td>
                <td className="wrap">{e.buckets.map((b) => `s3://${b}`).join(', ') || '—'}</td>
                <td className="mono">{t(e.firstListing)}</td>
                <td className="mono">{t(e.firstDownload)}</td>
                <td className="num">{count(e.downloadsAfter)}</td>
                <td>{open(`${e.actorKey} from its first listing`, { ...actorFilter(e.actorKey), from: e.firstListing })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <PatternSettingsEditor settings={p.settings} onSaved={onChanged} />
    </div>
  );
}
