// Reads an evidence row's meta JSON for assertions (the SQL lives in main/case/aws.ts).
import type { ReadableDB } from '../../../main/case/db';
import { evidenceMetaJson } from '../../../main/case/aws';

export function evidenceMeta(db: ReadableDB, id: number): unknown {
  const text = evidenceMetaJson(db, id);
  return text === null ? null : JSON.parse(text);
}
