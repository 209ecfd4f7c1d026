/**
 * A pod added to a node makes its box taller; near the bottom of the canvas the box (and the
 * new pod) went off screen (issue 13 point 9). After a change that adds pods, the camera pans —
 * never zooms, that is the fit's business — just enough to bring the grown node box's bottom
 * back into view, keeping its top visible (a box taller than the canvas keeps its top).
 * A node added by the user (＋ Node, kubectl) is placed at the right end of the row, often past
 * the canvas' right edge on a laptop: the camera pans sideways the same way to show it.
 */
import { useEffect } from 'react';
import { useReactFlow, useStore as useFlowStore } from '@xyflow/react';
import type { Cluster } from '../../engine/model/cluster';
import { flowIds } from '../toFlow';
import { useAppStoreApi } from '../StoreContext';
import { panToShow } from './panToShow';

export function KeepGrownNodeInView() {
  const store = useAppStoreApi();
  const flow = useReactFlow();
  const height = useFlowStore((s) => s.height);
  const width = useFlowStore((s) => s.width);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = store.subscribe((s, prev) => {
      if (!s.cluster || !prev.cluster || s.cluster === prev.cluster) return;
      const grown = grownNodes(prev.cluster, s.cluster);
      const added = addedNodes(prev.cluster, s.cluster);
      if (!grown.length && !added.length) return;
      clearTimeout(timer);
      // After React Flow has measured the new layout.
      timer = setTimeout(() => {
        const vp = flow.getViewport();
        for (const box of added.map((n) => flow.getInternalNode(flowIds.node(n))).filter((n) => n !== undefined)) {
          const left = box.internals.positionAbsolute.x;
          const x = panToShow({ top: left, bottom: left + (box.measured.width ?? 0) }, { y: vp.x, zoom: vp.zoom }, width);
          if (x !== vp.x) {
            void flow.setViewport({ ...vp, x }, { duration: 200 });
            return;
          }
        }
        const boxes = grown.map((n) => flow.getInternalNode(flowIds.node(n))).filter((n) => n !== undefined);
        for (const box of boxes) {
          const y = panToShow({ top: box.internals.positionAbsolute.y, bottom: box.internals.positionAbsolute.y + (box.measured.height ?? 0) }, vp, height);
          if (y !== vp.y) {
            void flow.setViewport({ ...vp, y }, { duration: 200 });
            return;
          }
        }
      }, 50);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [store, flow, height, width]);
  return null;
}

/**
 * Nodes of the previous cluster that hold a pod it did not have — after an edit that adds a few
 * pods (a drop, `kubectl run`, a scale), not a new scenario, whose camera the fit decides.
 */
function grownNodes(prev: Cluster, next: Cluster): string[] {
  const out = new Set<string>();
  let added = 0;
  for (const [key, pod] of next.pods) {
    if (prev.pods.has(key) || !pod.nodeName) continue;
    if (++added > MAX_ADDED) return [];
    if (prev.nodes.some((n) => n.meta.name === pod.nodeName)) out.add(pod.nodeName);
  }
  return [...out];
}

const MAX_ADDED = 10;

/** Nodes an edit added (one or two at a time: a new scenario's camera is the fit's business). */
function addedNodes(prev: Cluster, next: Cluster): string[] {
  const before = new Set(prev.nodes.map((n) => n.meta.name));
  const added = next.nodes.filter((n) => !before.has(n.meta.name)).map((n) => n.meta.name);
  return added.length <= 2 && next.nodes.length > added.length ? added : [];
}
