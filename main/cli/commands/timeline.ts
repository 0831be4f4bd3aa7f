// `trailmark timeline`: the downloads, as text or as one streamed JSON object (millions of rows never
// sit in memory). Reads the case read-only; out-of-date summaries are warned about on stderr.
import type { DownloadRow } from '../../../shared/api';
import { exposureClassifier, type ExposureClass } from '../../../shared/exposure-rule';
import { analysisConditions, computeExposure } from '../../case/analysis';
import type { ReadableDB } from '../../case/db';
import { caseInfo } from '../../case/meta';
import { allDownloads } from '../../case/timeline';
import { answersDigest } from '../../integrity/answers-digest';
import { caseOption, filterFrom, filterOptions, requireExistingCase, type Command } from '../kit';
import { printable } from '../output';
import { readCase } from '../reading';

/** bytesSent, objectSize and complete are null where the logs did not say (unknown, never 0); exposure follows shared/exposure-rule. */
function downloadJson(d: DownloadRow, exposure: ExposureClass): object {
  return {
    time: d.time, actor: d.actor, sourceIp: d.sourceIp, userAgent: d.userAgent, bucket: d.bucket, key: d.key, bytesSent: d.bytesSent,
    objectSize: d.objectSize, status: d.status, complete: d.complete, requestId: d.requestId, sources: d.sources, exposure,
    country: d.country ?? null, asn: d.asn ?? null, org: d.org ?? null, aws: d.aws ?? null, addressLabel: d.addressLabel ?? null,
  };
}

/** The `exposure` entries of `timeline --json`. */
function exposureJson(db: ReadableDB): object[] {
  return computeExposure(db).map((w) => ({
    bucket: w.bucket, key: w.key, from: w.from, to: w.to, scope: w.scope, accounts: w.accounts, conditional: w.conditional,
    via: w.via, openedBy: w.openedBy, closedBy: w.closedBy, note: w.note, bucketEvidence: w.bucketEvidence
      ? { from: new Date(w.bucketEvidence.fromMs).toISOString(), to: new Date(w.bucketEvidence.toMs).toISOString() } : null,
  }));
}

export const timelineCommand: Command = {
  summary: 'print the downloads timeline',
  usage: 'trailmark timeline --case CASE.sqlite [--json] [--from ISO] [--to ISO] [--actor A] [--bucket B] [--key-prefix P | --key K] [--country CC] [--asn N] [--pattern burst|bulk-tool|first-seen|listed-first] [--backups-only]',
  help: 'Opens the case read-only. Out-of-date summaries (which --backups-only reads) are named on stderr.',
  options: { ...caseOption, ...filterOptions, json: { type: 'boolean' }, 'backups-only': { type: 'boolean' } },
  async run(values, _p, io) {
    const casePath = requireExistingCase(values);
    const filter = filterFrom(values);
    if (values['backups-only']) filter.backupsOnly = true;
    return readCase(casePath, 'warn', io, (db) => {
      const extra = analysisConditions(db, filter);
      const classify = exposureClassifier(computeExposure(db));
      const rejected = caseInfo(db, casePath).rejected;
      if (values.json) {
        io.out('{"downloads":[');
        let first = true;
        for (const d of allDownloads(db, filter, extra)) {
          io.out(`${first ? '\n' : ',\n'}${JSON.stringify(downloadJson(d, classify(d)))}`);
          first = false;
        }
        io.out(`\n],"exposure":${JSON.stringify(exposureJson(db))},"rejectedLines":${rejected},"answersDigest":"${answersDigest(db)}"}\n`);
      } else {
        let n = 0;
        for (const d of allDownloads(db, filter, extra)) {
          n++;
          io.out(`${d.time}  ${printable(d.actor)}  ${printable(d.sourceIp)}${d.addressLabel ? ` (${printable(d.addressLabel)})` : ''}  s3://${printable(d.bucket)}/${printable(d.key)}  ${d.bytesSent === null ? 'bytes unknown' : `${d.bytesSent} bytes`}  ${d.complete === null ? 'completeness unknown' : d.complete ? 'complete' : 'partial'}${classify(d) === 'inside' ? '  while exposed' : classify(d) === 'boundary' ? '  at the exposure boundary' : ''}  [${d.sources.join(', ')}]\n`);
        }
        io.out(`${n} download(s); ${rejected} rejected line(s) in the case's evidence.\n`);
      }
      return 0;
    });
  },
};
