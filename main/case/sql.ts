// A `sql` tagged template: interpolations become bind parameters, so no query is ever concatenated.
// Fragments (sql`…` inside sql`…`) are spliced with their own parameters; raw() is for the
// few identifiers chosen from a fixed list in code, never for values.

export type SqlValue = string | number | bigint | null | Buffer;

export class Sql {
  constructor(readonly text: string, readonly params: SqlValue[]) {}
}

class Raw {
  constructor(readonly text: string) {}
}

export function raw(text: string): Raw {
  return new Raw(text);
}

/**
 * better-sqlite3 binds every JS number as REAL, so `time / ?` would divide without truncating; whole
 * numbers are bound as integers (BigInt), as SQLite's own integer arithmetic expects.
 */
function bindable(v: SqlValue | boolean | undefined): SqlValue {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  return v;
}

export function sql(strings: TemplateStringsArray, ...values: Array<SqlValue | Sql | Raw | boolean | undefined>): Sql {
  let text = strings[0];
  const params: SqlValue[] = [];
  values.forEach((v, i) => {
    if (v instanceof Sql) {
      text += v.text;
      params.push(...v.params);
    } else if (v instanceof Raw) {
      text += v.text;
    } else {
      text += '?';
      params.push(bindable(v));
    }
    text += strings[i + 1];
  });
  return new Sql(text, params);
}

/** Joins fragments with a separator (e.g. conditions with AND). */
export function join(parts: Sql[], separator: string): Sql {
  if (parts.length === 0) return new Sql('', []);
  return new Sql(parts.map((p) => p.text).join(separator), parts.flatMap((p) => p.params));
}
