// Management events through CloudTrail LookupEvents: every page of every (region, attribute), paced
// by a client-side limiter (the API allows about 2 calls per second per region) on top of the SDK's
// retry with backoff, each page written as `aws cloudtrail lookup-events` output and checkpointed with
// the NextToken that follows it, so an interrupted pull continues at the page it stopped on.
import { CloudTrailClient, LookupEventsCommand, type LookupAttributeKey, type Event as CtEvent } from '@aws-sdk/client-cloudtrail';
import { basename, join, sep } from 'node:path';
import { clientConfig } from './access';
import { acquisitionOfPages, baseOrigin, type Acquisition, type PullContext } from './context';
import { explainAwsError } from './errors';
import { RateLimiters } from './limiter';
import { arrayDocument, openRun, writeFileAtomic, type RunState } from './store';

export const LOOKUP_ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
export const LOOKUP_RETENTION_DAYS = 90;

export interface LookupParams {
  from: Date;
  to: Date;
  regions: string[];
  /** LookupEvents takes one attribute per call: several attributes are several lookups (their union). */
  attributes: { key: (typeof LOOKUP_ATTRIBUTE_KEYS)[number]; value: string }[];
}

interface Part { region: string; attribute: { key: string; value: string } | null; nextToken: string | null; pages: number; done: boolean }
interface PageRecord { file: string; region: string; attribute: { key: string; value: string } | null; page: number; events: number; fetchedAt: string; nextTokenIn: string | null }
interface LookupState extends RunState { parts: Part[] }

export function checkLookupParams(p: LookupParams, now = new Date()): void {
  if (!(p.from < p.to)) throw new Error('LookupEvents: --from must be before --to');
  const oldest = new Date(now.getTime() - LOOKUP_RETENTION_DAYS * 86400_000);
  if (p.from < oldest) {
    throw new Error(`LookupEvents only reaches back ${LOOKUP_RETENTION_DAYS} days (to ${oldest.toISOString()}); for older events use --lake, --athena or --logs`);
  }
  if (!p.regions.length) throw new Error('LookupEvents: no region');
  for (const a of p.attributes) {
    if (!(LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(a.key)) throw new Error(`LookupEvents: unknown lookup attribute ${a.key} (one of ${LOOKUP_ATTRIBUTE_KEYS.join(', ')})`);
    if (!a.value || a.value.length > 2000) throw new Error(`LookupEvents: the value of ${a.key} must be 1 to 2000 characters`);
  }
}

/** The SDK's Event, as the AWS CLI prints it: EventTime in ISO form. */
function cliShape(e: CtEvent): Record<string, unknown> {
  return { ...e, EventTime: e.EventTime ? e.EventTime.toISOString() : undefined };
}

export async function pullLookupEvents(ctx: PullContext, p: LookupParams): Promise<Acquisition> {
  checkLookupParams(p);
  const parameters = { StartTime: p.from.toISOString(), EndTime: p.to.toISOString(), regions: [...p.regions].sort(), attributes: p.attributes };
  const run = await openRun<LookupState, PageRecord>(join(ctx.evidenceDir, 'aws', 'lookup-events'), { account: ctx.identity.account, ...parameters }, () => ({
    complete: false, startedAt: new Date().toISOString(),
    parts: p.regions.flatMap((region) => (p.attributes.length ? p.attributes : [null]).map((attribute) => ({ region, attribute, nextToken: null, pages: 0, done: false }))),
  }));
  if (run.resumed) ctx.progress(`LookupEvents: resuming ${run.dir} (${run.pages.length} pages already fetched)`);
  const limiters = new RateLimiters(ctx.access.callsPerSecond ?? 2);
  let saving = Promise.resolve();
  const save = () => (saving = saving.then(() => run.save()));

  const pullPart = async (part: Part) => {
    const client = new CloudTrailClient(clientConfig(ctx.access, part.region));
    const label = `${part.region}${part.attribute ? ` ${part.attribute.key}=${part.attribute.value}` : ''}`;
    let restarted = false;
    try {
      while (!part.done) {
        await limiters.for(part.region).take(ctx.signal);
        const input = {
          StartTime: p.from, EndTime: p.to, MaxResults: 50, NextToken: part.nextToken ?? undefined,
          LookupAttributes: part.attribute ? [{ AttributeKey: part.attribute.key as LookupAttributeKey, AttributeValue: part.attribute.value }] : undefined,
        };
        let out;
        try {
          out = await client.send(new LookupEventsCommand(input), { abortSignal: ctx.signal });
        } catch (err) {
          // NextTokens do not live for ever: a checkpoint from long ago starts its lookup over (the pages
          // already fetched stay, and the import keeps each event once).
          if ((err as { name?: string }).name === 'InvalidNextTokenException' && part.nextToken && run.resumed && !restarted) {
            restarted = true;
            ctx.progress(`LookupEvents ${label}: the checkpointed NextToken has expired; fetching this lookup again from its first page`);
            part.nextToken = null;
            continue;
          }
          throw explainAwsError(err, `CloudTrail LookupEvents in ${label}, page ${part.pages + 1}`, ctx.access.profile, true);
        }
        const events = out.Events ?? [];
        const page = part.pages + 1;
        if (events.length) {
          const attr = part.attribute ? `-${part.attribute.key}-${part.attribute.value.replace(/[^\w.-]+/g, '_').slice(0, 60)}` : '';
          const file = join(part.region + attr, `page-${String(page).padStart(5, '0')}.json`);
          await writeFileAtomic(join(run.dir, file), arrayDocument('Events', events.map(cliShape)));
          await run.addPage({ file, region: part.region, attribute: part.attribute, page, events: events.length, fetchedAt: new Date().toISOString(), nextTokenIn: part.nextToken });
        }
        part.pages = page;
        part.nextToken = out.NextToken ?? null;
        part.done = !out.NextToken;
        await save();
        ctx.progress(`LookupEvents ${label}: page ${page}, ${events.length} events${part.done ? ' (last page)' : ''}`);
      }
    } finally {
      client.destroy();
    }
  };

  // Regions run side by side (each has its own limit); the parts of one region take turns.
  const byRegion = new Map<string, Part[]>();
  for (const part of run.state.parts) byRegion.set(part.region, [...(byRegion.get(part.region) ?? []), part]);
  const results = await Promise.allSettled([...byRegion.values()].map(async (parts) => { for (const part of parts) await pullPart(part); }));
  await saving;
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;

  run.state.complete = true;
  await run.save();
  return acquisitionOfPages(run, (pg) => pg.events, (pg) => ({
    displayPath: `aws:cloudtrail:LookupEvents/${ctx.identity.account}/${basename(run.dir)}/${pg.file.split(sep).join('/')}`,
    origin: {
      ...baseOrigin(ctx, 'cloudtrail:LookupEvents', pg.region, {
        StartTime: parameters.StartTime, EndTime: parameters.EndTime,
        LookupAttributes: pg.attribute ? [{ AttributeKey: pg.attribute.key, AttributeValue: pg.attribute.value }] : [],
      }),
      page: pg.page, nextTokenIn: pg.nextTokenIn, fetchedAt: pg.fetchedAt, run: run.dir,
    },
  }));
}
