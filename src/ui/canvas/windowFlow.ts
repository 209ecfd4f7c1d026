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
import type { Position } from '@xyflow/react';
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
 * A drawing sorted by what must be open for each part to be drawn (made once per drawing), so a
 * window costs the boxes' count and the open boxes' insides, not the 20,000 nodes of the whole.
 * Positions in the drawing's arrays, ascending.
 */
export interface WindowIndex {
  /** Top-level nodes: always drawn. */
  top: number[];
  /** Node boxes, by position: React Flow gets them with their handle declared (see `declared`). */
  boxes: number[];
  /** Nodes inside each parent: drawn when it is open. */
  kids: Map<string, number[]>;
  /** Edges between always-drawn nodes that are not boxes. */
  free: number[];
  /** The other edges, under one of the ids that must be open for them (`needs`). */
  edges: Map<string, number[]>;
  needs: Map<number, string[]>;
}

const indexes = new WeakMap<Flow, WindowIndex>();

/** Remember the index of a drawing made elsewhere (the engine worker, state/offThread.ts) for this very drawing. */
export function seedWindowIndex(flow: Flow, ix: WindowIndex): void {
  indexes.set(flow, ix);
}

/** The index windowFlow cuts a big drawing's windows from (made once per drawing); undefined for a drawing too small to be windowed. */
export function windowIndex(flow: Flow): WindowIndex | undefined {
  return flow.nodes.length > WINDOW_ABOVE ? indexOf(flow) : undefined;
}

function indexOf(flow: Flow): WindowIndex {
  let ix = indexes.get(flow);
  if (ix) return ix;
  ix = { top: [], boxes: [], kids: new Map(), free: [], edges: new Map(), needs: new Map() };
  const boxes = new Set(parentBoxes(flow).map((b) => b.id));
  // What must be open for an edge's end to be drawn and not be a closed box: null when nothing.
  const need = new Map<string, string | null>();
  flow.nodes.forEach((n, i) => {
    if (n.parentId) {
      const list = ix!.kids.get(n.parentId);
      if (list) list.push(i);
      else ix!.kids.set(n.parentId, [i]);
      need.set(n.id, n.parentId);
    } else {
      ix!.top.push(i);
      if (n.type === 'k8sNode') ix!.boxes.push(i);
      need.set(n.id, boxes.has(n.id) ? n.id : null);
    }
  });
  flow.edges.forEach((e, i) => {
    const a = need.get(e.source);
    const b = need.get(e.target);
    if (a === undefined || b === undefined) return; // an end that is not in the drawing: never drawn
    const needs = [...new Set([a, b].filter((x): x is string => x !== null))];
    if (!needs.length) return ix!.free.push(i);
    const list = ix!.edges.get(needs[0]);
    if (list) list.push(i);
    else ix!.edges.set(needs[0], [i]);
    if (needs.length > 1) ix!.needs.set(i, needs);
  });
  indexes.set(flow, ix);
  return ix;
}

/**
 * A node box as React Flow gets it in a big drawing: measured at its given size, with its one
 * handle declared (KubeNode.tsx: a 6 px source handle, id `up`, centred on the top border,
 * styles.css .flow-handle). React Flow draws every node it has no handle bounds for once, to
 * measure it, even with onlyRenderVisibleElements (xyflow packages/system/src/utils/graph.ts
 * getNodesInside, `forceInitialRender`): 1,000 boxes off screen would each be put in the page
 * and taken out again. Without `measured`, fitView would wait for them forever (adoptUserNodes'
 * nodesInitialized). A box that comes on screen is measured as usual (React Flow's node
 * ResizeObserver forces it) and the measured handle replaces this one.
 */
const declaredBoxes = new WeakMap<FlowNode, FlowNode>();

function declared(n: FlowNode): FlowNode {
  let d = declaredBoxes.get(n);
  if (!d) {
    const w = n.width ?? 0;
    d = { ...n, measured: { width: w, height: n.height ?? 0 }, handles: [{ id: 'up', type: 'source', position: 'top' as Position, x: w / 2 - 3, y: -2, width: 6, height: 6 }] };
    declaredBoxes.set(n, d);
  }
  return d;
}

/** Ascending position lists merged (each ascending, no position in two lists). */
function merged(lists: number[][]): number[] {
  const out = lists.length === 1 ? lists[0].slice() : lists.flat();
  return lists.length === 1 ? out : out.sort((a, b) => a - b);
}

/**
 * The drawing with only the insides of the `open` boxes (ids joined by spaces): every top-level
 * node, the children of open boxes, and the edges whose two ends are drawn and do not end on a
 * closed box (a closed box's edge to the node network would cross the whole drawing for nothing).
 * Nodes and edges keep the drawing's order. Small drawings come back unchanged.
 */
export function windowFlow(flow: Flow, open: string): Flow {
  if (flow.nodes.length <= WINDOW_ABOVE) return flow;
  let byOpen = windows.get(flow);
  if (!byOpen) windows.set(flow, (byOpen = new Map()));
  const hit = byOpen.get(open);
  if (hit) return hit;
  const opened = new Set(open ? open.split(' ') : []);
  const ix = indexOf(flow);
  const nodeLists = [ix.top];
  const edgeLists = [ix.free];
  for (const id of opened) {
    const kids = ix.kids.get(id);
    if (kids) nodeLists.push(kids);
    const edges = ix.edges.get(id);
    if (edges) edgeLists.push(edges.filter((i) => ix.needs.get(i)?.every((x) => opened.has(x)) ?? true));
  }
  const boxes = new Set(ix.boxes);
  const out = { nodes: merged(nodeLists).map((i) => (boxes.has(i) ? declared(flow.nodes[i]) : flow.nodes[i])), edges: merged(edgeLists).map((i) => flow.edges[i]) };
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
