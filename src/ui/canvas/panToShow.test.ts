import { describe, expect, it } from 'vitest';
import { panToShow } from './panToShow';

describe('panToShow', () => {
  it('leaves a box in view alone', () => {
    expect(panToShow({ top: 100, bottom: 300 }, { y: 0, zoom: 1 }, 520)).toBe(0);
  });
  it('pans up just enough to show the bottom edge', () => {
    // bottom at 620 on a 520 px canvas: up by 620 − 504 = 116.
    expect(panToShow({ top: 250, bottom: 620 }, { y: 0, zoom: 1 }, 520)).toBe(-116);
    // At zoom 0.5 flow units halve.
    expect(panToShow({ top: 500, bottom: 1240 }, { y: 0, zoom: 0.5 }, 520)).toBe(-116);
  });
  it('keeps the top visible when the box is taller than the canvas', () => {
    expect(panToShow({ top: 100, bottom: 900 }, { y: 0, zoom: 1 }, 520)).toBe(-84);
  });
});
