// `trailmark sample --out DIR`: writes the generated sample evidence (a backup bucket left public).
import { existsSync, readdirSync } from 'node:fs';
import { writeSample } from '../../sample/write';
import { UsageError, type Command } from '../kit';

export const sampleCommand: Command = {
  summary: 'write generated sample evidence: a backup bucket left public (invented data, deterministic)',
  usage: 'trailmark sample --out DIR [--seed N]',
  options: { out: { type: 'string' }, seed: { type: 'string' } },
  async run(values, _p, io) {
    const out = values.out;
    if (typeof out !== 'string' || !out) throw new UsageError('--out DIR is required');
    if (existsSync(out) && readdirSync(out).length) throw new UsageError(`${out} is not empty: choose a new folder`);
    const seed = values.seed === undefined ? undefined : Number(values.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
    const s = writeSample(out, seed);
    io.out(`Wrote ${s.files.length} evidence files to ${out}: ${s.cloudTrailRecords} CloudTrail records, ${s.accessLogLines} access-log lines, a listing of ${s.listingObjects} objects.\n`
      + `Import them with: trailmark import --case sample.trailmark ${out}\n`);
    return 0;
  },
};
