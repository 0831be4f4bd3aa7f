// CloudTrail digest files are kept as evidence (their validation lives in main/integrity);
// here they are only recognised and summarised.
import type { EvidenceOnlyFormat } from './types';

export const cloudTrailDigest: EvidenceOnlyFormat = {
  name: 'cloudtrail-digest',
  description: 'CloudTrail digest file',
  kind: 'evidence-only',
  sniff: (head, path) =>
    /^\s*\{/.test(head) && /"digestStartTime"\s*:/.test(head) && (/"logFiles"\s*:/.test(head) || /CloudTrail-Digest/.test(path)),
  describe(text) {
    const d = JSON.parse(text) as Record<string, unknown>;
    if (typeof d.digestStartTime !== 'string' || typeof d.digestEndTime !== 'string' || !Array.isArray(d.logFiles)) {
      throw new Error('digest lacks digestStartTime, digestEndTime or logFiles');
    }
    return {
      awsAccountId: d.awsAccountId ?? null,
      digestStartTime: d.digestStartTime,
      digestEndTime: d.digestEndTime,
      digestS3Bucket: d.digestS3Bucket ?? null,
      digestS3Object: d.digestS3Object ?? null,
      logFiles: d.logFiles.length,
    };
  },
};
