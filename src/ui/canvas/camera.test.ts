import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { centerOn, clusterFrame, fitZoom, headerOf, onScreen, readableFrame, READABLE_ZOOM, TRACE_MAX_ZOOM, traceFrame, union } from './camera';

const pad = { top: 60, right: 16, bottom: 16, left: 16 };

describe('readableFrame', () => {
  it('fits a drawing that is readable when fitted, and says it is all on screen', () => {
    const all = { x: 0, y: -150, width: 900, height: 700 };
    const { viewport, partial } = readableFrame(all, null, 1400, 900, pad);
    expect(partial).toBe(false);
    expect(viewport.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(onScreen(all, viewport, 1400, 900, pad)).toBe(true);
  });

  it('never goes below the readable zoom: frames the focus instead and says part is off-screen', () => {
    const all = { x: 0, y: -150, width: 1300, height: 800 };
    const focus = { x: 450, y: 300, width: 500, height: 200 };
    const { viewport, partial } = readableFrame(all, focus, 986, 520, pad);
    expect(partial).toBe(true);
    expect(viewport.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(onScreen(focus, viewport, 986, 520, pad)).toBe(true);
  });

  it('property: the zoom is at least the floor and the focus (or the middle) is centred', () => {
    const rect = fc.record({ x: fc.integer({ min: -2000, max: 2000 }), y: fc.integer({ min: -2000, max: 2000 }), width: fc.integer({ min: 10, max: 6000 }), height: fc.integer({ min: 10, max: 6000 }) });
    fc.assert(
      fc.property(rect, fc.option(rect, { nil: null }), fc.integer({ min: 400, max: 2000 }), fc.integer({ min: 300, max: 1200 }), (all, focus, w, h) => {
        const { viewport } = readableFrame(all, focus, w, h, pad);
        expect(viewport.zoom).toBeGreaterThanOrEqual(Math.min(READABLE_ZOOM, fitZoom(all, w, h, pad)) - 1e-9);
        expect(viewport.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM - 1e-9);
      }),
    );
  });
});

describe('clusterFrame and traceFrame', () => {
  const all = { x: 0, y: -160, width: 1290, height: 800 };
  const nodes = { x: 0, y: 0, width: 1290, height: 640 };
  it('keeps the readable zoom and puts the node network at the top when the nodes do not fit', () => {
    const { viewport, partial } = clusterFrame(all, nodes, 900, 480, pad);
    expect(partial).toBe(true);
    expect(viewport.zoom).toBeCloseTo(READABLE_ZOOM);
    expect(nodes.y * viewport.zoom + viewport.y).toBe(pad.top);
  });
  it('frames the nodes when they fit and the Services band does not', () => {
    const { viewport } = clusterFrame(all, nodes, 1300, 640, pad);
    expect(viewport.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(onScreen(nodes, viewport, 1300, 640, pad)).toBe(true);
  });
  it('a trace keeps the cluster frame when both endpoints are in it, else frames them readably', () => {
    const frame = clusterFrame(all, nodes, 900, 480, pad).viewport;
    const near = { x: 500, y: 200, width: 200, height: 60 };
    expect(traceFrame(frame, near, near, 900, 480, pad)).toEqual(frame);
    const far = { x: 100, y: 500, width: 1100, height: 120 };
    const vp = traceFrame(frame, far, { x: 100, y: 500, width: 200, height: 60 }, 900, 480, pad);
    expect(vp.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
  });
});

describe('traceFrame with the endpoints\' node headers', () => {
  const pad16 = { top: 16, right: 16, bottom: 16, left: 16 };
  // Two node boxes side by side (as the demo's workers), pods low in them: a laptop's short canvas.
  const nodeA = { x: 0, y: 0, width: 420, height: 460 };
  const nodeB = { x: 470, y: 0, width: 420, height: 460 };
  const src = { x: 130, y: 280, width: 180, height: 50 };
  const dst = { x: 600, y: 130, width: 180, height: 50 };
  const ends = union([src, dst])!;
  const headers = union([headerOf(nodeA, 100), headerOf(nodeB, 100)])!;
  const far = { x: -3000, y: -3000, zoom: 1 }; // a cluster frame that shows neither

  it('frames the headers with the pods when they fit readably (1366×768 with a trace: ~950×390 px)', () => {
    const vp = traceFrame(far, ends, src, 950, 390, pad16, headers);
    expect(vp.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(onScreen(headers, vp, 950, 390, pad16)).toBe(true);
    expect(onScreen(ends, vp, 950, 390, pad16)).toBe(true);
  });

  it('without headers, the old framing: the pods centred (the headers may be cut)', () => {
    const vp = traceFrame(far, ends, src, 950, 390, pad16);
    expect(onScreen(ends, vp, 950, 390, pad16)).toBe(true);
    expect(vp.zoom).toBeCloseTo(TRACE_MAX_ZOOM);
  });

  it('the readable zoom wins when both cannot fit: pods on screen, panned as far towards the headers as that allows', () => {
    const tallA = { x: 0, y: -400, width: 420, height: 860 };
    const h = union([headerOf(tallA, 100), headerOf(nodeB, 100)])!;
    const vp = traceFrame(far, ends, src, 950, 300, pad16, h);
    expect(vp.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM - 1e-9);
    expect(onScreen(ends, vp, 950, 300, pad16)).toBe(true);
    // The pods' bottom sits at the canvas bottom: nothing more of the headers could show.
    expect((ends.y + ends.height) * vp.zoom + vp.y).toBeCloseTo(300 - pad16.bottom);
  });

  it('property: the endpoints stay on screen at a readable zoom whenever they fit readably; headers shown whenever all fit', () => {
    const rect = fc.record({ x: fc.integer({ min: -1500, max: 1500 }), y: fc.integer({ min: -1500, max: 1500 }), width: fc.integer({ min: 40, max: 400 }), height: fc.integer({ min: 30, max: 120 }) });
    fc.assert(
      fc.property(rect, rect, fc.integer({ min: 0, max: 400 }), fc.integer({ min: 500, max: 1900 }), fc.integer({ min: 250, max: 1000 }), (a, b, above, w, hgt) => {
        const e = union([a, b])!;
        const hd = { x: e.x, y: e.y - above, width: e.width, height: 100 };
        const vp = traceFrame(far, e, a, w, hgt, pad16, hd);
        expect(vp.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM - 1e-9);
        // Checked with 0.01 px to spare: an exact fit meets the edge up to float rounding.
        const loose = { top: 15.99, right: 15.99, bottom: 15.99, left: 15.99 };
        if (fitZoom(union([e, hd])!, w, hgt, pad16) >= READABLE_ZOOM) expect(onScreen(union([e, hd])!, vp, w, hgt, loose)).toBe(true);
        else if (fitZoom(e, w, hgt, pad16) >= READABLE_ZOOM) expect(onScreen(e, vp, w, hgt, loose)).toBe(true);
      }),
    );
  });
});

describe('helpers', () => {
  it('union and centerOn', () => {
    expect(union([])).toBeNull();
    expect(union([{ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: -5, width: 5, height: 5 }])).toEqual({ x: 0, y: -5, width: 25, height: 15 });
    const vp = centerOn({ x: 100, y: 50 }, 2, 400, 300, { top: 0, right: 0, bottom: 0, left: 0 });
    expect(100 * vp.zoom + vp.x).toBe(200);
    expect(50 * vp.zoom + vp.y).toBe(150);
  });
});
