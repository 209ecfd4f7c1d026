/**
 * The drawing of a cluster at a semantic level, made once per cluster and view (the network and
 * Services behind it are the engine's, cached per cluster there too). The canvas's provider and
 * the canvas ask for the same drawing and get the same object.
 *
 * The engine parts a drawing needs (every CNI plugin's code, the Service table) are a chunk of
 * their own (ui/drawing.ts): the demo's first drawings are made at build time and seeded here,
 * so the first paint needs none of it. A drawing asked for before the chunk is here is a stand-in
 * (the same level's seeded drawing of that cluster, or nothing), not cached: the canvas renders
 * again when the chunk arrives.
 */
import type { Cluster } from '../../engine/model/cluster';
import { drawingEngine, loadDrawing, type DrawingEngine } from '../drawing';
import { toFlow, type Flow, type SemanticLevel } from '../toFlow';

const EMPTY: Flow = { nodes: [], edges: [] };

const drawings = new WeakMap<Cluster, Map<string, Flow>>();

/**
 * `foldSystem` leaves the system pods out (a count per node instead); `keep` lists pods (flow
 * ids, sorted and joined with spaces: a cache key as well) drawn whatever the level or folding.
 */
export function flowOf(cluster: Cluster | null, level: SemanticLevel, focusService: string | null, foldSystem = false, keep = ''): Flow {
  if (!cluster) return EMPTY;
  let byView = drawings.get(cluster);
  if (!byView) drawings.set(cluster, (byView = new Map()));
  const key = flowKey(level, focusService, foldSystem, keep);
  let flow = byView.get(key);
  if (!flow) {
    const engine = drawingEngine();
    if (!engine) {
      loadDrawing().catch(() => undefined);
      return byView.get(flowKey(level, null, foldSystem, '')) ?? EMPTY;
    }
    flow = drawFlow(engine, cluster, level, focusService, foldSystem, keep);
    byView.set(key, flow);
  }
  return flow;
}

/** A drawing made afresh (flowOf's, uncached; the build's of the demo, vite.config.ts). */
export function drawFlow(engine: DrawingEngine, cluster: Cluster, level: SemanticLevel, focusService: string | null, foldSystem: boolean, keep: string): Flow {
  return toFlow(cluster, engine.networkOf(cluster), { level, services: engine.servicesOfCluster(cluster), focusService, foldSystem, keep: new Set(keep ? keep.split(' ') : []) });
}

/** The cache key of a view of a cluster's drawing. */
export function flowKey(level: SemanticLevel, focusService: string | null, foldSystem: boolean, keep: string): string {
  return `${level}|${focusService ?? ''}|${foldSystem ? 'fold' : 'all'}|${keep}`;
}

/** Remember a drawing derived elsewhere (the engine worker, state/offThread.ts; the build, main.tsx) from this very cluster. */
export function seedFlow(cluster: Cluster, key: string, flow: Flow): void {
  let byView = drawings.get(cluster);
  if (!byView) drawings.set(cluster, (byView = new Map()));
  byView.set(key, flow);
}
