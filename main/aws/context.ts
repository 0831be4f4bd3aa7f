// What every acquisition receives, and what it hands back for import.
import { join } from 'node:path';
import type { AwsAccess } from './access';
import type { CallerIdentity } from './identity';

export interface PullContext {
  access: AwsAccess;
  /** The region calls go to unless a pull names its own. */
  region: string;
  /** The case's evidence folder; pulls write under it. */
  evidenceDir: string;
  identity: CallerIdentity;
  examiner: string | null;
  signal?: AbortSignal;
  /** One line of human progress (the CLI prints it on stderr). */
  progress: (message: string) => void;
}

/** A file acquired from AWS, with the provenance the evidence row will carry. */
export interface AcquiredFile {
  path: string;
  /** Stored as evidence.path: the API call or s3:// URI rather than the local copy's path. */
  displayPath: string;
  origin: Record<string, unknown>;
  meta?: Record<string, unknown>;
}

/** A file kept beside the evidence that holds no events (listings, public keys). */
export interface KeptFile { path: string; what: string; sha256: string; bytes: number }

export interface Acquisition {
  files: AcquiredFile[];
  kept: KeptFile[];
  /** Records received from AWS (events, rows, objects). */
  records: number;
  resumed: boolean;
}

/** The acquisition of an API pull whose pages were written as files of one run: every page becomes a file of evidence. */
export function acquisitionOfPages<P extends { file: string }>(
  run: { dir: string; resumed: boolean; pages: P[] }, records: (page: P) => number,
  describe: (page: P) => { displayPath: string; origin: Record<string, unknown> },
): Acquisition {
  return {
    resumed: run.resumed,
    records: run.pages.reduce((n, pg) => n + records(pg), 0),
    kept: [],
    files: run.pages.map((pg) => ({ path: join(run.dir, pg.file), ...describe(pg) })),
  };
}

/** The provenance common to every file of a pull. */
export function baseOrigin(ctx: PullContext, api: string, region: string | null, parameters: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'aws', api, region, parameters,
    accountId: ctx.identity.account, principal: ctx.identity.arn,
    profile: ctx.access.profile ?? null, examiner: ctx.examiner,
  };
}
