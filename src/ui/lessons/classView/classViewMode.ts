/**
 * Whether the class view is on (an instructor's mode over presentation mode: the prediction a
 * learner would be asked, large, then its reveal). Part of the first paint (the shortcut and the
 * toolbar button); the view itself is a lazy chunk. Leaving presentation mode ends it.
 *
 * Shortcut: C toggles it (outside text fields, the editor and the terminal).
 */
import { useSyncExternalStore } from 'react';
import { getPrefs, setPrefs, subscribePrefs } from '../../canvas/viewPrefs';

let on = false;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((f) => f());

export function classViewOn(): boolean {
  return on;
}

export function setClassView(next: boolean): void {
  if (next && !getPrefs().presentation) setPrefs({ presentation: true });
  if (on === next) return;
  on = next;
  emit();
}

// Leaving presentation mode leaves the class view.
subscribePrefs(() => {
  if (on && !getPrefs().presentation) setClassView(false);
});

export function useClassView(): boolean {
  return useSyncExternalStore(
    (f) => {
      listeners.add(f);
      return () => listeners.delete(f);
    },
    () => on,
    () => false,
  );
}

/** The C key (no modifier, not typing): toggles the class view; true when it was handled. */
export function classViewKey(e: KeyboardEvent, typing: boolean): boolean {
  if (typing || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return false;
  if (e.key !== 'c' && e.key !== 'C') return false;
  e.preventDefault();
  setClassView(!on);
  return true;
}
