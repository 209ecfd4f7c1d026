/**
 * The terminal's way out for keyboard users (issue 13 point 6). xterm.js takes Tab (it
 * completes) and Escape (it is a key of the shell), so focus inside the terminal could not
 * leave. As editors with Tab-capturing widgets do (VS Code's "Tab moves focus" after Escape,
 * CodeMirror's Escape-then-Tab), Escape arms the exit and the next Tab or Shift+Tab is left to
 * the browser, which moves focus to the next or previous control. Any other key disarms.
 * Pure, so the decision is tested without a browser.
 */
export const TERMINAL_EXIT_HINT = 'To leave the terminal, press Escape, then Tab or Shift+Tab.';

export interface KeyLike {
  type: string;
  key: string;
}

export interface KeyDecision {
  /** The exit is armed after this key. */
  armed: boolean;
  /** true: xterm handles the key; false: xterm ignores it and the browser's default applies. */
  toTerminal: boolean;
  /** What a screen reader is told (aria-live), if anything. */
  announce?: string;
}

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);

export function terminalKey(armed: boolean, e: KeyLike): KeyDecision {
  if (e.type !== 'keydown') return { armed, toTerminal: !(armed && e.key === 'Tab') && e.key !== 'Escape' };
  if (e.key === 'Escape') return { armed: true, toTerminal: false, announce: 'Escape: now press Tab or Shift+Tab to leave the terminal.' };
  if (MODIFIERS.has(e.key)) return { armed, toTerminal: true };
  if (e.key === 'Tab' && armed) return { armed: false, toTerminal: false };
  return { armed: false, toTerminal: true };
}
