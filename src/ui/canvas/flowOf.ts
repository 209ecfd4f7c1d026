/**
 * The drawing of a cluster at a semantic level, made once per cluster and view (the network and
 * Services behind it are the engine's, cached per cluster there too). The canvas's provider and
 * the canvas ask for the same drawing and get the same object.
 */
import { networkOf } from '../../engine/cni/network';
import type { Cluster } from '../../engine/model/cluster';
import { toFlow, type Flow, type SemanticLevel } from '../toFlow';
import { servicesOfCluster } from './serviceTable';

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
    flow = toFlow(cluster, networkOf(cluster), { level, services: servicesOfCluster(cluster), focusService, foldSystem, keep: new Set(keep ? keep.split(' ') : []) });
    byView.set(key, flow);
  }
  return flow;
}

/** The cache key of a view of a cluster's drawing. */
export function flowKey(level: SemanticLevel, focusService: string | null, foldSystem: boolean, keep: string): string {
  return `${level}|${focusService ?? ''}|${foldSystem ? 'fold' : 'all'}|${keep}`;
}

/** Remember a drawing derived elsewhere (the engine worker, state/offThread.ts) from this very cluster. */
export function seedFlow(cluster: Cluster, key: string, flow: Flow): void {
  let byView = drawings.get(cluster);
  if (!byView) drawings.set(cluster, (byView = new Map()));
  byView.set(key, flow);
}
