/**
 * How the canvas is shown, per browser (not part of the scenario): the theme (follow the
 * system, light, dark) and presentation zoom for projectors. Kept in localStorage and applied
 * as attributes on <html>, which canvas.css turns into colours and sizes.
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';

export type Theme = 'system' | 'light' | 'dark';
export interface ViewPrefs {
  theme: Theme;
  presentation: boolean;
}

const KEY = 'podpath.view.v1';
const DEFAULTS: ViewPrefs = { theme: 'system', presentation: false };

export function parsePrefs(text: string | null): ViewPrefs {
  if (!text) return DEFAULTS;
  try {
    const v = JSON.parse(text) as Partial<ViewPrefs>;
    return {
      theme: v.theme === 'light' || v.theme === 'dark' ? v.theme : 'system',
      presentation: v.presentation === true,
    };
  } catch {
    return DEFAULTS;
  }
}

let current: ViewPrefs = typeof localStorage === 'undefined' ? DEFAULTS : parsePrefs(safeRead());
const listeners = new Set<() => void>();

function safeRead(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function apply(p: ViewPrefs) {
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  if (p.theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = p.theme;
  if (p.presentation) root.dataset.presentation = 'on';
  else delete root.dataset.presentation;
}

export function setPrefs(next: Partial<ViewPrefs>) {
  current = { ...current, ...next };
  try {
    localStorage.setItem(KEY, JSON.stringify(current));
  } catch {
    // Private mode or full storage: the choice lasts for this page only.
  }
  apply(current);
  listeners.forEach((l) => l());
}

export function useViewPrefs(): [ViewPrefs, (next: Partial<ViewPrefs>) => void] {
  const prefs = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
  useEffect(() => apply(current), []);
  return [prefs, useCallback(setPrefs, [])];
}

/** The dark/light React Flow should draw in: the chosen theme, or the system's. */
export function useResolvedDark(theme: Theme): boolean {
  const systemDark = useMediaQuery('(prefers-color-scheme: dark)');
  return theme === 'dark' || (theme === 'system' && systemDark);
}

export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (l) => {
      if (typeof matchMedia === 'undefined') return () => {};
      const m = matchMedia(query);
      m.addEventListener('change', l);
      return () => m.removeEventListener('change', l);
    },
    () => (typeof matchMedia === 'undefined' ? false : matchMedia(query).matches),
  );
}

export const usePrefersReducedMotion = () => useMediaQuery('(prefers-reduced-motion: reduce)');
