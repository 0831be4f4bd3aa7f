// `trailmark ip-ranges`: which copy of AWS's published ranges answers (shipped or refreshed, and its
// date), and `--refresh` for users who are online: fetches AWS's ip-ranges.json (or reads one already
// downloaded, `--from FILE|URL`) and stores it compacted in the user's data folder, where it is used
// in preference to the shipped copy when newer. Cases already enriched keep their answers (each row
// says which data gave it) until `--rebuild-case CASE` looks their addresses up again.
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from '../kit';
import { openWritable } from '../../case/db';
import { rebuildIpContext } from '../../case/ip-context';
import { loadEnricher } from '../../enrich/context';
import { AWS_RANGES_URL, loadAwsRanges, refreshedRangesPath, SHIPPED_RANGES, storeRefreshedRanges, userDataDir } from '../../enrich/data';
import { createDay } from '../../enrich/aws-ranges';
import { printable } from '../../../shared/printable';

async function readSource(from: string): Promise<string> {
  if (/^https?:\/\//i.test(from)) {
    const res = await fetch(from, { signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new Error(`${from}: HTTP ${res.status}`);
    return res.text();
  }
  if (!existsSync(from)) throw new Error(`${from} does not exist`);
  return readFileSync(from, 'utf8');
}

export const ipRangesCommand: Command = {
  summary: "AWS's published address ranges used to label addresses: show the copy in use, or --refresh it (online)",
  usage: 'trailmark ip-ranges [--refresh [--from FILE|URL]] [--rebuild-case CASE.sqlite] [--json]',
  options: { refresh: { type: 'boolean' }, from: { type: 'string' }, 'rebuild-case': { type: 'string' }, json: { type: 'boolean' } },
  async run(values, _p, io) {
    const dir = userDataDir();
    if (values.refresh) {
      const from = typeof values.from === 'string' ? values.from : AWS_RANGES_URL;
      const stored = storeRefreshedRanges(await readSource(from), from, dir);
      io.err(`stored AWS ranges of ${createDay(stored.createDate)} (syncToken ${stored.syncToken}, ${stored.prefixes} prefixes) in ${printable(stored.path)}\n`);
    } else if (typeof values.from === 'string') {
      throw new Error('--from goes with --refresh');
    }
    const { ranges, source } = loadAwsRanges(dir);
    const info = {
      source, path: source === 'shipped' ? SHIPPED_RANGES : refreshedRangesPath(dir), createDate: ranges.info.createDate,
      date: createDay(ranges.info.createDate), syncToken: ranges.info.syncToken, prefixes: ranges.prefixes,
    };
    let rebuilt: number | null = null;
    if (typeof values['rebuild-case'] === 'string') {
      const casePath = values['rebuild-case'];
      if (!existsSync(casePath)) throw new Error(`${casePath} does not exist`);
      const db = openWritable(casePath);
      try {
        rebuilt = rebuildIpContext(db, loadEnricher(dir)).newAddresses;
      } finally {
        db.close();
      }
    }
    if (values.json) {
      io.out(`${JSON.stringify({ ...info, rebuiltAddresses: rebuilt })}\n`);
    } else {
      io.out(`AWS ranges in use: ${source} copy as of ${info.date} (syncToken ${info.syncToken}, ${info.prefixes} prefixes)\n  ${printable(info.path)}\n`);
      if (source === 'shipped') io.out(`  refresh when online: trailmark ip-ranges --refresh (fetches ${AWS_RANGES_URL})\n`);
      if (rebuilt !== null) io.out(`Looked up ${rebuilt} address(es) of the case again.\n`);
    }
    return 0;
  },
};
