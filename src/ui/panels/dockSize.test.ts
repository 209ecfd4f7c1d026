import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clampDock, dockKeyHeight, DOCK_MIN_PX, DOCK_STEP_PX, DRAWING_MIN_PX, parseDockShare } from './dockSize';

describe('dock size', () => {
  it('reads a stored share, and nothing else', () => {
    expect(parseDockShare('0.3500')).toBe(0.35);
    for (const bad of [null, '', 'abc', '0', '1', '-0.2', '1e-300x', 'Infinity', 'NaN']) expect(parseDockShare(bad)).toBeNull();
  });

  it('always leaves the drawing its room and the dock its bar', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: false }), fc.integer({ min: DOCK_MIN_PX + DRAWING_MIN_PX, max: 3000 }), (px, stage) => {
        const h = clampDock(px, stage);
        expect(h).toBeGreaterThanOrEqual(DOCK_MIN_PX);
        expect(stage - h).toBeGreaterThanOrEqual(DRAWING_MIN_PX);
      }),
    );
  });

  it('steps with ↑ ↓ and jumps with Home End', () => {
    expect(dockKeyHeight('ArrowUp', 300, 700)).toBe(300 + DOCK_STEP_PX);
    expect(dockKeyHeight('ArrowDown', 300, 700)).toBe(300 - DOCK_STEP_PX);
    expect(dockKeyHeight('Home', 300, 700)).toBe(DOCK_MIN_PX);
    expect(dockKeyHeight('End', 300, 700)).toBe(700 - DRAWING_MIN_PX);
    expect(dockKeyHeight('ArrowDown', DOCK_MIN_PX, 700)).toBe(DOCK_MIN_PX);
    expect(dockKeyHeight('a', 300, 700)).toBeNull();
  });
});
