/**
 * The demo's drawings made at build time (vite.config.ts builtInScenario, the `?scenario`
 * import) are the drawings the page would make, and the page before the drawing engine's chunk
 * is here: the demo drawn from them, any other cluster a stand-in, not cached, until it arrives.
 */
import { describe, expect, it, vi } from 'vitest';
import demo from '../scenarios/demo.yaml?scenario';
import { loadCluster } from '../engine/load';
import { BUILT_IN_VIEWS } from './builtInDrawing';
import { flowKey, flowOf } from './canvas/flowOf';
import { decodeCluster } from './state/clusterCopy';
import { serviceTargets } from './state/targets';
import './testing/drawingEngine';

const json = <T,>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('the demo drawn at build time', () => {
  it('holds every view the canvas opens on, each the drawing the page makes of the decoded demo', () => {
    const cluster = decodeCluster(json(demo.cluster));
    expect(Object.keys(demo.drawn.views).sort()).toEqual(BUILT_IN_VIEWS.map((v) => flowKey(v.level, null, v.foldSystem, '')).sort());
    for (const { level, foldSystem } of BUILT_IN_VIEWS) {
      const made = json(flowOf(cluster, level, null, foldSystem, ''));
      expect(made.nodes.length).toBeGreaterThan(level === 'detail' ? 10 : 3);
      expect(demo.drawn.views[flowKey(level, null, foldSystem, '')]).toEqual(made);
    }
    expect(demo.drawn.targets).toEqual(json(serviceTargets(cluster)));
    expect(demo.drawn.targets.map((t) => t.label)).toContain('svc default/web (10.96.48.223:80/TCP)');
  });
});

describe('before the drawing engine is here', () => {
  it('draws the demo from the build, any other view a stand-in until the engine arrives', async () => {
    // Fresh modules: the engine is attached to the others (testing/drawingEngine.ts).
    vi.resetModules();
    const drawing = await import('./drawing');
    const flows = await import('./canvas/flowOf');
    const targets = await import('./state/targets');
    expect(drawing.drawingEngine()).toBeNull();

    const cluster = decodeCluster(json(demo.cluster));
    drawing.rememberBuiltInDrawing(cluster, demo.drawn);
    for (const [key, flow] of Object.entries(demo.drawn.views)) flows.seedFlow(cluster, key, flow);
    const seeded = demo.drawn.views[flowKey('detail', null, true, '')];
    expect(flows.flowOf(cluster, 'detail', null, true)).toBe(seeded);
    expect(targets.serviceTargets(cluster)).toBe(demo.drawn.targets);

    // A selected Service's edges need the engine: meanwhile the same level's drawing stands in.
    expect(flows.flowOf(cluster, 'detail', 'default/web', true)).toBe(seeded);
    // A cluster the build did not draw: nothing yet.
    const other = loadCluster([{ name: 'scenario.yaml', text: demo.text.replace('name: web\n  namespace: default\n  labels', 'name: api\n  namespace: default\n  labels') }]);
    expect(other.ok).toBe(true);
    if (!other.ok) return;
    expect(flows.flowOf(other.value, 'detail', null, true).nodes).toEqual([]);
    expect(targets.serviceTargets(other.value)).toEqual([]);

    // Asking fetched the engine; once here, the real drawings (the stand-ins were not kept).
    await drawing.loadDrawing();
    expect(drawing.drawingEngine()).not.toBeNull();
    const focused = flows.flowOf(cluster, 'detail', 'default/web', true);
    expect(focused).not.toBe(seeded);
    expect(focused.edges.length).toBeGreaterThan(seeded.edges.length);
    expect(flows.flowOf(other.value, 'detail', null, true).nodes.some((n) => n.id === 'pod:default/client')).toBe(true);
    expect(targets.serviceTargets(other.value).some((t) => t.label.startsWith('svc default/web '))).toBe(true);
  });
});
