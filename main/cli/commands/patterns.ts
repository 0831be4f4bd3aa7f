// `trailmark patterns`: the case's exfiltration-pattern settings — the burst thresholds and the
// labelled bulk-tool list the rules read. Without a change option it prints them (read-only); with one
// it writes the case's settings and logs the change in its custody. The patterns themselves are
// computed on read (`trailmark summary`, the report, the app), so the next read uses the new values.
import type { PatternSettings } from '../../../shared/enrich';
import { formatBytes } from '../../../shared/bytes';
import { getPatternSettings, setPatternSettings, validatePatternSettings, DEFAULT_PATTERN_SETTINGS } from '../../case/analysis-settings';
import { openForAppend } from '../../case/db';
import { caseOption, list, requireExistingCase, str, UsageError, type Command, type Values } from '../kit';
import { printable } from '../output';
import { readCase } from '../reading';

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };

/** A count or a size option: digits, a size with a decimal unit (50MB, 1.5GB), never a fraction of a byte. */
function whole(values: Values, name: string, sizes = false): number | undefined {
  const v = str(values[name]);
  if (v === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(v.trim());
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  // Decimal units multiply exactly enough for any size typed with a few decimals (1.5GB); what is left a fraction is refused.
  const n = m && unit !== undefined && (sizes || m[2] === '') ? Number((Number(m[1]) * unit).toPrecision(15)) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new UsageError(`--${name} takes a whole number${sizes ? ' of bytes, or a size such as 50MB or 1.5GB (decimal units)' : ''}, not "${printable(v)}"`);
  }
  return n;
}

function minutesOption(values: Values): number | undefined {
  const v = str(values['burst-minutes']);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v.trim()) || !Number.isFinite(n)) throw new UsageError(`--burst-minutes takes a number of minutes, not "${printable(v)}"`);
  return n;
}

/** --tool LABEL=MATCH: the label is what lists show, the match a case-insensitive substring of the user agent. */
function toolOption(text: string): { label: string; match: string } {
  const at = text.indexOf('=');
  if (at < 1 || at === text.length - 1) throw new UsageError(`--tool takes LABEL=MATCH (e.g. "rclone=rclone/"), not "${printable(text)}"`);
  return { label: text.slice(0, at).trim(), match: text.slice(at + 1).trim() };
}

export function settingsText(p: PatternSettings): string {
  const lines = [
    `Bursts: more than ${p.burst.backupFiles} backup files or more than ${formatBytes(p.burst.bytes)} (${p.burst.bytes} bytes) within ${p.burst.minutes} minutes`,
    `Bulk tools (${p.tools.length}; a case-insensitive substring of the user agent, first match wins):`,
    ...p.tools.map((t) => `  ${printable(t.label)} = ${printable(t.match)}`),
  ];
  return `${lines.join('\n')}\n`;
}

export const patternsCommand: Command = {
  summary: "the exfiltration patterns' settings: burst thresholds and the bulk-tool list (show, or change with custody)",
  usage: 'trailmark patterns --case CASE.sqlite [--burst-files N] [--burst-bytes N|50MB] [--burst-minutes T] [--tool LABEL=MATCH]… [--remove-tool LABEL]… [--reset] [--examiner NAME] [--json]',
  help: [
    'Without a change option, prints the settings (the case is opened read-only).',
    'A burst is an actor taking more than --burst-files backup files, or more than --burst-bytes bytes, within --burst-minutes.',
    '--tool adds a labelled user-agent substring (or replaces the one with that label); --remove-tool takes one out by label;',
    '--reset goes back to the defaults first. A change is written to the case and logged in its custody, with the settings',
    'before and after; the patterns are computed on read, so `trailmark summary` and the report use it at once.',
    'A value that makes no sense (a window longer than a week, a tool without a match, a label twice) is refused: exit 2.',
  ].join('\n'),
  options: {
    ...caseOption, 'burst-files': { type: 'string' }, 'burst-bytes': { type: 'string' }, 'burst-minutes': { type: 'string' },
    tool: { type: 'string', multiple: true }, 'remove-tool': { type: 'string', multiple: true }, reset: { type: 'boolean' },
    examiner: { type: 'string' }, json: { type: 'boolean' },
  },
  async run(values, _p, io) {
    const casePath = requireExistingCase(values);
    const files = whole(values, 'burst-files');
    const bytes = whole(values, 'burst-bytes', true);
    const minutes = minutesOption(values);
    const added = list(values.tool).map(toolOption);
    const removed = list(values['remove-tool']).map((l) => l.trim());
    const changing = files !== undefined || bytes !== undefined || minutes !== undefined || added.length > 0 || removed.length > 0 || values.reset === true;
    const print = (p: PatternSettings) => io.out(values.json ? `${JSON.stringify(p)}\n` : settingsText(p));
    if (!changing) {
      print(await readCase(casePath, 'warn', io, (db) => getPatternSettings(db)));
      return 0;
    }
    const db = openForAppend(casePath);
    try {
      const base = values.reset ? DEFAULT_PATTERN_SETTINGS : getPatternSettings(db);
      let tools = base.tools;
      for (const label of removed) {
        const kept = tools.filter((t) => t.label.toLowerCase() !== label.toLowerCase());
        if (kept.length === tools.length) throw new UsageError(`--remove-tool: no tool is labelled "${printable(label)}"`);
        tools = kept;
      }
      for (const t of added) {
        const at = tools.findIndex((x) => x.label.toLowerCase() === t.label.toLowerCase());
        tools = at < 0 ? [...tools, t] : tools.map((x, i) => (i === at ? t : x));
      }
      const next: PatternSettings = {
        burst: { backupFiles: files ?? base.burst.backupFiles, bytes: bytes ?? base.burst.bytes, minutes: minutes ?? base.burst.minutes },
        tools,
      };
      const problems = validatePatternSettings(next);
      if (problems.length) throw new UsageError(`pattern settings refused: ${problems.join('; ')}`);
      const stored = setPatternSettings(db, next, str(values.examiner) ?? null);
      if (!values.json) io.err(`${printable(casePath)}: pattern settings changed (logged in custody)\n`);
      print(stored);
    } finally {
      db.close();
    }
    return 0;
  },
};
