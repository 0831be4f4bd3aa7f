import { useState } from 'react';

// execCommand works from a click without any clipboard permission, which the app's session denies.
function copyText(value: string): boolean {
  const area = document.createElement('textarea');
  area.value = value;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } finally {
    area.remove();
  }
  return ok;
}

/**
 * `what` names the value for a screen reader ("Copy Actor (CloudTrail)"), so ten copy buttons are ten
 * different names; without it the name quotes the value's start, which tells them apart too.
 */
export function CopyButton({ value, label = 'Copy', what }: { value: string; label?: string; what?: string }) {
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  const name = `${label} ${what ?? `“${value.length > 24 ? `${value.slice(0, 24)}…` : value}”`}`;
  return (
    <button
      type="button"
      className="copy"
      title={`${label} to clipboard`}
      aria-label={state === 'idle' ? name : undefined}
      onClick={() => {
        setState(copyText(value) ? 'done' : 'failed');
        window.setTimeout(() => setState('idle'), 1500);
      }}
    >
      {state === 'done' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
