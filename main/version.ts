// The tool's version, as recorded in custody entries and reports.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOOL_VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
