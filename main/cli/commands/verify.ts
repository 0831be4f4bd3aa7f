// `trailmark verify`: the checks live with the integrity code (main/verify.ts); this is their face.
import { runVerify, VERIFY_OPTIONS, VERIFY_SUMMARY, VERIFY_USAGE } from '../../verify';
import type { Command } from '../kit';

export const verifyCommand: Command = {
  summary: VERIFY_SUMMARY,
  usage: VERIFY_USAGE,
  help: 'Opens the case read-only. Exit status: 0 verified, 1 discrepancies found, 2 usage error or unreadable case, 3 nothing wrong found but something could not be checked.',
  options: VERIFY_OPTIONS,
  run: (values, _p, io) => runVerify(values, io),
};
