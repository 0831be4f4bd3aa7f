// CloudTrail records in the three shapes they reach an investigator: trail files as CloudTrail
// delivers them ({"Records":[…]}), a bare JSON array (as some tools dump them), and JSON-lines
// (CloudTrail Lake exports, Logstash and other exporters).
import { normalizeCloudTrail, parseCloudTrailText, readCloudTrailText, RECORD_HINT } from './cloudtrail-record';
import type { DocumentFormat, LineFormat } from './types';

const firstChar = (head: string) => head.replace(/^[\s\uFEFF]+/, '')[0];

export const cloudTrailFile: DocumentFormat = {
  name: 'cloudtrail-file',
  description: 'CloudTrail trail file ({"Records":[…]})',
  kind: 'document',
  arrayKey: 'Records',
  sniff: (head) => firstChar(head) === '{' && /^\s*\{\s*"Records"\s*:\s*\[/.test(head.replace(/^\uFEFF/, '')),
  parseRecord: parseCloudTrailText,
  parseValue: normalizeCloudTrail,
  canonical: readCloudTrailText,
};

export const cloudTrailArray: DocumentFormat = {
  name: 'cloudtrail-array',
  description: 'CloudTrail records as a bare JSON array',
  kind: 'document',
  arrayKey: null,
  sniff: (head) => firstChar(head) === '[' && RECORD_HINT.test(head),
  parseRecord: parseCloudTrailText,
  parseValue: normalizeCloudTrail,
  canonical: readCloudTrailText,
};

export const cloudTrailLines: LineFormat = {
  name: 'cloudtrail-lines',
  description: 'CloudTrail records as JSON-lines',
  kind: 'lines',
  sniff: (head) => {
    const line = head.replace(/^\uFEFF/, '').split('\n', 1)[0].trim();
    return line.startsWith('{') && line.endsWith('}') && RECORD_HINT.test(line) && !/^\{\s*"Records"/.test(line);
  },
  parseLine: (line, locator) => (line.trim().length === 0 ? null : parseCloudTrailText(line, locator)),
  canonical: readCloudTrailText,
};
