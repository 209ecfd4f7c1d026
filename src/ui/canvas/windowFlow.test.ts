import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { benchCluster } from '../../../bench/ui/benchCluster';
import { flowOf } from './flowOf';
import '../testing/drawingEngine';
import { countText, freshCount, partialFlow, STEP_NODES } from './progressive';
import { boxesInView, joinIds, windowFlow, WINDOW_ABOVE } from './windowFlow';
import type { Flow } from '../toFlow';

const big = benchCluster(1000);
const detail = flowOf(big, 'detail', null, true);
const overview = flowOf(big, 'overview', null, true);
const ids = (f: Flow) => new Set(f.nodes.map((n) => n.id));

/** Parents before children, and every edge between drawn nodes (React Flow's rules). */
function wellFormed(f: Flow): void {
  const seen = new Set<string>();
  for (const n of f.nodes) {
    if (n.parentId) expect(seen.has(n.parentId)).toBe(true);
    seen.add(n.id);
  }
  for (const e of f.edges) expect(seen.has(e.source) && seen.has(e.target)).toBe(true);
}

describe('windowFlow', () => {
  it('leaves a small drawing alone', () => {
    const small = flowOf(benchCluster(10), 'detail', null, true);
    expect(small.nodes.length).toBeLessThanOrEqual(WINDOW_ABOVE);
    expect(windowFlow(small, '')).toBe(small);
  });

  it('keeps every box and only the insides of the open ones, the same objects', () => {
    const open = boxesInView(detail, { x: 0, y: 0, zoom: 0.7 }, 1366, 768);
    const boxes = open.split(' ');
    expect(boxes.length).toBeGreaterThan(0);
    expect(boxes.length).toBeLessThan(big.nodes.length);
    const w = windowFlow(detail, open);
    wellFormed(w);
    expect(w.nodes.filter((n) => !n.parentId).length).toBe(detail.nodes.filter((n) => !n.parentId).length);
    expect(w.nodes.every((n) => !n.parentId || boxes.includes(n.parentId))).toBe(true);
    // The drawing's own nodes; a node box with its handle declared (React Flow need not draw it to measure it).
    for (const n of w.nodes) {
      if (n.type !== 'k8sNode') expect(detail.nodes).toContain(n);
      else {
        const { handles, measured, ...rest } = n;
        expect(detail.nodes).toContainEqual(rest);
        expect(measured).toEqual({ width: n.width, height: n.height });
        expect(handles).toEqual([{ id: 'up', type: 'source', position: 'top', x: n.width! / 2 - 3, y: -2, width: 6, height: 6 }]);
      }
    }
    expect(w.nodes.length).toBeLessThan(detail.nodes.length / 3);
    // The same window is the same arrays (React Flow then has nothing to adopt).
    expect(windowFlow(detail, open)).toBe(w);
  });

  it('draws no edge from a closed box across the drawing', () => {
    // An overview box's edge to the node network: hand-made, as the overview of 1,000 pods has only 18 boxes (not windowed).
    expect(overview.nodes.length).toBeLessThanOrEqual(WINDOW_ABOVE);
    expect(windowFlow(overview, '')).toBe(overview);
    const many: Flow = { nodes: [...overview.nodes, ...detail.nodes.filter((n) => n.parentId).slice(0, WINDOW_ABOVE)], edges: overview.edges };
    const open = 'node:worker-1 node:worker-2';
    const w = windowFlow(many, open);
    wellFormed(w);
    expect(w.edges.map((e) => e.source).sort()).toEqual(['node:worker-1', 'node:worker-2']);
  });

  it('is, for any open boxes, the whole drawing filtered: children of open boxes, edges between drawn ends none of which is a closed box, in order', () => {
    const boxIds = detail.nodes.filter((n) => !n.parentId && (n.type === 'k8sNode' || n.type === 'pending')).map((n) => n.id);
    // The definition, over every node and edge.
    const filtered = (open: Set<string>): Flow => {
      const drawn = new Set<string>();
      const nodes = detail.nodes.filter((n) => !n.parentId || open.has(n.parentId));
      for (const n of nodes) if (n.parentId || !boxIds.includes(n.id) || open.has(n.id)) drawn.add(n.id);
      return { nodes, edges: detail.edges.filter((e) => drawn.has(e.source) && drawn.has(e.target)) };
    };
    fc.assert(
      fc.property(fc.subarray(boxIds, { maxLength: Math.min(40, boxIds.length) }), fc.boolean(), (open, withOther) => {
        const ids = withOther ? [...open, 'svc/default/web', 'node:nowhere'] : open;
        const w = windowFlow(detail, joinIds(ids.sort().join(' '), ''));
        const want = filtered(new Set(ids));
        expect(w.nodes.map((n) => n.id)).toEqual(want.nodes.map((n) => n.id));
        expect(w.edges.map((e) => e.id)).toEqual(want.edges.map((e) => e.id));
        wellFormed(w);
      }),
      { numRuns: 40 },
    );
  });

  it('opens what the camera sees: a box in the middle of the screen is open', () => {
    const box = detail.nodes.find((n) => n.id === 'node:worker-5')!;
    const zoom = 0.7;
    const t = { x: 683 - (box.position.x + 100) * zoom, y: 384 - (box.position.y + 100) * zoom, zoom };
    expect(boxesInView(detail, t, 1366, 768).split(' ')).toContain('node:worker-5');
    expect(joinIds('node:a node:c', 'node:b node:a')).toBe('node:a node:b node:c');
  });
});

describe('partialFlow', () => {
  it('adds new nodes a step at a time, parents first, until the whole drawing is there', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 60 }), (step, drawnBoxes) => {
        // Some boxes already drawn (with their insides), the rest new.
        const w = windowFlow(detail, boxesInView(detail, { x: 0, y: 0, zoom: 0.7 }, 1366, 768));
        const drawn = new Set(w.nodes.filter((n) => !n.parentId).slice(0, drawnBoxes).map((n) => n.id));
        let fresh = step;
        let last = -1;
        for (;;) {
          const part = partialFlow(w, drawn, fresh);
          wellFormed(part.flow);
          const added = part.flow.nodes.filter((n) => !drawn.has(n.id)).length;
          expect(added).toBeLessThanOrEqual(fresh);
          expect(added).toBeGreaterThan(last);
          last = added;
          if (!part.rest) {
            expect(part.flow).toBe(w);
            break;
          }
          expect(added + part.rest).toBe(freshCount(w, drawn));
          fresh += step;
        }
      }),
      { numRuns: 20 },
    );
  });

  it('draws at once what brings few new nodes', () => {
    const w = windowFlow(detail, '');
    const all = ids(w);
    expect(partialFlow(w, all, STEP_NODES)).toEqual({ flow: w, rest: 0 });
  });
});

describe('countText', () => {
  it('writes a count as en-US toLocaleString does', () => {
    fc.assert(fc.property(fc.nat(), (n) => countText(n) === n.toLocaleString('en-US')));
    expect(countText(10_000)).toBe('10,000');
  });
});
