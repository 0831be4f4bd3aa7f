// Shared by the AWS tests: a fresh case path, the pull with the real importer, and what landed in the case.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CustodyRow, EvidenceRow } from '../../../shared/api';
import { pullToCase, type PullRequest, type PullSummary } from '../../../main/aws/pull';
import { listCustody } from '../../../main/case/custody';
import { openReadable } from '../../../main/case/db';
import { listEvidence } from '../../../main/case/evidence';
import { caseInfo } from '../../../main/case/meta';
import { importPaths } from '../../../main/import/run-import';
import { after, before } from 'node:test';
import { PROFILE, useStandin } from '../../support/aws-standin/env';
import { startStandin, type Standin } from '../../support/aws-standin/server';

export function newCasePath(): string {
  return join(mkdtempSync(join(tmpdir(), 'trailmark-pull-')), 'case.sqlite');
}

export const fast = { maxAttempts: 5, callsPerSecond: 200 };

export function pull(casePath: string, req: Omit<PullRequest, 'profile'> & { profile?: string }, messages: string[] = []): Promise<PullSummary> {
  return pullToCase(casePath, { profile: PROFILE, examiner: 'J. Examiner', ...req }, {
    access: fast,
    onMessage: (m) => messages.push(m),
    importer: (paths, origins, examiner) => importPaths(casePath, paths, { examiner: examiner ?? undefined, origin: (p) => origins[p] }),
  });
}

export function inCase(casePath: string): { evidence: EvidenceRow[]; events: number; custody: CustodyRow[] } {
  const db = openReadable(casePath);
  try {
    return { evidence: listEvidence(db), events: caseInfo(db, casePath).events, custody: listCustody(db) };
  } finally {
    db.close();
  }
}

/** Starts the AWS stand-in for the enclosing suite with the SDK pointed at it, and stops it after. */
export function standinForSuite(started: (standin: Standin) => void): void {
  let standin: Standin;
  let restore: () => void;
  before(async () => {
    standin = await startStandin();
    restore = useStandin(standin.url);
    started(standin);
  });
  after(async () => {
    restore();
    await standin.close();
  });
}
