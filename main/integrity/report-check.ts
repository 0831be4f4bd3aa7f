// `trailmark verify --report REF`: does a report or an export still match the case? REF is a report
// ID, an output file's SHA-256 or an answers digest (or a prefix of one, at least 8 hex digits, as a
// report's file name carries). The custody log records, for every report and export, the answers
// digest it was built from; that is compared with the digest of the answers as verify re-derives them.
import type { CustodyRow } from '../../shared/api';

export interface RecordedOutput { seq: number; at: string; action: string; reportId: string | null; out: string | null; sha256: string | null; answersDigest: string | null }

export interface ReportCheck {
  ref: string;
  /** The custody entry of the report or export REF names; null when REF is taken as an answers digest itself. */
  output: RecordedOutput | null;
  /** The answers digest the output was built from. */
  recorded: string | null;
  /** The answers digest of the case now. */
  current: string;
  matches: boolean;
  /** What changed the case since the output was made (custody entries after it, reports and exports left out). */
  since: string[];
}

const OUTPUTS = new Set(['report', 'export']);

export function recordedOutputs(custody: CustodyRow[]): RecordedOutput[] {
  const out: RecordedOutput[] = [];
  for (const c of custody) {
    if (!OUTPUTS.has(c.action)) continue;
    let d: Record<string, unknown>;
    try {
      d = JSON.parse(c.details) as Record<string, unknown>;
    } catch {
      continue;
    }
    const s = (v: unknown) => (typeof v === 'string' ? v : null);
    out.push({ seq: c.seq, at: c.at, action: c.action, reportId: s(d.reportId), out: s(d.out), sha256: s(d.sha256), answersDigest: s(d.answersDigest) });
  }
  return out;
}

/** Whether REF can name a digest: hex, at least 8 digits. */
export const isDigestRef = (ref: string): boolean => /^[0-9a-f]{8,64}$/i.test(ref);

/** The outputs REF names (by report ID, file SHA-256 or answers digest, whole or by prefix); the latest last. */
export function outputsNamed(outputs: RecordedOutput[], ref: string): RecordedOutput[] {
  const r = ref.toLowerCase();
  const hit = (v: string | null) => v !== null && (v === r || (r.length >= 8 && v.startsWith(r)));
  return outputs.filter((o) => hit(o.reportId) || hit(o.sha256) || hit(o.answersDigest));
}

export function checkReport(ref: string, custody: CustodyRow[], current: string): ReportCheck | { ref: string; error: string } {
  const named = outputsNamed(recordedOutputs(custody), ref);
  const output = named.at(-1) ?? null;
  if (!output) {
    if (/^[0-9a-f]{64}$/i.test(ref)) return { ref, output: null, recorded: ref.toLowerCase(), current, matches: ref.toLowerCase() === current, since: [] };
    return { ref, error: `no report or export in the custody log has the ID, file SHA-256 or answers digest ${ref}` };
  }
  if (!output.answersDigest) return { ref, error: `the ${output.action} of custody entry ${output.seq} records no answers digest (made by an earlier Trailmark)` };
  const since = custody.filter((c) => c.seq > output.seq && !OUTPUTS.has(c.action)).map((c) => `custody entry ${c.seq}: ${c.action} at ${c.at}`);
  return { ref, output, recorded: output.answersDigest, current, matches: output.answersDigest === current, since };
}
