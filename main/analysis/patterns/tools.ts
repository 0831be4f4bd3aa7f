// Tools: downloads whose user agent names a bulk tool (aws-cli's `s3 sync` / `s3 cp`, rclone, s3cmd,
// wget, curl, python-requests, boto3, public bucket scanners…). The list is the case's setting
// (analysis-settings.ts), labelled, matched as a case-insensitive substring, first match wins; the
// defaults below are where a new case starts.
import type { BulkTool, ToolUse } from '../../../shared/enrich';
import { iso, type PatternDownload } from './types';

export const DEFAULT_BULK_TOOLS: BulkTool[] = [
  { label: 'aws-cli s3 sync', match: 'command/s3.sync' },
  { label: 'aws-cli s3 cp', match: 'command/s3.cp' },
  { label: 'aws-cli s3 mv', match: 'command/s3.mv' },
  { label: 'rclone', match: 'rclone' },
  { label: 's3cmd', match: 's3cmd' },
  { label: 's5cmd', match: 's5cmd' },
  { label: 'wget', match: 'wget' },
  { label: 'curl', match: 'curl/' },
  { label: 'python-requests', match: 'python-requests' },
  { label: 'Python urllib', match: 'python-urllib' },
  { label: 'boto3 script', match: 'boto3/' },
  { label: 'Cyberduck', match: 'cyberduck' },
  { label: 'S3 Browser', match: 's3 browser' },
  { label: 'S3Scanner (bucket scanner)', match: 's3scanner' },
  { label: 'AWSBucketDump (bucket scanner)', match: 'awsbucketdump' },
  { label: 'Go HTTP client (bucket scanners such as slurp)', match: 'go-http-client' },
  { label: 'aiohttp (bucket scanners)', match: 'aiohttp' },
];

export function validateTools(tools: BulkTool[]): string[] {
  const problems: string[] = [];
  tools.forEach((t, i) => {
    if (!t.label?.trim()) problems.push(`tool ${i + 1} has no label`);
    if (!t.match?.trim()) problems.push(`tool ${i + 1} ("${t.label}") matches nothing`);
  });
  return problems;
}

export function toolOf(tools: BulkTool[]): (userAgent: string | null) => string | null {
  const lowered = tools.map((t) => ({ label: t.label, match: t.match.toLowerCase() }));
  const cache = new Map<string, string | null>();
  return (ua) => {
    if (!ua) return null;
    let hit = cache.get(ua);
    if (hit === undefined) {
      const l = ua.toLowerCase();
      hit = lowered.find((t) => l.includes(t.match))?.label ?? null;
      cache.set(ua, hit);
    }
    return hit;
  };
}

/**
 * One actor's use of the listed tools, fed its downloads one at a time (a tool's user agent is the
 * first fed that it matched): a case's downloads can be streamed through it actor by actor.
 */
export class ToolTally {
  private readonly groups = new Map<string, ToolUse & { firstMs: number; lastMs: number }>();

  constructor(private readonly actorKey: string, private readonly tool: (userAgent: string | null) => string | null) {}

  /** Adds a download; its tool's label, or null when its user agent names none. */
  add(d: Pick<PatternDownload, 'timeMs' | 'bytes' | 'userAgent'>): string | null {
    const label = this.tool(d.userAgent);
    if (!label) return null;
    let g = this.groups.get(label);
    if (!g) this.groups.set(label, (g = { actorKey: this.actorKey, tool: label, downloads: 0, bytes: 0, unknownBytes: 0, userAgent: d.userAgent!, first: '', last: '', firstMs: d.timeMs, lastMs: d.timeMs }));
    g.downloads++;
    if (d.bytes === null) g.unknownBytes++; else g.bytes += d.bytes;
    if (d.timeMs < g.firstMs) g.firstMs = d.timeMs;
    if (d.timeMs > g.lastMs) g.lastMs = d.timeMs;
    return label;
  }

  uses(): ToolUse[] {
    return [...this.groups.values()].map(({ firstMs, lastMs, ...g }) => ({ ...g, first: iso(firstMs), last: iso(lastMs) }));
  }
}

export const toolUseOrder = (a: ToolUse, b: ToolUse): number => b.downloads - a.downloads || a.actorKey.localeCompare(b.actorKey) || a.tool.localeCompare(b.tool);

export function findToolUse(downloads: Iterable<PatternDownload>, tools: BulkTool[]): ToolUse[] {
  const tool = toolOf(tools);
  const tallies = new Map<string, ToolTally>();
  for (const d of downloads) {
    let t = tallies.get(d.actorKey);
    if (!t) tallies.set(d.actorKey, (t = new ToolTally(d.actorKey, tool)));
    t.add(d);
  }
  return [...tallies.values()].flatMap((t) => t.uses()).sort(toolUseOrder);
}
