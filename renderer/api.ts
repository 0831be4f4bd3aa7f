// The renderer's only way out: window.trailmark, exposed by the preload (or the e2e browser host).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportProgress } from '../shared/api';
import type { PageApi, PageChannel, PageReq, PageResponse } from '../shared/page-api';

declare global {
  interface Window { trailmark?: PageApi }
}

/** Only the page's channels (shared/page-api): files and AWS destinations are chosen in main's dialogs. */
export function invoke<C extends PageChannel>(channel: C, req: PageReq<C>): Promise<PageResponse<C>> {
  if (!window.trailmark) return Promise.reject(new Error('Trailmark is not connected to its main process.'));
  return window.trailmark.invoke(channel, req);
}

export function onProgress(cb: (p: ImportProgress) => void): () => void {
  return window.trailmark?.onProgress(cb) ?? (() => {});
}

export interface Query<T> { data: T | undefined; error: string | null; loading: boolean; reload: () => void }

/** Runs an async request whenever its key changes; a stale answer never overwrites a newer one. */
export function useQuery<T>(key: string, run: () => Promise<T>, enabled = true): Query<T> {
  const [state, setState] = useState<{ data: T | undefined; error: string | null; loading: boolean }>({ data: undefined, error: null, loading: enabled });
  const [nonce, setNonce] = useState(0);
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    runRef.current().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (err: unknown) => live && setState((s) => ({ data: s.data, error: err instanceof Error ? err.message : String(err), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [key, nonce, enabled]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
