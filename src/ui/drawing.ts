/**
 * The drawing engine (drawingChunk.ts) once it is here, and what stands in for it before: the
 * drawings and trace targets of the built-in demo, made at build time with the same code. The
 * canvas and the trace form ask here; until the chunk arrives, a cluster without built-in
 * drawings draws nothing (the demo is the only cluster the first paint has; every other way to
 * a cluster — a saved or shared scenario, an edit, a lesson — waits for the chunk), and the
 * components that asked re-render when it arrives (useDrawingReady).
 */
import { useSyncExternalStore } from 'react';
import type { Cluster } from '../engine/model/cluster';
import type { Flow } from './toFlow';
import type { ServiceTarget } from './state/targets';

export type DrawingEngine = Pick<typeof import('./drawingChunk'), 'networkOf' | 'servicesOfCluster'>;

/** What the build made of the demo (vite.config.ts): its drawings by flowKey, and its trace targets. */
export interface BuiltInDrawing {
  views: Record<string, Flow>;
  targets: ServiceTarget[];
}

let engine: DrawingEngine | null = null;
let loading: Promise<DrawingEngine> | null = null;
const listeners = new Set<() => void>();
const builtIn = new WeakMap<Cluster, BuiltInDrawing>();

export function drawingEngine(): DrawingEngine | null {
  return engine;
}

/** Hand over the engine (the page once the chunk is here; the worker and tests at once). */
export function attachDrawing(e: DrawingEngine): void {
  if (engine === e) return;
  engine = e;
  for (const f of listeners) f();
}

/** Fetch the chunk (once; a failed fetch is tried again by the next call). */
export function loadDrawing(): Promise<DrawingEngine> {
  if (engine) return Promise.resolve(engine);
  loading ??= import('./drawingChunk').then(
    (m) => {
      attachDrawing(m);
      return m;
    },
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/** The build's drawings of this very cluster object (the decoded demo). */
export function rememberBuiltInDrawing(cluster: Cluster, drawn: BuiltInDrawing): void {
  builtIn.set(cluster, drawn);
}

export function builtInDrawing(cluster: Cluster): BuiltInDrawing | undefined {
  return builtIn.get(cluster);
}

/** True once the engine is here: a component that drew a stand-in renders again then. */
export function useDrawingReady(): boolean {
  return useSyncExternalStore(
    (f) => {
      listeners.add(f);
      return () => listeners.delete(f);
    },
    () => engine !== null,
    () => engine !== null,
  );
}
