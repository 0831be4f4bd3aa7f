// `trailmark pull`: evidence straight from an AWS account into a case, with progress on stderr and a
// summary on stdout, through the case service as the app pulls. Credentials come from the standard chain by profile name and are never stored.
import type { ImportProgress } from '../../../shared/api';
import type { PullRequest, PullSource, PullSummary } from '../../aws/pull';
import { LOOKUP_ATTRIBUTE_KEYS, type LookupParams } from '../../aws/lookup';
import { CaseService } from '../../service';
import { isoOption, list, openOrCreateCase, requireCase, UsageError, type CliIo, type Command } from '../kit';
import { printable, summaryText } from '../output';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function sourceFrom(values: Record<string, unknown>): PullSource {
  const chosen = ['lookup', 'lake', 'athena', 'logs', 'listing'].filter((k) => values[k] !== undefined && values[k] !== false);
  if (chosen.length !== 1) throw new UsageError('choose exactly one of --lookup, --lake EDS, --athena DB.TABLE, --logs s3://bucket/prefix, --listing s3://bucket/prefix');
  const filters = { bucket: str(values.bucket), keyPrefix: str(values['key-prefix']) };
  switch (chosen[0]) {
    case 'lookup': {
      const attributes = list(values.attribute).map((a) => {
        const i = a.indexOf('=');
        const key = a.slice(0, i);
        if (i < 1 || !(LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key)) throw new UsageError(`--attribute takes KEY=VALUE with KEY one of ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}`);
        return { key, value: a.slice(i + 1) } as LookupParams['attributes'][number];
      });
      return { type: 'lookup', attributes };
    }
    case 'lake': return { type: 'lake', eventDataStore: String(values.lake), ...filters, eventNames: list(values['event-name']) };
    case 'athena': {
      const kind = str(values['athena-create']);
      if (kind && kind !== 'access-log' && kind !== 'cloudtrail') throw new UsageError('--athena-create takes access-log or cloudtrail');
      if (kind && !str(values['athena-location'])) throw new UsageError('--athena-create needs --athena-location s3://bucket/prefix/ (where the logs are)');
      return {
        type: 'athena', table: String(values.athena), ...filters,
        operations: [...list(values.operation), ...list(values['event-name'])],
        workgroup: str(values.workgroup), outputLocation: str(values['athena-output']),
        create: kind ? { kind: kind as 'access-log' | 'cloudtrail', location: String(values['athena-location']) } : undefined,
      };
    }
    case 'logs': {
      const c = str(values.concurrency);
      if (c !== undefined && !/^[1-9]\d?$/.test(c)) throw new UsageError('--concurrency takes 1 to 99');
      return { type: 'logs', uri: String(values.logs), concurrency: c ? Number(c) : undefined };
    }
    default: return { type: 'listing', uri: String(values.listing) };
  }
}

function iso(values: Record<string, unknown>, name: string, required: boolean): string {
  const v = isoOption(values, name);
  if (v !== undefined) return v;
  if (required) throw new UsageError(`--${name} ISO is required`);
  return new Date().toISOString();
}

export function pullText(s: PullSummary): string {
  const lines = [
    `Pulled ${s.api} from account ${s.account} (${printable(s.principal)}), region ${s.region}: ${s.records} record(s) in ${s.files} file(s)${s.resumed ? ', continuing an earlier pull' : ''}.`,
    `Evidence folder: ${printable(s.evidenceDir)}`,
  ];
  for (const k of s.kept) lines.push(`Kept: ${printable(k.what)}: ${printable(k.path)} (SHA-256 ${k.sha256})`);
  return `${lines.join('\n')}\n${s.import ? summaryText(s.import) : 'Nothing to import.\n'}`;
}

export async function runPullCommand(values: Record<string, unknown>, io: CliIo): Promise<number> {
  // The SDK's notice that its releases after January 2027 need Node 22 says nothing about this pull (the lock
  // file pins the SDK); on every run it would bury the progress lines. Set the variable to "false" to see it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const casePath = requireCase(values);
  const source = sourceFrom(values);
  const regions = list(values.region);
  const req: PullRequest = {
    profile: str(values.profile), region: regions[0], regions, examiner: str(values.examiner),
    from: iso(values, 'from', source.type !== 'listing'), to: iso(values, 'to', false), source,
  };
  // Through the case service, as the app pulls: acquisition and import run in the case worker.
  const service = new CaseService({ examiner: req.examiner });
  let pullJob: string | null = null;
  const off = service.onProgress((p: ImportProgress) => {
    if (!p.jobId.startsWith('aws-pull-')) return;
    pullJob = p.jobId;
    if (p.message) io.err(`${printable(p.message)}\n`);
  });
  const onSignal = () => { if (pullJob) void service.invoke('aws:cancel', { jobId: pullJob }); };
  process.once('SIGINT', onSignal);
  try {
    await openOrCreateCase(service, casePath, req.examiner);
    const summary = await service.invoke('aws:pull', req);
    io.out(values.json ? `${JSON.stringify(summary)}\n` : pullText(summary));
    const bad = summary.import?.files.filter((f) => f.status === 'failed' || f.status === 'cancelled').length ?? 0;
    return bad ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    off();
    await service.close();
  }
}

const s = { type: 'string' as const };
const many = { type: 'string' as const, multiple: true as const };

export const pullCommand: Command = {
  summary: 'pull evidence from AWS (CloudTrail LookupEvents or Lake, Athena, log buckets, a bucket listing) into a case',
  usage: 'trailmark pull --case CASE.sqlite [--profile P] (--lookup [--attribute K=V]... | --lake EDS | --athena DB.TABLE | --logs s3://bucket/prefix | --listing s3://bucket/prefix) --from ISO [--to ISO] [--region R]... [--bucket B] [--key-prefix P] [--event-name N]... [--operation OP]... [--workgroup W] [--athena-output s3://…] [--athena-create access-log|cloudtrail --athena-location s3://…] [--concurrency N] [--examiner NAME] [--json]',
  options: {
    case: s, profile: s, region: many, from: s, to: s, examiner: s, json: { type: 'boolean' },
    lookup: { type: 'boolean' }, attribute: many, lake: s, athena: s, logs: s, listing: s,
    bucket: s, 'key-prefix': s, 'event-name': many, operation: many,
    workgroup: s, 'athena-output': s, 'athena-create': s, 'athena-location': s, concurrency: s,
  },
  run: (values, _positionals, io) => runPullCommand(values, io),
};
