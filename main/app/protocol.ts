// The app:// scheme that serves dist/renderer: privileged as standard + secure before ready, handled after.
import { protocol } from 'electron';
import { APP_SCHEME, SCHEME_PRIVILEGES } from './security';
import { readAppFile } from './static-files';

/** Must run before the app's ready event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: SCHEME_PRIVILEGES }]);
}

export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const res = await readAppFile(root, request.url, request.method);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(res.body), { status: res.status, headers: res.headers });
  });
}
