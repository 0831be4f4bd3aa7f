// Reads a file of the built renderer for an app:// URL, with the security headers. Shared by the
// app:// protocol handler and the e2e browser host's HTTP server, so both serve the same bytes under the same CSP.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { MIME_TYPES, RESPONSE_HEADERS, resolveAppPath } from './security';

export interface StaticResponse { status: number; headers: Record<string, string>; body: Buffer }

export async function readAppFile(root: string, url: string, method = 'GET'): Promise<StaticResponse> {
  const text = (status: number, msg: string): StaticResponse =>
    ({ status, headers: { ...RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from(msg) });
  if (method !== 'GET' && method !== 'HEAD') return text(405, 'method not allowed');
  const file = resolveAppPath(root, url);
  if (!file) return text(404, 'not found');
  try {
    const body = await readFile(file);
    return { status: 200, headers: { ...RESPONSE_HEADERS, 'Content-Type': MIME_TYPES[extname(file)] ?? 'application/octet-stream' }, body };
  } catch {
    return text(404, 'not found');
  }
}
