import { describe, expect, it } from 'vitest';
import { NODE_PAD, nodeBoxLayout, type Rect } from './layout';

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('nodeBoxLayout', () => {
  it('puts the last device (eth0) in the top-right corner and wraps long device rows', () => {
    const l = nodeBoxLayout(6, 2, 3);
    const eth0 = l.devices[5];
    expect(eth0.x + eth0.width).toBe(l.width - NODE_PAD);
    expect(Math.min(...l.devices.map((d) => d.y))).toBe(eth0.y);
    expect(new Set(l.devices.map((d) => d.y)).size).toBe(2);
  });

  it('keeps everything inside the box without overlaps', () => {
    for (const [d, p, h] of [[1, 0, 0], [3, 4, 2], [6, 7, 5], [2, 0, 6]]) {
      const l = nodeBoxLayout(d, p, h);
      const rects = [...l.devices, ...l.slots.flatMap((s) => [s.hostEnd, s.pod]), ...l.hostPods];
      for (const r of rects) {
        expect(r.x).toBeGreaterThanOrEqual(0);
        expect(r.x + r.width).toBeLessThanOrEqual(l.width);
        expect(r.y + r.height).toBeLessThanOrEqual(l.height);
      }
      for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i], rects[j])).toBe(false);
      const lowestDevice = Math.max(...l.devices.map((r) => r.y + r.height));
      for (const s of l.slots) expect(s.hostEnd.y).toBeGreaterThan(lowestDevice);
    }
  });
});
