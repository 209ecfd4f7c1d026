/**
 * The localStorage key of the lesson open when the page was left (progress.ts reads and writes
 * it). A module of its own: the first paint (entry.tsx) only asks whether it is set.
 */
export const ACTIVE_KEY = 'podpath:lesson-active';
