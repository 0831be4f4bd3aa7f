// Loading, empty and error states, used everywhere something is fetched.
import type { ReactNode } from 'react';

export function Loading({ what }: { what: string }) {
  return <div className="state state-loading" role="status"><span className="spinner" aria-hidden="true" />Loading {what}…</div>;
}

export function ErrorBox({ error, onRetry }: { error: string; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <strong>Something went wrong.</strong> <span className="error-text">{error}</span>
      {onRetry && <button type="button" onClick={onRetry}>Try again</button>}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children && <div>{children}</div>}
    </div>
  );
}
