/**
 * How much the app accepts from outside (a file, a link, the saved state): enough for a
 * classroom cluster of a few thousand pods, small enough that the page stays responsive.
 */
/** Scenario text, in characters. */
export const MAX_SCENARIO_CHARS = 2_000_000;
/** The encoded scenario in a share link's hash, in characters (browsers keep URLs of a few MB; chat apps cut far less). */
export const MAX_LINK_CHARS = 400_000;

export function tooLarge(what: string, size: number, limit: number): string | null {
  if (size <= limit) return null;
  return `${what} is too large (${size.toLocaleString('en-US')} characters; the limit is ${limit.toLocaleString('en-US')}). Nothing was loaded.`;
}
