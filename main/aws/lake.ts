// CloudTrail Lake: the investigator's filters become one query (lake-sql.ts) run by AWS over the event
// data store, so only matching events come to the laptop. The query ID and the NextToken after each
// result page are checkpointed: an interrupted pull pages on from the same query instead of paying for
// a new one.
import {
  CloudTrailClient, DescribeQueryCommand, GetQueryResultsCommand, ListEventDataStoresCommand, StartQueryCommand, type EventDataStore,
} from '@aws-sdk/client-cloudtrail';
import { join } from 'node:path';
import { clientConfig } from './access';
import { acquisitionOfPages, baseOrigin, type Acquisition, type PullContext } from './context';
import { AwsPullError, explainAwsError } from './errors';
import { lakeQuery, type LakeFilter } from './lake-sql';
import { pollUntil } from './poll';
import { arrayDocument, openRun, writeFileAtomic, type RunState } from './store';

export interface LakeParams extends LakeFilter {
  /** Event data store: ARN, ID or name. */
  eventDataStore: string;
  pollIntervalMs?: number;
}

interface PageRecord { file: string; page: number; rows: number; fetchedAt: string }

interface LakeState extends RunState {
  eventDataStoreArn: string;
  query: string;
  queryId: string | null;
  status: string | null;
  nextToken: string | null;
  /** Result pages fetched (empty ones included), for the next page's number. */
  fetched: number;
  failed?: string;
}

async function findEventDataStore(client: CloudTrailClient, wanted: string, signal?: AbortSignal): Promise<EventDataStore> {
  const stores: EventDataStore[] = [];
  let token: string | undefined;
  do {
    const out = await client.send(new ListEventDataStoresCommand({ NextToken: token }), { abortSignal: signal });
    stores.push(...(out.EventDataStores ?? []));
    token = out.NextToken;
  } while (token);
  const hit = stores.find((s) => s.EventDataStoreArn === wanted || s.EventDataStoreArn?.split('/').pop() === wanted || s.Name === wanted);
  if (!hit) {
    const known = stores.map((s) => `${s.Name} (${s.EventDataStoreArn?.split('/').pop()})`).join(', ') || 'none';
    throw new AwsPullError(`CloudTrail Lake: no event data store "${wanted}" in this account and region; found: ${known}`, 'EventDataStoreNotFound');
  }
  return hit;
}

export async function pullLake(ctx: PullContext, p: LakeParams): Promise<Acquisition> {
  const client = new CloudTrailClient(clientConfig(ctx.access, ctx.region));
  const what = (s: string) => `CloudTrail Lake ${s} in ${ctx.region}`;
  try {
    let eds: EventDataStore;
    try {
      eds = await findEventDataStore(client, p.eventDataStore, ctx.signal);
    } catch (err) {
      throw explainAwsError(err, what('ListEventDataStores'), ctx.access.profile, false);
    }
    const arn = eds.EventDataStoreArn!;
    const query = lakeQuery(arn.split('/').pop()!, p);
    const run = await openRun<LakeState, PageRecord>(join(ctx.evidenceDir, 'aws', 'lake'), { account: ctx.identity.account, region: ctx.region, arn, query }, () => ({
      complete: false, startedAt: new Date().toISOString(), eventDataStoreArn: arn, query, queryId: null, status: null, nextToken: null, fetched: 0,
    }));
    const st = run.state;
    if (run.resumed && st.queryId) ctx.progress(`Lake: resuming query ${st.queryId} after ${run.pages.length} result pages`);
    const fetchAll = async () => {
      if (!st.queryId) {
        const started = await client.send(new StartQueryCommand({ QueryStatement: query }), { abortSignal: ctx.signal });
        st.queryId = started.QueryId ?? null;
        await run.save();
        ctx.progress(`Lake: query ${st.queryId} started on ${eds.Name}`);
      }
      if (st.status !== 'FINISHED') {
        const d = await pollUntil(async () => {
          const out = await client.send(new DescribeQueryCommand({ QueryId: st.queryId!, EventDataStore: arn }), { abortSignal: ctx.signal });
          return { done: !['QUEUED', 'RUNNING'].includes(out.QueryStatus ?? ''), value: out };
        }, { intervalMs: p.pollIntervalMs, signal: ctx.signal, onWait: (n) => { if (n % 5 === 0) ctx.progress(`Lake: query ${st.queryId} still running`); } });
        st.status = d.QueryStatus ?? null;
        if (st.status !== 'FINISHED') {
          st.failed = d.ErrorMessage ?? st.status ?? 'unknown';
          st.complete = true; // a failed query is not resumed; the next pull starts a new one
          await run.save();
          throw new AwsPullError(`CloudTrail Lake query ${st.queryId} ended ${st.status}: ${d.ErrorMessage ?? 'no reason given'}. Nothing was imported.`, st.status);
        }
        await run.save();
        ctx.progress(`Lake: query ${st.queryId} finished, ${d.QueryStatistics?.EventsMatched ?? '?'} events matched, ${d.QueryStatistics?.BytesScanned ?? '?'} bytes scanned`);
      }
      do {
        const out = await client.send(new GetQueryResultsCommand({ QueryId: st.queryId!, NextToken: st.nextToken ?? undefined, MaxQueryResults: 1000 }), { abortSignal: ctx.signal });
        if (out.QueryStatus && out.QueryStatus !== 'FINISHED') throw new AwsPullError(`CloudTrail Lake query ${st.queryId} is ${out.QueryStatus}: ${out.ErrorMessage ?? ''}`, out.QueryStatus);
        const rows = out.QueryResultRows ?? [];
        const page = st.fetched + 1;
        if (rows.length) {
          const file = `page-${String(page).padStart(5, '0')}.json`;
          await writeFileAtomic(join(run.dir, file), arrayDocument('QueryResultRows', rows, { QueryId: st.queryId, EventDataStore: arn }));
          await run.addPage({ file, page, rows: rows.length, fetchedAt: new Date().toISOString() });
        }
        st.fetched = page;
        st.nextToken = out.NextToken ?? null;
        await run.save();
        ctx.progress(`Lake: result page ${page}, ${rows.length} rows`);
      } while (st.nextToken);
    };
    try {
      try {
        await fetchAll();
      } catch (err) {
        // Lake keeps results for a limited time: a checkpointed query it no longer knows is run again.
        if ((err as { name?: string }).name !== 'QueryIdNotFoundException' || !run.resumed) throw err;
        ctx.progress(`Lake: query ${st.queryId} is no longer available; running the query again`);
        Object.assign(st, { queryId: null, status: null, nextToken: null });
        await fetchAll();
      }
    } catch (err) {
      throw explainAwsError(err, what(`query ${st.queryId ?? '(not started)'}`), ctx.access.profile, true);
    }
    st.complete = true;
    await run.save();
    return acquisitionOfPages(run, (pg) => pg.rows, (pg) => ({
      displayPath: `aws:cloudtrail:Lake/${ctx.identity.account}/${ctx.region}/${st.queryId}/${pg.file}`,
      origin: { ...baseOrigin(ctx, 'cloudtrail:StartQuery+GetQueryResults', ctx.region, { EventDataStore: arn, QueryStatement: query, from: p.from.toISOString(), to: p.to.toISOString() }), queryId: st.queryId, page: pg.page, fetchedAt: pg.fetchedAt, run: run.dir },
    }));
  } finally {
    client.destroy();
  }
}
