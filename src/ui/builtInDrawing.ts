/**
 * The demo's drawings and trace targets, made at build time (vite.config.ts builtInScenario) by
 * the code the page runs, from the cluster as the page decodes it: the first paint draws them
 * (main.tsx seeds them) before the drawing engine's chunk is here (ui/drawing.ts).
 */
import type { EncodedCluster } from './state/clusterCopy';
import { decodeCluster } from './state/clusterCopy';
import * as engine from './drawingChunk';
import type { BuiltInDrawing } from './drawing';
import { drawFlow, flowKey } from './canvas/flowOf';
import { serviceTargetsOf } from './state/targets';
import type { SemanticLevel } from './toFlow';

/** Every view the canvas can open on without a trace or a selected Service: both levels, system pods folded or shown. */
export const BUILT_IN_VIEWS: { level: SemanticLevel; foldSystem: boolean }[] = [
  { level: 'detail', foldSystem: true },
  { level: 'detail', foldSystem: false },
  { level: 'overview', foldSystem: true },
  { level: 'overview', foldSystem: false },
];

export function drawBuiltIn(encoded: EncodedCluster): BuiltInDrawing {
  const cluster = decodeCluster(encoded);
  const views: BuiltInDrawing['views'] = {};
  for (const { level, foldSystem } of BUILT_IN_VIEWS) views[flowKey(level, null, foldSystem, '')] = drawFlow(engine, cluster, level, null, foldSystem, '');
  return { views, targets: serviceTargetsOf(cluster, engine.servicesOfCluster(cluster)) };
}
