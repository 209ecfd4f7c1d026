import { describe, expect, it } from 'vitest';
import { terminalKey } from './terminalKeys';

const down = (key: string) => ({ type: 'keydown', key });

describe('terminalKey: Escape, then Tab or Shift+Tab leaves the terminal', () => {
  it('Tab completes in the terminal until Escape arms the exit', () => {
    expect(terminalKey(false, down('Tab'))).toEqual({ armed: false, toTerminal: true });
    const esc = terminalKey(false, down('Escape'));
    expect(esc).toMatchObject({ armed: true, toTerminal: false });
    expect(esc.announce).toMatch(/Tab or Shift\+Tab to leave/);
    // Shift (held for Shift+Tab) keeps the exit armed; the Tab then goes to the browser.
    expect(terminalKey(true, down('Shift'))).toEqual({ armed: true, toTerminal: true });
    expect(terminalKey(true, down('Tab'))).toEqual({ armed: false, toTerminal: false });
  });

  it('any other key disarms: typing after Escape goes on as usual', () => {
    expect(terminalKey(true, down('a'))).toEqual({ armed: false, toTerminal: true });
    expect(terminalKey(false, down('Tab'))).toEqual({ armed: false, toTerminal: true });
  });

  it('the keyup and keypress of the exit keys do not reach the shell either', () => {
    expect(terminalKey(true, { type: 'keyup', key: 'Escape' }).toTerminal).toBe(false);
    expect(terminalKey(true, { type: 'keypress', key: 'Tab' }).toTerminal).toBe(false);
    expect(terminalKey(false, { type: 'keyup', key: 'a' }).toTerminal).toBe(true);
  });
});
