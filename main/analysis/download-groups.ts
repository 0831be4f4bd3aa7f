// The analysis fold's groups of new downloads — per object, per actor, each actor's first user agents,
// and per corroboration — added up in one pass over the downloads in id order, by hash. Each GROUP BY
// in SQLite was a sort of every new download, and past its memory a sort spills and merges: at 10M
// events the four took 17.5 s. The fold writes these groups to scratch tables, where a later part
// adds to an earlier one (main/case/analysis-update.ts), so `take()` may be called at any size.

/**
 * A new download as the fold reads it from its scratch table, a row as SQLite gives it (an object per
 * row cost more than the grouping itself), and its exposure class ('inside', 'boundary', 'outside'), or
 * null when no window is open.
 */
export type GroupedDownload = [
  id: number, time: number, objectId: number, actor: string, actorKey: string, sourceIp: string | null, userAgent: string | null,
  bytesSent: number | null, objectSize: number | null, complete: number | null, sources: number, accessKeyId: string | null,
];
/** The columns of GroupedDownload, in its order, for the query that reads it. */
export const GROUPED_COLUMNS = 'id, time, object_id, actor, ak, source_ip, user_agent, bytes_sent, object_size, complete, sources, access_key_id';

export interface ObjectGroup { objectId: number; size: number | null; n: number; bytes: number; unknown: number; cunknown: number; first: number; last: number }

export interface ActorGroup {
  actorKey: string; actor: string; minIp: string | null; accessKeyId: string | null; first: number; last: number;
  n: number; bytes: number; unknown: number; cunknown: number; inside: number; boundary: number;
}

/** Each actor's user agents in the order first seen, with the id they were first seen at. */
export interface AgentGroup { actorKey: string; userAgent: string; first: number }

/** What SQLite's min() gives over text: byte order of UTF-8, which JS's `<` (UTF-16 units) differs from above U+FFFF. */
export function textMin(a: string, b: string): string {
  if (a === b) return a;
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) <= 0 ? a : b;
}

export class DownloadGroups {
  private objects = new Map<number, ObjectGroup>();
  private actors = new Map<string, ActorGroup>();
  private agents = new Map<string, Map<string, number>>();
  private agentCount = 0;
  readonly sources = new Map<number, number>();

  /** Agents kept per actor and part: however many an earlier part held, the first `perActor` are all a later ranking needs. */
  constructor(private readonly perActor: number) {}

  /** Downloads must come in id order: the first user agent and the last access key are by id. */
  add(d: GroupedDownload, exposure: string | null): void {
    const [id, time, objectId, actor, actorKey, sourceIp, userAgent, bytesSent, objectSize, complete, sources, accessKeyId] = d;
    const o = this.objects.get(objectId);
    if (!o) {
      this.objects.set(objectId, {
        objectId, size: objectSize, n: 1, bytes: bytesSent ?? 0, unknown: bytesSent === null ? 1 : 0,
        cunknown: complete === null ? 1 : 0, first: time, last: time,
      });
    } else {
      if (objectSize !== null && (o.size === null || objectSize > o.size)) o.size = objectSize;
      o.n++;
      if (bytesSent === null) o.unknown++;
      else o.bytes += bytesSent;
      if (complete === null) o.cunknown++;
      if (time < o.first) o.first = time;
      if (time > o.last) o.last = time;
    }

    const a = this.actors.get(actorKey);
    if (!a) {
      this.actors.set(actorKey, {
        actorKey, actor, minIp: sourceIp, accessKeyId, first: time, last: time, n: 1,
        bytes: bytesSent ?? 0, unknown: bytesSent === null ? 1 : 0, cunknown: complete === null ? 1 : 0,
        inside: exposure === 'inside' ? 1 : 0, boundary: exposure === 'boundary' ? 1 : 0,
      });
    } else {
      if (a.actor !== actor) a.actor = textMin(a.actor, actor);
      if (sourceIp !== null && a.minIp !== sourceIp) a.minIp = a.minIp === null ? sourceIp : textMin(a.minIp, sourceIp);
      if (accessKeyId !== null) a.accessKeyId = accessKeyId;
      if (time < a.first) a.first = time;
      if (time > a.last) a.last = time;
      a.n++;
      if (bytesSent === null) a.unknown++;
      else a.bytes += bytesSent;
      if (complete === null) a.cunknown++;
      if (exposure === 'inside') a.inside++;
      else if (exposure === 'boundary') a.boundary++;
    }

    if (userAgent !== null && userAgent !== '') {
      let seen = this.agents.get(actorKey);
      if (!seen) this.agents.set(actorKey, (seen = new Map()));
      if (seen.size < this.perActor && !seen.has(userAgent)) {
        seen.set(userAgent, id);
        this.agentCount++;
      }
    }

    this.sources.set(sources, (this.sources.get(sources) ?? 0) + 1);
  }

  /** Groups held, to bound memory: the caller takes them when this grows past what it allows. */
  get size(): number {
    return this.objects.size + this.actors.size + this.agentCount;
  }

  /** The groups so far, and forgets them (not the corroboration counts, which are few). */
  take(): { objects: ObjectGroup[]; actors: ActorGroup[]; agents: AgentGroup[] } {
    const agents: AgentGroup[] = [];
    for (const [actorKey, seen] of this.agents) for (const [userAgent, first] of seen) agents.push({ actorKey, userAgent, first });
    const out = { objects: [...this.objects.values()], actors: [...this.actors.values()], agents };
    this.objects.clear();
    this.actors.clear();
    this.agents.clear();
    this.agentCount = 0;
    return out;
  }
}
