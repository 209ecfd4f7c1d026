/**
 * Drawing in steps: when a drawing brings many nodes React Flow has not drawn yet (a big
 * cluster opened, the camera crossing to the detail level), they are handed over a batch at a
 * time, one batch per frame, so no single render-and-commit holds the main thread for long and
 * the page answers input meanwhile (issue 13 point 11). Nodes already drawn stay; parents come
 * before their children (React Flow's sub-flow rule), and an edge is drawn once both its ends are.
 */
import type { Flow, FlowNode } from '../toFlow';

/**
 * New nodes per step. Off-screen node boxes cost React Flow little (their size and handle are
 * given, windowFlow.ts); the devices and pods of the boxes near the screen are each put in the
 * page to be measured, and with them every drawn node's store selector runs again per
 * measurement, so a step's cost grows faster than its size.
 */
export const STEP_NODES = 80;

/**
 * The part of `flow` to draw now: every node of `drawn` (the ids drawn last time) that is still
 * in it, plus the first `fresh` nodes not in it (and never a child before its parent). `rest`
 * counts the new nodes left for later steps.
 */
export function partialFlow(flow: Flow, drawn: ReadonlySet<string>, fresh: number): { flow: Flow; rest: number } {
  const nodes: FlowNode[] = [];
  const ids = new Set<string>();
  let added = 0;
  let rest = 0;
  for (const n of flow.nodes) {
    const old = drawn.has(n.id);
    if (n.parentId && !ids.has(n.parentId)) {
      if (!old) rest++;
      continue;
    }
    if (!old) {
      if (added >= fresh) {
        rest++;
        continue;
      }
      added++;
    }
    nodes.push(n);
    ids.add(n.id);
  }
  if (!rest) return { flow, rest };
  return { flow: { nodes, edges: flow.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) }, rest };
}

/** How many of `flow`'s nodes are not in `drawn`. */
export function freshCount(flow: Flow, drawn: ReadonlySet<string>): number {
  let n = 0;
  for (const node of flow.nodes) if (!drawn.has(node.id)) n++;
  return n;
}

/**
 * A count as en-US writes it (10,000): what the drawing note shows at every step. Written out
 * rather than with toLocaleString, whose first call loads the locale data (~10 ms) in the very
 * task that shows a big cluster.
 */
export function countText(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
