import { describe, expect, it } from 'vitest';
import { easeInOut, hopPoints, labelBox, labelPlace, lerp, packetRadius, toScreen, trail } from './packetGeometry';

describe('packet geometry', () => {
  it('maps flow to screen with the viewport transform', () => {
    expect(toScreen({ x: 100, y: 50 }, { x: 10, y: -20, zoom: 0.5 })).toEqual({ x: 60, y: 5 });
  });

  it('eases from 0 to 1 and clamps', () => {
    expect(easeInOut(-1)).toBe(0);
    expect(easeInOut(0.5)).toBeCloseTo(0.5);
    expect(easeInOut(2)).toBe(1);
    expect(lerp({ x: 0, y: 0 }, { x: 10, y: 20 }, 0.5)).toEqual({ x: 5, y: 10 });
  });

  it('drops consecutive repeats from the trail', () => {
    const a = { x: 1, y: 1 };
    const b = { x: 2, y: 2 };
    expect(trail([a, a, undefined, b, b, a], 4)).toEqual([a, b]);
  });

  it('crosses the node network between the sender and the receiver', () => {
    const eth0 = { x: 100, y: 200, width: 20, height: 10 };
    const seg = { x: 0, y: 0, width: 1000, height: 40, wide: true };
    const remote = { x: 700, y: 200, width: 20, height: 10 };
    expect(hopPoints([eth0, seg, remote])).toEqual([{ x: 110, y: 205 }, { x: 410, y: 20 }, { x: 710, y: 205 }]);
    expect(hopPoints([seg])).toEqual([{ x: 500, y: 20 }]);
  });

  it('keeps the packet between 5 and 10 px, and its label on the canvas', () => {
    expect(packetRadius(0.2)).toBe(5);
    expect(packetRadius(1)).toBe(8);
    expect(packetRadius(3)).toBe(10);
    expect(labelPlace(100, 300, 8, 200, 20, 1000, 600, []).side).toBe('right');
    expect(labelPlace(900, 300, 8, 200, 20, 1000, 600, []).side).toBe('left');
  });

  it('puts the label on the side that covers no neighbour (the pod on the right: api-2 at 1280)', () => {
    // The packet at a pod's centre, the pod's neighbour to its right and another pod below.
    const own = { x: 200, y: 280, width: 180, height: 50 };
    const right = { x: 440, y: 280, width: 180, height: 50 };
    const below = { x: 200, y: 340, width: 180, height: 50 };
    const pick = labelPlace(290, 305, 8, 150, 20, 1000, 600, [own, right, below]);
    expect(pick.side).not.toBe('right');
    const b = labelBox(pick.side, 290, 305, 8, 150, 20);
    for (const o of [right, below]) expect(b.x + b.width <= o.x || o.x + o.width <= b.x || b.y + b.height <= o.y || o.y + o.height <= b.y).toBe(true);
  });

  it('stays inside the canvas when a side fits, even if it covers more there', () => {
    const pick = labelPlace(20, 300, 8, 150, 20, 1000, 600, [{ x: 30, y: 280, width: 400, height: 40 }]);
    const b = labelBox(pick.side, 20, 300, 8, 150, 20);
    expect(b.x).toBeGreaterThanOrEqual(4);
  });
});
