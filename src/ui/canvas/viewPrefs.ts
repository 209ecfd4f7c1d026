/**
 * How the app is shown, per browser (not part of the scenario): the theme (follow the system,
 * light, dark), presentation mode for projectors, whether system pods are drawn, and whether
 * the side panel is open (in normal and in presentation mode, each remembered). Kept in
 * localStorage and applied as attributes on <html>, which the style sheets turn into colours,
 * sizes and what is hidden.
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';

export type Theme = 'system' | 'light' | 'dark';
export interface ViewPrefs {
  theme: Theme;
  presentation: boolean;
  /** Draw kube-system & co (folded into a count per node by default). */
  showSystem: boolean;
  /** The side panel (Trace, YAML, Edit) is open, outside presentation mode. */
  sidebar: boolean;
  /** The side panel is open in presentation mode (closed by default: the canvas fills the screen). */
  presentSidebar: boolean;
}

const KEY = 'podpath.view.v1';
const DEFAULTS: ViewPrefs = { theme: 'system', presentation: false, showSystem: false, sidebar: true, presentSidebar: false };

export function parsePrefs(text: string | null): ViewPrefs {
  if (!text) return DEFAULTS;
  try {
    const v = JSON.parse(text) as Partial<ViewPrefs>;
    return {
      theme: v.theme === 'light' || v.theme === 'dark' ? v.theme : 'system',
      presentation: v.presentation === true,
      showSystem: v.showSystem === true,
      sidebar: v.sidebar !== false,
      presentSidebar: v.presentSidebar === true,
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
  root.dataset.sidebar = sidebarOpen(p) ? 'open' : 'closed';
}

/** Whether the side panel shows, in the current mode. */
export const sidebarOpen = (p: ViewPrefs): boolean => (p.presentation ? p.presentSidebar : p.sidebar);

export const getPrefs = (): ViewPrefs => current;

/** Be told when any preference changes; returns the unsubscribe. */
export function subscribePrefs(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Full screen on or off (the Fullscreen API). A browser that refuses (no user gesture, an
 * iframe without allowfullscreen, no API) leaves the page as it is: presentation mode works
 * the same in a window.
 */
export function toggleFullscreen(): void {
  if (typeof document === 'undefined') return;
  const done = () => {};
  try {
    if (document.fullscreenElement) void document.exitFullscreen?.().catch(done);
    else void document.documentElement.requestFullscreen?.().catch(done);
  } catch {
    // Refused synchronously by an old engine: nothing to undo.
  }
}

/** Open or close the side panel in the current mode. */
export function toggleSidebar() {
  setPrefs(current.presentation ? { presentSidebar: !current.presentSidebar } : { sidebar: !current.sidebar });
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
