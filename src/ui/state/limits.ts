/**
 * How much the app accepts from outside (a file, a link, the saved state): enough for a
 * classroom cluster of a few thousand pods, small enough that the page stays responsive.
 */
/** Scenario text, in characters. */
export const MAX_SCENARIO_CHARS = 2_000_000;
/** The encoded scenario in a share link's hash, in characters (browsers keep URLs of a few MB; chat apps cut far less). */
export const MAX_LINK_CHARS = 400_000;

/** The canvas's zoom range (React Flow's minZoom/maxZoom in ClusterCanvas.tsx); a saved zoom outside it is not restored. */
export const MIN_ZOOM = 0.03;
export const MAX_ZOOM = 3;
/** A saved pan farther than this (screen pixels) shows no cluster at any zoom the canvas allows: the view is fitted instead. */
export const MAX_PAN = 10_000_000;

export function tooLarge(what: string, size: number, limit: number): string | null {
  if (size <= limit) return null;
  return `${what} is too large (${size.toLocaleString('en-US')} characters; the limit is ${limit.toLocaleString('en-US')}). Nothing was loaded.`;
}
