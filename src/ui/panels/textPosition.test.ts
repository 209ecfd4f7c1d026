import { describe, expect, it } from 'vitest';
import { lineRange } from './textPosition';

describe('lineRange', () => {
  it('finds a line', () => {
    const t = 'a: 1\nbb: 2\nccc: 3';
    expect(lineRange(t, 1)).toEqual([0, 4]);
    expect(lineRange(t, 2)).toEqual([5, 10]);
    expect(t.slice(...lineRange(t, 3))).toBe('ccc: 3');
    expect(lineRange(t, 9)).toEqual([t.length, t.length]);
  });
});
