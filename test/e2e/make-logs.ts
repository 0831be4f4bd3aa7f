// Writes a folder of synthetic S3 server access logs, big enough that an import takes a while.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const OWNER = '5a1c3f2b8e7d6c9a0b1e2f3a4d5c6b7a8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b';

function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `[${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000]`;
}

export function writeAccessLogs(dir: string, files: number, linesPerFile: number): void {
  mkdirSync(dir, { recursive: true });
  let t = Date.parse('2025-06-01T00:00:00Z');
  for (let f = 0; f < files; f++) {
    const lines: string[] = [];
    for (let i = 0; i < linesPerFile; i++) {
      const n = f * linesPerFile + i;
      t += 1500;
      const key = `data/part-${n % 997}.bin`;
      const req = n.toString(16).toUpperCase().padStart(16, '0');
      lines.push(`${OWNER} bulk-bucket ${stamp(t)} 192.0.2.${n % 250} - ${req} REST.GET.OBJECT ${key} "GET /bulk-bucket/${key} HTTP/1.1" 200 - 2048 2048 5 2 "-" "bulk/1.0" - host${req}= SigV4 TLS_AES_128_GCM_SHA256 - bulk-bucket.s3.us-east-1.amazonaws.com TLSv1.3 - -`);
    }
    writeFileSync(join(dir, `2025-06-01-00-00-${String(f).padStart(2, '0')}-BULK`), `${lines.join('\n')}\n`);
  }
}
