// Athena's JSON 1.1 API: StartQueryExecution (DDL and SELECT), GetQueryExecution, GetQueryResults,
// GetTableMetadata.
import type { ServerResponse } from 'node:http';
import { sendJsonError, type LoggedRequest, type StandinState } from './server';

export interface AthenaExecution { id: string; sql: string; database?: string; output?: string; workgroup?: string; polls: number; columns: string[]; rows: (string | null)[][]; error?: string }

export interface AthenaState {
  /** Tables that exist, by `db.table`: their column and partition-key names. */
  tables: Map<string, { columns: string[]; partitionKeys: string[] }>;
  executions: Map<string, AthenaExecution>;
  /** What a SELECT returns; DDL statements succeed (and CREATE TABLE records the table). */
  answer: (sql: string) => { columns: string[]; rows: (string | null)[][]; error?: string };
  pageSize: number;
  pollsBeforeDone: number;
}

function send(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'standin' });
  res.end(JSON.stringify(body));
}

export function handleAthena(state: StandinState, r: LoggedRequest, res: ServerResponse): void {
  const a = state.athena;
  const j = r.json ?? {};
  switch (r.op) {
    case 'GetTableMetadata': {
      const name = `${j.DatabaseName}.${j.TableName}`;
      const t = a.tables.get(name);
      if (!t) return sendJsonError(res, 400, 'MetadataException', `Table ${j.TableName} not found in database ${j.DatabaseName}`);
      return send(res, { TableMetadata: { Name: j.TableName, TableType: 'EXTERNAL_TABLE', Columns: t.columns.map((c) => ({ Name: c, Type: 'string' })), PartitionKeys: t.partitionKeys.map((c) => ({ Name: c, Type: 'string' })) } });
    }
    case 'StartQueryExecution': {
      const sql = String(j.QueryString ?? '');
      const id = `ath-${a.executions.size + 1}`;
      const ctx = j.QueryExecutionContext as { Database?: string } | undefined;
      const exec: AthenaExecution = { id, sql, database: ctx?.Database, output: (j.ResultConfiguration as { OutputLocation?: string } | undefined)?.OutputLocation, workgroup: j.WorkGroup as string | undefined, polls: 0, columns: [], rows: [] };
      const create = /^CREATE EXTERNAL TABLE IF NOT EXISTS\s+`?(\w+)`?\.`?(\w+)`?/i.exec(sql);
      if (create) {
        // Top-level columns are the `name TYPE` lines of the DDL (struct members are `name: TYPE`).
        const body = sql.slice(sql.indexOf('(') + 1, sql.search(/\)\s*(PARTITIONED BY|ROW FORMAT)/));
        const columns = [...body.matchAll(/^\s*`?(\w+)`?\s+(STRING|BIGINT|STRUCT|ARRAY|INT)\b/gim)].map((m) => m[1].toLowerCase());
        a.tables.set(`${create[1]}.${create[2]}`, { columns, partitionKeys: /PARTITIONED BY \(`timestamp`/.test(sql) ? ['timestamp'] : [] });
      }
      else Object.assign(exec, a.answer(sql));
      a.executions.set(id, exec);
      return send(res, { QueryExecutionId: id });
    }
    case 'GetQueryExecution': {
      const e = a.executions.get(String(j.QueryExecutionId));
      if (!e) return sendJsonError(res, 400, 'InvalidRequestException', 'QueryExecution not found');
      const state_ = e.polls < a.pollsBeforeDone ? (e.polls === 0 ? 'QUEUED' : 'RUNNING') : e.error ? 'FAILED' : 'SUCCEEDED';
      e.polls += 1;
      return send(res, { QueryExecution: { QueryExecutionId: e.id, Query: e.sql, Status: { State: state_, StateChangeReason: state_ === 'FAILED' ? e.error : undefined }, Statistics: { DataScannedInBytes: 1234 } } });
    }
    case 'GetQueryResults': {
      const e = a.executions.get(String(j.QueryExecutionId));
      if (!e) return sendJsonError(res, 400, 'InvalidRequestException', 'QueryExecution not found');
      // Like Athena: the first page of a SELECT starts with the header row.
      const all = [e.columns, ...e.rows];
      const offset = j.NextToken ? Number(String(j.NextToken).slice(4)) : 0;
      const page = all.slice(offset, offset + a.pageSize);
      const next = offset + a.pageSize < all.length ? `off-${offset + a.pageSize}` : undefined;
      return send(res, {
        UpdateCount: 0,
        ResultSet: {
          Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
          ResultSetMetadata: { ColumnInfo: e.columns.map((c) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: c, Label: c, Type: 'varchar', Precision: 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: true })) },
        },
        NextToken: next,
      });
    }
    default: return sendJsonError(res, 400, 'UnknownOperationException', `stand-in does not implement ${r.op}`);
  }
}
