// Counting a set of downloads the way the summary speaks of them: parties, addresses, files, complete copies.
import type { DownloadRow } from '../../shared/api';
import type { ByteSum } from '../../shared/bytes';

export function partyKey(actor: string, ip: string | null): string {
  return actor === 'anonymous' ? `anonymous@${ip ?? 'unknown'}` : actor;
}

export class Tally {
  downloads = 0;
  /** Bytes sent over the downloads that logged them; a lower bound when unknownBytes > 0. */
  bytes = 0;
  /** Downloads whose bytes sent were not logged: unknown, never counted as 0. */
  unknownBytes = 0;
  complete = 0;
  partial = 0;
  unknownCompleteness = 0;
  first: number | null = null;
  last: number | null = null;
  readonly parties = new Set<string>();
  readonly anonymousParties = new Set<string>();
  readonly ips = new Set<string>();
  readonly objects = new Set<string>();
  readonly backupObjects = new Set<string>();
  readonly buckets = new Set<string>();
  /** Objects of which at least one complete copy went out, with their size. */
  readonly completeObjects = new Map<string, number>();
  readonly completeBackups = new Set<string>();

  /** party and obj: the download's party key and `bucket/key`, when the caller has them already (one string hashed once, not one per tally). */
  add(d: DownloadRow, isBackup: boolean, party = partyKey(d.actor, d.sourceIp), obj = `${d.bucket}/${d.key}`): void {
    this.downloads++;
    this.bytes += d.bytesSent ?? 0;
    if (d.bytesSent === null) this.unknownBytes++;
    if (d.complete === true) this.complete++;
    else if (d.complete === false) this.partial++;
    else this.unknownCompleteness++;
    if (this.first === null || d.timeMs < this.first) this.first = d.timeMs;
    if (this.last === null || d.timeMs > this.last) this.last = d.timeMs;
    this.parties.add(party);
    if (d.actor === 'anonymous') this.anonymousParties.add(party);
    if (d.sourceIp) this.ips.add(d.sourceIp);
    this.objects.add(obj);
    this.buckets.add(d.bucket);
    if (isBackup) this.backupObjects.add(obj);
    if (d.complete === true) {
      this.completeObjects.set(obj, Math.max(this.completeObjects.get(obj) ?? 0, d.objectSize ?? d.bytesSent ?? 0));
      if (isBackup) this.completeBackups.add(obj);
    }
  }

  byteSum(): ByteSum {
    return { bytes: this.bytes, unknown: this.unknownBytes, rows: this.downloads };
  }

  completeBytes(): number {
    let n = 0;
    for (const size of this.completeObjects.values()) n += size;
    return n;
  }
}
