// The app:// scheme that serves dist/renderer: privileged as standard + secure before ready, handled after.
// The print window's scheme is registered in the same call (Electron takes one registration).
import { protocol } from 'electron';
import { PRINT_SCHEME, PRINT_SCHEME_PRIVILEGES } from './print-protocol';
import { APP_SCHEME, SCHEME_PRIVILEGES } from './security';
import { readAppFile } from './static-files';

/** Must run before the app's ready event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: SCHEME_PRIVILEGES },
    { scheme: PRINT_SCHEME, privileges: PRINT_SCHEME_PRIVILEGES },
  ]);
}

export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const res = await readAppFile(root, request.url, request.method);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(res.body), { status: res.status, headers: res.headers });
  });
}
