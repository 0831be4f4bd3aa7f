// What the command line prints that more than one command shares. Log text is untrusted: every
// string that came from evidence or a user goes through printable() before it reaches a terminal.
import type { ImportProgress, ImportSummary } from '../../shared/api';
import { printable } from '../../shared/printable';

export { printable };

export function progressLine(p: ImportProgress): string {
  const pct = p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 0;
  const eta = p.etaSeconds === null ? '' : ` · ETA ${p.etaSeconds}s`;
  return `\r\x1b[K${p.filesDone}/${p.filesTotal} files · ${pct}% · ${p.events.toLocaleString('en')} events · ${p.rejected} rejected · ${p.rate.toLocaleString('en')}/s${eta}`;
}

export function summaryText(s: ImportSummary): string {
  const count = (st: string) => s.files.filter((f) => f.status === st).length;
  const lines = [
    `Imported ${count('imported')} file(s): ${s.events.toLocaleString('en')} events, ${s.duplicates.toLocaleString('en')} already in the case, ${s.rejected.toLocaleString('en')} rejected line(s) in ${s.seconds.toFixed(1)} s.`,
  ];
  // Whole files not taken are counted apart from the lines rejected inside imported ones.
  if (s.refused) lines.push(`Refused ${s.refused} file(s), each recorded in the case with its reason (the Evidence view's "Offered but not taken", and the custody log):`);
  if (count('already-in-case')) lines.push(`${count('already-in-case')} file(s) were already in the case (same SHA-256): nothing added.`);
  for (const f of s.files) {
    if (f.status === 'refused' || f.status === 'failed' || f.status === 'cancelled') lines.push(`  ${f.status}: ${printable(f.path)}: ${printable(f.reason ?? '')}`);
    else if (f.reason) lines.push(`  warning: ${printable(f.path)}: ${printable(f.reason)}`);
    for (const r of f.firstRejects ?? []) lines.push(`  rejected: ${printable(f.path)}:${r.locator}: ${printable(r.reason)}`);
    if (f.firstRejects && f.rejected > f.firstRejects.length) lines.push(`  … and ${f.rejected - f.firstRejects.length} more rejected in ${printable(f.path)} (see the Evidence view)`);
  }
  return `${lines.join('\n')}\n`;
}
