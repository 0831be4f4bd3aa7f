// Walks a zod schema to its string fields, with the path of keys leading to each (arrays as []),
// so a test can look at every string a channel accepts.
import type { z } from 'zod';

export interface StringField { path: string; schema: z.ZodType }

interface Def { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType; options?: z.ZodType[]; in?: z.ZodType; valueType?: z.ZodType; keyType?: z.ZodType }
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

export function stringFields(schema: z.ZodType, path = ''): StringField[] {
  const d = defOf(schema);
  switch (d.type) {
    case 'string':
      return [{ path, schema }];
    case 'object':
      return Object.entries(d.shape!).flatMap(([k, v]) => stringFields(v, path ? `${path}.${k}` : k));
    case 'array':
      return stringFields(d.element!, `${path}[]`);
    case 'optional': case 'nullable': case 'default': case 'readonly': case 'catch': case 'nonoptional': case 'prefault':
      return stringFields(d.innerType!, path);
    case 'union':
      return d.options!.flatMap((o) => stringFields(o, path));
    case 'pipe':
      return stringFields(d.in!, path);
    case 'record':
      return [...stringFields(d.keyType!, `${path}{key}`), ...stringFields(d.valueType!, `${path}{}`)];
    case 'number': case 'int': case 'boolean': case 'enum': case 'literal': case 'null': case 'undefined': case 'never':
      return [];
    default:
      // A kind of schema this walker does not know could hide a string: refuse to guess.
      throw new Error(`schema-walk: no rule for zod type "${d.type}" at ${path || '(root)'}`);
  }
}
