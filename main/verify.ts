// `trailmark verify`: the command line around main/integrity/verify-case.ts, which holds every check.
// Exit status: 0 verified, 1 discrepancies, 2 usage error or unreadable case, 3 nothing wrong found but
// something could not be checked.
import { parseArgs } from 'node:util';
import { printable } from '../shared/printable';
import { formatVerifyReport, verifyCase, type VerifyReport } from './integrity/verify-case';

export { runIntegrityValidation, validateCaseIntegrity, verifyCase, formatVerifyReport, type IntegrityOptions, type VerifyReport } from './integrity/verify-case';

export const VERIFY_USAGE = 'trailmark verify --case CASE.sqlite [--evidence DIR] [--keys KEYS.json] [--report REPORT-ID|DIGEST] [--json]';
export const VERIFY_SUMMARY = 'check a case against its evidence: file hashes, custody log, stored events, CloudTrail digests, every answer re-derived from the raw records; with --report, whether a report or export still matches';
export const VERIFY_OPTIONS = {
  case: { type: 'string' }, evidence: { type: 'string' }, keys: { type: 'string' }, report: { type: 'string' }, json: { type: 'boolean' },
} as const;
/** 2 is what the CLI answers to any usage error, so it means the same here. */
export const EXIT = { verified: 0, failed: 1, usage: 2, incomplete: 3 } as const;

export interface VerifyIo { out: (s: string) => void; err: (s: string) => void }

/** The command once its options are parsed (by main/cli.ts, or by verifyCommand). */
export async function runVerify(values: Record<string, unknown>, io: VerifyIo): Promise<number> {
  const str = (k: string) => (typeof values[k] === 'string' && values[k] ? (values[k] as string) : undefined);
  const casePath = str('case');
  if (!casePath) {
    io.err(`trailmark verify: --case CASE.sqlite is required\nusage: ${VERIFY_USAGE}\n`);
    return EXIT.usage;
  }
  let report: VerifyReport;
  try {
    report = await verifyCase(casePath, { evidenceDir: str('evidence'), keysPath: str('keys'), report: str('report') });
  } catch (e) {
    io.err(`trailmark verify: ${printable((e as Error).message)}\n`);
    return EXIT.usage;
  }
  io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatVerifyReport(report));
  return EXIT[report.verdict];
}

/** The command from raw arguments: returns the exit status. */
export async function verifyCommand(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, allowPositionals: false, strict: true, options: VERIFY_OPTIONS }));
  } catch (e) {
    err(`trailmark verify: ${(e as Error).message}\nusage: ${VERIFY_USAGE}\n`);
    return EXIT.usage;
  }
  return runVerify(values, { out, err });
}
