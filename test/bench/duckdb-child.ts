// The peer to beat: DuckDB loading the same evidence files into a DuckDB file, raw text kept, with its
// default threads. A separate process, like import-child.ts, so its peak RSS is its own.
// Access logs: each line whole (one VARCHAR column). Trail files: read_json's records unnested, the
// fields a timeline sorts and filters on, and each record's JSON kept (to_json).
import { DuckDBInstance } from '@duckdb/node-api';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

function loadSql(kind: string, glob: string): string {
  // As the issue measured DuckDB: each line whole in one VARCHAR column (cutting its fields out with one
  // regular expression made it about half as fast here, 31k lines/s on a quiet machine).
  if (kind === 's3') {
    return `CREATE TABLE events AS SELECT line AS raw
      FROM read_csv(${quote(glob)}, columns = {'line': 'VARCHAR'}, header = false, delim = '\x01', quote = '', escape = '', auto_detect = false)`;
  }
  return `CREATE TABLE events AS SELECT
      r.eventTime::TIMESTAMP AS time, r.eventName AS action, r.eventSource AS source, r.sourceIPAddress AS ip,
      r.userIdentity.arn AS actor, r.requestParameters.bucketName AS bucket, r.requestParameters.key AS key,
      r.requestID AS request_id, r.eventID AS event_id, r.userAgent AS user_agent, to_json(r) AS raw
    FROM (SELECT unnest(Records) AS r FROM read_json(${quote(glob)}, format = 'auto', maximum_object_size = 1073741824))`;
}

async function main(): Promise<void> {
  const [kind, dbPath, glob] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  const db = await DuckDBInstance.create(dbPath);
  const con = await db.connect();
  await con.run(loadSql(kind, glob));
  const rows = Number((await con.runAndReadAll('SELECT count(*) FROM events')).getRows()[0][0]);
  con.closeSync();
  db.closeSync();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ seconds, rows, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

void main();
