/**
 * The dock's height (the terminal and the packet inspector under the drawing), once the user has
 * dragged or keyed it: a share of the stage (the drawing plus the dock), so a size chosen on a
 * projector still leaves the drawing room on a laptop. Kept per browser in localStorage; until
 * the user chooses, the style sheet's default applies (styles.css `.dock`, `.dock--trace`: the
 * drawing keeps at least ~55% of the window). Pure but for the two storage calls, for tests.
 */

const KEY = 'podpath.dock.v1';
/** The dock never takes less than this of the stage (its bar and two lines of terminal)… */
export const DOCK_MIN_PX = 96;
/** …nor leaves the drawing less than this. */
export const DRAWING_MIN_PX = 160;
/** One key press (↑ ↓) moves the dock's edge this far. */
export const DOCK_STEP_PX = 32;

/** A share of the stage from stored text; null when none or unreadable (the default height then). */
export function parseDockShare(text: string | null): number | null {
  if (!text) return null;
  const v = Number(text);
  return Number.isFinite(v) && v > 0 && v < 1 ? v : null;
}

/** The dock's height in px for a wanted height, kept between DOCK_MIN_PX and the stage less DRAWING_MIN_PX. */
export function clampDock(px: number, stagePx: number): number {
  const max = Math.max(DOCK_MIN_PX, stagePx - DRAWING_MIN_PX);
  return Math.round(Math.max(DOCK_MIN_PX, Math.min(max, Number.isFinite(px) ? px : DOCK_MIN_PX)));
}

/** The height a key gives the dock (↑ taller, ↓ shorter, Home smallest, End tallest), or null for another key. */
export function dockKeyHeight(key: string, nowPx: number, stagePx: number): number | null {
  if (key === 'ArrowUp') return clampDock(nowPx + DOCK_STEP_PX, stagePx);
  if (key === 'ArrowDown') return clampDock(nowPx - DOCK_STEP_PX, stagePx);
  if (key === 'Home') return clampDock(DOCK_MIN_PX, stagePx);
  if (key === 'End') return clampDock(stagePx, stagePx);
  return null;
}

export function loadDockShare(): number | null {
  try {
    return parseDockShare(localStorage.getItem(KEY));
  } catch {
    return null;
  }
}

/** Remember the share (null forgets it: the default height again). */
export function saveDockShare(share: number | null): void {
  try {
    if (share === null) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, share.toFixed(4));
  } catch {
    // Private mode or full storage: the size lasts for this page only.
  }
}
