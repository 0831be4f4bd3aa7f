// Keyboard reach for a side pane: opened from the keyboard, it takes focus on its heading (so Tab
// walks on into its notes and tags rather than through every row of the table); Escape closes it and
// hands focus back to the row or grid it was opened from. A click opens it without moving focus.
import { useEffect, useRef, type KeyboardEvent } from 'react';

export function usePaneFocus(openKey: string | number | null, close: () => void) {
  const heading = useRef<HTMLHeadingElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const wantFocus = useRef(false);
  const closeRef = useRef(close);
  closeRef.current = close;

  useEffect(() => {
    if (openKey === null) return;
    const active = document.activeElement;
    if (active instanceof HTMLElement && !active.closest('.detail')) returnTo.current = active;
    if (wantFocus.current) heading.current?.focus();
    wantFocus.current = false;
    const onKey = (e: globalThis.KeyboardEvent) => {
      // A dialog over the page handles its own Escape.
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('[role="dialog"]')) return;
      e.preventDefault();
      closeRef.current();
      returnTo.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openKey]);

  return {
    heading,
    /** Opens the pane and moves focus into it (Enter on a row). */
    openWithFocus: (open: () => void) => {
      wantFocus.current = true;
      open();
      heading.current?.focus(); // already open on this target: the effect will not run again
    },
  };
}

/** Enter or Space on a focusable row (not on a button inside it) opens it, as a click does. */
export function onRowKey(open: () => void) {
  return (e: KeyboardEvent<HTMLElement>) => {
    if (e.target !== e.currentTarget || (e.key !== 'Enter' && e.key !== ' ')) return;
    e.preventDefault();
    open();
  };
}
