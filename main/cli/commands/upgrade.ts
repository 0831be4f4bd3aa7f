// `trailmark upgrade`: the one command that brings a case up to this version — its schema migrated
// and its derived figures (downloads, summaries) brought up to date — as an explicit step logged in
// its custody. Reading commands never do it. --out upgrades a copy and leaves the original untouched
// (for a case on read-only media, or kept as delivered).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { updateAnalysis } from '../../case/analysis-update';
import { appendCustody } from '../../case/custody';
import { schemaVersionOf, SCHEMA_VERSION } from '../../case/db';
import { analysisStaleness } from '../../case/freshness';
import { openCase } from '../../case/open';
import { recordUpgradeCopy, upgradeCopy } from '../../case/upgrade';
import { TOOL_VERSION } from '../../version';
import { caseOption, requireExistingCase, str, UsageError, type Command } from '../kit';
import { printable } from '../output';

export const upgradeCommand: Command = {
  summary: 'bring a case up to this version: schema and derived figures (logged in its custody)',
  usage: 'trailmark upgrade --case CASE.sqlite [--out COPY.sqlite] [--examiner NAME]',
  help: 'Writes the case (or, with --out, a copy of it); nothing else ever upgrades a case. Exit status 0 also when it was already current.',
  options: { ...caseOption, out: { type: 'string' }, examiner: { type: 'string' } },
  async run(values, _p, io) {
    const source = requireExistingCase(values);
    const out = str(values.out);
    if (out && existsSync(out)) throw new UsageError(`${out} exists: --out takes a new file`);
    const target = out ? resolve(out) : source;
    const before = schemaVersionOf(source);
    if (before === 0) throw new UsageError(`${source} is not a Trailmark case file`);
    // The same copy and migration as the app's "Upgrade a copy…" (case/upgrade.ts).
    const examiner = str(values.examiner) ?? null;
    const upgrade = (): string[] => {
      const db = openCase(target, { examiner, create: false, upgrade: true }); // migrates (logging the upgrade in custody) and puts an interruption right
      try {
        const stale = analysisStaleness(db);
        updateAnalysis(db);
        if (out) recordUpgradeCopy(db, source, before, examiner);
        if (stale) appendCustody(db, 'refresh', { reason: stale, tool: TOOL_VERSION }, examiner);
        return [before < SCHEMA_VERSION ? `schema ${before} → ${SCHEMA_VERSION}` : null, stale ? `derived figures brought up to date (${stale})` : null].filter((d) => d !== null);
      } finally {
        db.close();
      }
    };
    const did = out ? await upgradeCopy(source, target, upgrade) : upgrade();
    io.out(`${printable(target)}: ${did.length ? did.join('; ') : `already current (schema ${SCHEMA_VERSION})`}\n`);
    return 0;
  },
};
