// Athena over log buckets too big to download: create (or reuse) the AWS-documented table, run the
// investigator's query in Athena, page the results into evidence files with the query text and the
// execution ID as provenance. Execution ID and NextToken are checkpointed like Lake's.
import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, GetTableMetadataCommand, StartQueryExecutionCommand,
  type QueryExecution, type TableMetadata,
} from '@aws-sdk/client-athena';
import { join } from 'node:path';
import { clientConfig } from './access';
import { athenaQuery, createTableSql, type AthenaFilter, type AthenaTableKind } from './athena-sql';
import { acquisitionOfPages, baseOrigin, type Acquisition, type PullContext } from './context';
import { AwsPullError, explainAwsError } from './errors';
import { pollUntil } from './poll';
import { checkIdentifier } from './query-values';
import { arrayDocument, openRun, writeFileAtomic, type RunState } from './store';

export interface AthenaParams extends AthenaFilter {
  /** `database.table`. */
  table: string;
  workgroup?: string;
  /** s3:// folder for Athena's result files, when the workgroup does not set one. */
  outputLocation?: string;
  /** Create the table when it does not exist: which logs, and where they are. */
  create?: { kind: AthenaTableKind; location: string };
  pollIntervalMs?: number;
}

interface PageRecord { file: string; page: number; rows: number; fetchedAt: string }

interface AthenaState extends RunState {
  query: string;
  executionId: string | null;
  done: boolean;
  nextToken: string | null;
  columns: string[] | null;
  /** Result pages fetched (empty ones included), for the next page's number. */
  fetched: number;
}

export function splitTable(name: string): { db: string; table: string } {
  const m = /^([^.]+)\.([^.]+)$/.exec(name);
  if (!m) throw new Error(`--athena takes DATABASE.TABLE, not "${name}"`);
  return { db: checkIdentifier('Athena database', m[1]).toLowerCase(), table: checkIdentifier('Athena table', m[2]).toLowerCase() };
}

/** Which documented table this is, from its columns. */
export function tableKind(meta: TableMetadata): AthenaTableKind {
  const cols = new Set((meta.Columns ?? []).map((c) => c.Name?.toLowerCase()));
  if (cols.has('requestdatetime') && cols.has('operation')) return 'access-log';
  if (cols.has('eventtime') && cols.has('eventname')) return 'cloudtrail';
  throw new AwsPullError(`Athena table ${meta.Name} is neither the documented S3 access-log table nor the CloudTrail table (columns: ${[...cols].join(', ')})`, 'UnknownTable');
}

export async function pullAthena(ctx: PullContext, p: AthenaParams): Promise<Acquisition> {
  const { db, table } = splitTable(p.table);
  const client = new AthenaClient(clientConfig(ctx.access, ctx.region));
  const resultConfig = p.outputLocation ? { OutputLocation: p.outputLocation } : undefined;
  let step = 'GetTableMetadata';
  const runDdl = async (sql: string): Promise<QueryExecution> => {
    const started = await client.send(new StartQueryExecutionCommand({ QueryString: sql, QueryExecutionContext: { Database: db }, WorkGroup: p.workgroup, ResultConfiguration: resultConfig }), { abortSignal: ctx.signal });
    return waitFor(started.QueryExecutionId!);
  };
  const waitFor = (id: string) => pollUntil(async () => {
    const out = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal: ctx.signal });
    const state = out.QueryExecution?.Status?.State ?? '';
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new AwsPullError(`Athena query ${id} ${state}: ${out.QueryExecution?.Status?.StateChangeReason ?? out.QueryExecution?.Status?.AthenaError?.ErrorMessage ?? 'no reason given'}. Nothing was imported.`, state);
    }
    return { done: state === 'SUCCEEDED', value: out.QueryExecution! };
  }, { intervalMs: p.pollIntervalMs, signal: ctx.signal, onWait: (n) => { if (n % 5 === 0) ctx.progress(`Athena: query ${id} still running`); } });

  try {
    let kind: AthenaTableKind;
    let partitioned: boolean;
    try {
      const meta = await client.send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: db, TableName: table }), { abortSignal: ctx.signal });
      kind = tableKind(meta.TableMetadata!);
      partitioned = (meta.TableMetadata!.PartitionKeys ?? []).some((k) => k.Name === 'timestamp');
      ctx.progress(`Athena: reusing ${db}.${table} (${kind}${partitioned ? ', partitioned by day' : ''})`);
    } catch (err) {
      if ((err as { name?: string }).name !== 'MetadataException' && (err as { name?: string }).name !== 'EntityNotFoundException') throw err;
      if (!p.create) throw new AwsPullError(`Athena table ${db}.${table} does not exist; give its kind and log location to create it (--athena-create access-log|cloudtrail --athena-location s3://…)`, 'NoSuchTable');
      step = 'CREATE EXTERNAL TABLE';
      const ddl = createTableSql(p.create.kind, db, table, p.create.location, new Date(Math.min(p.from.getTime(), Date.now() - 400 * 86400_000)));
      await runDdl(ddl);
      kind = p.create.kind;
      partitioned = ddl.includes('PARTITIONED BY');
      ctx.progress(`Athena: created ${db}.${table} over ${p.create.location}`);
    }
    step = 'query';
    const query = athenaQuery(kind, db, table, partitioned, p);
    const run = await openRun<AthenaState, PageRecord>(join(ctx.evidenceDir, 'aws', 'athena'), { account: ctx.identity.account, region: ctx.region, workgroup: p.workgroup ?? null, query }, () => ({
      complete: false, startedAt: new Date().toISOString(), query, executionId: null, done: false, nextToken: null, columns: null, fetched: 0,
    }));
    const st = run.state;
    if (!st.executionId) {
      const started = await client.send(new StartQueryExecutionCommand({ QueryString: query, QueryExecutionContext: { Database: db }, WorkGroup: p.workgroup, ResultConfiguration: resultConfig }), { abortSignal: ctx.signal });
      st.executionId = started.QueryExecutionId ?? null;
      await run.save();
      ctx.progress(`Athena: query ${st.executionId} started`);
    } else {
      ctx.progress(`Athena: resuming query ${st.executionId} after ${run.pages.length} result pages`);
    }
    if (!st.done) {
      try {
        const ex = await waitFor(st.executionId!);
        ctx.progress(`Athena: query ${st.executionId} succeeded, ${ex.Statistics?.DataScannedInBytes ?? '?'} bytes scanned`);
      } catch (err) {
        if (err instanceof AwsPullError) { st.complete = true; await run.save(); }
        throw err;
      }
      st.done = true;
      await run.save();
    }
    do {
      const out = await client.send(new GetQueryResultsCommand({ QueryExecutionId: st.executionId!, NextToken: st.nextToken ?? undefined, MaxResults: 1000 }), { abortSignal: ctx.signal });
      st.columns ??= (out.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
      const columns = st.columns;
      let rows = (out.ResultSet?.Rows ?? []).map((r) => Object.fromEntries(columns.map((c, i) => [c, r.Data?.[i]?.VarCharValue ?? null])));
      // The first page of a SELECT's results starts with the header row.
      if (!st.nextToken && rows.length && columns.every((c) => rows[0][c] === c)) rows = rows.slice(1);
      const page = st.fetched + 1;
      if (rows.length) {
        const file = `page-${String(page).padStart(5, '0')}.json`;
        await writeFileAtomic(join(run.dir, file), arrayDocument('AthenaRows', rows, { QueryExecutionId: st.executionId, TableKind: kind, Columns: columns }));
        await run.addPage({ file, page, rows: rows.length, fetchedAt: new Date().toISOString() });
      }
      st.fetched = page;
      st.nextToken = out.NextToken ?? null;
      await run.save();
      ctx.progress(`Athena: result page ${page}, ${rows.length} rows`);
    } while (st.nextToken);
    st.complete = true;
    await run.save();
    return acquisitionOfPages(run, (pg) => pg.rows, (pg) => ({
      displayPath: `aws:athena:${db}.${table}/${st.executionId}/${pg.file}`,
      origin: {
        ...baseOrigin(ctx, 'athena:StartQueryExecution+GetQueryResults', ctx.region, { Database: db, Table: table, TableKind: kind, WorkGroup: p.workgroup ?? null, QueryString: query }),
        queryExecutionId: st.executionId, page: pg.page, fetchedAt: pg.fetchedAt, run: run.dir,
      },
    }));
  } catch (err) {
    throw explainAwsError(err, `Athena ${step} on ${db}.${table} in ${ctx.region}`, ctx.access.profile, true);
  } finally {
    client.destroy();
  }
}
