// A pull from AWS into a case: resolve region and identity (STS), acquire the files (lookup, Lake,
// Athena, log bucket or listing), then import them with their provenance. Acquisition and import
// are separate steps: if acquisition fails (expired credentials, a failed query) nothing is imported,
// and the files and checkpoints already on disk let the same pull continue where it stopped.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { AwsPullSummary, ImportProgress, ImportSummary } from '../../shared/api';
import { appendCustody } from '../case/custody';
import { openCaseForImport, type OriginInfo } from '../import/run-import';
import { evidenceStoreDir } from '../integrity/evidence-store';
import type { AwsAccess } from './access';
import { pullAthena, type AthenaParams } from './athena';
import type { Acquisition, PullContext } from './context';
import { callerIdentity, resolveRegion } from './identity';
import { pullLake, type LakeParams } from './lake';
import { pullListing } from './listing';
import { pullLogs, type LogsParams } from './logs';
import { pullLookupEvents, type LookupParams } from './lookup';

type Omit3<T> = Omit<T, 'from' | 'to' | 'regions'>;

export type PullSource =
  | ({ type: 'lookup' } & Partial<Pick<LookupParams, 'attributes'>>)
  | ({ type: 'lake' } & Omit3<LakeParams>)
  | ({ type: 'athena' } & Omit3<AthenaParams>)
  | ({ type: 'logs' } & Omit3<LogsParams>)
  | { type: 'listing'; uri: string };

export interface PullRequest {
  profile?: string;
  /** Region for the calls; default: the profile's. */
  region?: string;
  /** LookupEvents: several regions; log buckets: the CloudTrail region folders to take. */
  regions?: string[];
  from: string;
  to: string;
  examiner?: string;
  source: PullSource;
}

/** What a pull did; the same shape crosses IPC. */
export type PullSummary = AwsPullSummary;

export interface PullOptions {
  /** Settings that are not part of a request: retry and pacing, explicit credentials (tests). */
  access?: Omit<AwsAccess, 'profile' | 'region'>;
  evidenceDir?: string;
  signal?: AbortSignal;
  onMessage?: (message: string) => void;
  /** How to import the acquired files (the service uses its import worker). */
  importer: (paths: string[], origins: Record<string, OriginInfo>, examiner: string | null) => Promise<ImportSummary>;
  /** How the pull's custody entry is written; default: a connection of its own (the CLI). The case worker passes its own writer. */
  record?: (details: object, examiner: string | null) => void;
}

function time(name: string, v: string): Date {
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new Error(`--${name} must be an ISO 8601 time, e.g. 2026-03-01T00:00:00Z (got "${v}")`);
  return new Date(t);
}

async function acquire(ctx: PullContext, req: PullRequest, from: Date, to: Date): Promise<Acquisition> {
  const s = req.source;
  switch (s.type) {
    case 'lookup': return pullLookupEvents(ctx, { from, to, regions: req.regions?.length ? req.regions : [ctx.region], attributes: s.attributes ?? [] });
    case 'lake': return pullLake(ctx, { ...s, from, to });
    case 'athena': return pullAthena(ctx, { ...s, from, to });
    case 'logs': return pullLogs(ctx, { ...s, from, to, regions: req.regions?.length ? req.regions : null });
    case 'listing': {
      const l = await pullListing(ctx, s.uri);
      return { files: [l.file], kept: [], records: l.versions + l.deleteMarkers, resumed: false };
    }
  }
}

export async function pullToCase(casePath: string, req: PullRequest, opts: PullOptions): Promise<PullSummary> {
  const from = time('from', req.from);
  const to = time('to', req.to);
  const say = opts.onMessage ?? (() => undefined);
  const access: AwsAccess = { ...opts.access, profile: req.profile, region: req.region };
  const region = await resolveRegion(access);
  const identity = await callerIdentity(access, region, opts.signal);
  say(`AWS account ${identity.account} as ${identity.arn}, region ${region}`);
  const examiner = req.examiner ?? null;
  const ctx: PullContext = { access, region, evidenceDir: opts.evidenceDir ?? evidenceStoreDir(casePath), identity, examiner, signal: opts.signal, progress: say };
  const acq = await acquire(ctx, req, from, to);
  say(`acquired ${acq.files.length} file(s), ${acq.records} record(s)${acq.resumed ? ' (resumed or partly present already)' : ''}`);

  const origins: Record<string, OriginInfo> = {};
  // localPath: where verification finds the bytes again (main/integrity/locate.ts), since evidence.path is the S3 URI or API call.
  for (const f of acq.files) origins[f.path] = { origin: { ...f.origin, localPath: resolve(f.path) }, displayPath: f.displayPath, meta: f.meta };
  const summary = acq.files.length ? await opts.importer(acq.files.map((f) => f.path), origins, examiner) : null;

  const api = req.source.type;
  const details = {
    api, account: identity.account, principal: identity.arn, region, regions: req.regions ?? null, from: from.toISOString(), to: to.toISOString(),
    source: req.source, profile: req.profile ?? null, files: acq.files.length, records: acq.records, resumed: acq.resumed,
    events: summary?.events ?? 0, duplicates: summary?.duplicates ?? 0, rejected: summary?.rejected ?? 0,
    kept: acq.kept.map((k) => ({ path: k.path, what: k.what, sha256: k.sha256, bytes: k.bytes })),
  };
  if (opts.record) opts.record(details, examiner);
  else {
    const db = openCaseForImport(casePath, examiner);
    try {
      appendCustody(db, 'aws-pull', details, examiner);
    } finally {
      db.close();
    }
  }
  return { api, account: identity.account, principal: identity.arn, region, evidenceDir: ctx.evidenceDir, records: acq.records, files: acq.files.length, resumed: acq.resumed, kept: acq.kept, import: summary };
}

/** Progress for the app: acquisition messages ride on the import progress channel. */
export function messageProgress(jobId: string, message: string): ImportProgress {
  return { jobId, phase: 'scanning', filesTotal: 0, filesDone: 0, currentFile: null, events: 0, rejected: 0, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: null, message };
}

const running = new Map<string, AbortController>();

/** The service's `aws:pull`: acquisition messages go out as progress (their jobId is what `aws:cancel`
 *  takes), the import runs in the service's worker. */
export async function pullForService(casePath: string, req: PullRequest, emit: (p: ImportProgress) => void, how: Pick<PullOptions, 'importer' | 'record'>): Promise<PullSummary> {
  const jobId = `aws-pull-${randomUUID()}`;
  const abort = new AbortController();
  running.set(jobId, abort);
  try {
    emit(messageProgress(jobId, `pulling ${req.source.type} from AWS`));
    return await pullToCase(casePath, req, { ...how, signal: abort.signal, onMessage: (m) => emit(messageProgress(jobId, m)) });
  } catch (err) {
    // A cancel that lands while a request is in flight fails it with the SDK's AbortError, which the
    // error explanation would report as a failure: the user's cancel is what happened.
    if (abort.signal.aborted) throw abort.signal.reason;
    throw err;
  } finally {
    running.delete(jobId);
  }
}

/** Stops a running pull between two calls; what was fetched stays checkpointed for the next pull. */
export function cancelPull(jobId: string): boolean {
  const abort = running.get(jobId);
  abort?.abort(new Error('the pull was cancelled; run it again to continue where it stopped'));
  return abort !== undefined;
}
