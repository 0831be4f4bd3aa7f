// Queries for AWS acquisition and its tests.
import { get, type ReadableDB } from './db';
import { sql } from './sql';

/** The meta JSON of an evidence row (S3 object facts of a pulled file), or null. */
export function evidenceMetaJson(db: ReadableDB, evidenceId: number): string | null {
  return get<{ meta: string | null }>(db, sql`SELECT meta FROM evidence WHERE id = ${evidenceId}`)?.meta ?? null;
}
