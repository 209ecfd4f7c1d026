/**
 * Windowing a big drawing: what React Flow is handed for a cluster of hundreds of nodes. Every
 * top-level box (node boxes, the node network, Services, the Pending tray) is always drawn, so
 * the minimap, Fit all and the geometry stay whole; the insides of a box (its devices and pods)
 * and the edges that reach into it only while the box is on or near the screen, or holds what
 * the current trace visits. A 1,000-node / 10,000-pod cluster then gives React Flow ~1,000
 * boxes and the few hundred devices and pods in view instead of 20,000 nodes (each of which
 * React Flow and its minimap would track and subscribe to on every pan frame).
 *
 * Pure functions over the derived drawing: nodes keep their identity (React Flow skips an
 * unchanged node only when it is the same object, xyflow packages/system/src/utils/store.ts
 * adoptUserNodes), and a window that did not change gives the same arrays.
 */
import type { Flow, FlowNode } from '../toFlow';

/** Drawings with more nodes than this are windowed (the same threshold turns on React Flow's onlyRenderVisibleElements). */
export const WINDOW_ABOVE = 400;

export interface Transform {
  x: number;
  y: number;
  zoom: number;
}

interface Box {
  id: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The boxes that hold things (node boxes, the Pending tray), in flow coordinates (cached per drawing). */
const boxesOf = new WeakMap<Flow, Box[]>();

function parentBoxes(flow: Flow): Box[] {
  let boxes = boxesOf.get(flow);
  if (boxes) return boxes;
  boxes = [];
  for (const n of flow.nodes) {
    if (n.parentId || (n.type !== 'k8sNode' && n.type !== 'pending')) continue;
    boxes.push({ id: n.id, x0: n.position.x, y0: n.position.y, x1: n.position.x + (n.width ?? 0), y1: n.position.y + (n.height ?? 0) });
  }
  boxesOf.set(flow, boxes);
  return boxes;
}

/**
 * The boxes that meet the screen grown by `margin` of its size on each side,
 * as sorted ids joined by spaces (a primitive, so a React Flow store selector can return it and
 * re-render only when the set changes).
 */
export function boxesInView(flow: Flow, t: Transform, width: number, height: number, margin = 0.5): string {
  if (!width || !height || !(t.zoom > 0)) return '';
  const x0 = (-t.x - width * margin) / t.zoom;
  const y0 = (-t.y - height * margin) / t.zoom;
  const x1 = (-t.x + width * (1 + margin)) / t.zoom;
  const y1 = (-t.y + height * (1 + margin)) / t.zoom;
  const ids: string[] = [];
  for (const b of parentBoxes(flow)) if (b.x1 >= x0 && b.x0 <= x1 && b.y1 >= y0 && b.y0 <= y1) ids.push(b.id);
  return ids.sort().join(' ');
}

const windows = new WeakMap<Flow, Map<string, Flow>>();

/**
 * The drawing with only the insides of the `open` boxes (ids joined by spaces): every top-level
 * node, the children of open boxes, and the edges whose two ends are drawn and do not end on a
 * closed box (a closed box's edge to the node network would cross the whole drawing for nothing).
 * Small drawings come back unchanged.
 */
export function windowFlow(flow: Flow, open: string): Flow {
  if (flow.nodes.length <= WINDOW_ABOVE) return flow;
  let byOpen = windows.get(flow);
  if (!byOpen) windows.set(flow, (byOpen = new Map()));
  const hit = byOpen.get(open);
  if (hit) return hit;
  const opened = new Set(open ? open.split(' ') : []);
  const closed = new Set(parentBoxes(flow).map((b) => b.id).filter((id) => !opened.has(id)));
  const nodes: FlowNode[] = [];
  const drawn = new Set<string>();
  for (const n of flow.nodes) {
    if (n.parentId && !opened.has(n.parentId)) continue;
    nodes.push(n);
    if (!closed.has(n.id)) drawn.add(n.id);
  }
  const edges = flow.edges.filter((e) => drawn.has(e.source) && drawn.has(e.target));
  const out = { nodes, edges };
  // A handful of windows per drawing: the last few places the camera was.
  if (byOpen.size >= 8) byOpen.delete(byOpen.keys().next().value!);
  byOpen.set(open, out);
  return out;
}

/** `a` and `b` (space-joined id sets) merged, sorted, without repeats. */
export function joinIds(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return [...new Set([...a.split(' '), ...b.split(' ')])].sort().join(' ');
}
