/**
 * A deterministic stand-in for kube-scheduler and for the kubelet's admission, enough for a simulator:
 * - pods are taken in creation order; a pod with spec.nodeName never meets the scheduler: its
 *   node's kubelet admits it while the node has room (kubelet --max-pods, NodeRec.capacityPods,
 *   default 110), else rejects it: phase Failed, reason `OutOfpods` (pkg/kubelet/kubelet.go
 *   rejectPod, lifecycle/predicate.go InsufficientResourceError);
 * - a pod without a node (and not terminated) is placed on a node that passes the static filters
 *   (nodeFit.ts: cordon, taints, nodeSelector / required node affinity) and has room; among
 *   those the one with the fewest pods wins, node order breaking ties (a simplification of the
 *   default NodeResourcesBalancedAllocation/PodTopologySpread scoring that spreads replicas the
 *   way a real cluster usually ends up);
 * - a pod no node fits stays Pending without a node, with the scheduler's FailedScheduling
 *   text (pkg/scheduler/framework/types.go FitError.Error) as its PodScheduled condition message.
 * Linear in pods × log(nodes): pods sharing their scheduling constraints share one lazy min-heap
 * of the nodes that pass the static filters (built once per distinct set of constraints).
 */
import type { PodStatusDetail, Taint } from '../model/cluster';
import { failedScheduling } from './messages';
import { staticMisfit, type FitNode } from './nodeFit';
import type { PodDecl } from './types';

export interface SchedNode extends FitNode {
  capacityPods: number;
  podCount: number;
}

const TOO_MANY_PODS = 'Too many pods';
const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_VICTIMS = 'No preemption victims found for incoming pod';
/** pkg/scheduler/schedule_one.go ErrNoNodesAvailable. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** Binary min-heap of node indexes keyed by (count at push time, index). Entries go stale when the count changes. */
class NodeHeap {
  private keys: number[] = [];
  private idx: number[] = [];

  push(count: number, index: number): void {
    let i = this.keys.length;
    this.keys.push(count);
    this.idx.push(index);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  peek(): { count: number; index: number } | undefined {
    return this.keys.length ? { count: this.keys[0], index: this.idx[0] } : undefined;
  }

  pop(): void {
    const last = this.keys.length - 1;
    this.swap(0, last);
    this.keys.pop();
    this.idx.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.keys.length && this.less(l, m)) m = l;
      if (r < this.keys.length && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  private less(a: number, b: number): boolean {
    return this.keys[a] < this.keys[b] || (this.keys[a] === this.keys[b] && this.idx[a] < this.idx[b]);
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a];
    this.keys[a] = this.keys[b];
    this.keys[b] = k;
    const i = this.idx[a];
    this.idx[a] = this.idx[b];
    this.idx[b] = i;
  }
}

/** Nodes that pass one set of scheduling constraints, with the reasons of those that do not. */
interface Group {
  heap: NodeHeap;
  /** Static reasons of the nodes that fail, counted (FitError's histogram). */
  reasons: Map<string, number>;
  feasible: number;
  message?: string;
}

/**
 * A stable key of what the static filters read; '' for a pod with no constraints. The pods of
 * one workload share their template's objects and come one after another: the last key is reused.
 */
function constraintKeys(): (pod: PodDecl) => string {
  let last: [PodDecl['tolerations'], PodDecl['nodeSelector'], PodDecl['nodeAffinity'], string] | undefined;
  return (pod) => {
    if (!pod.tolerations && !pod.nodeSelector && !pod.nodeAffinity) return '';
    if (last && last[0] === pod.tolerations && last[1] === pod.nodeSelector && last[2] === pod.nodeAffinity) return last[3];
    const key = JSON.stringify([pod.tolerations ?? null, pod.nodeSelector ?? null, pod.nodeAffinity ?? null]);
    last = [pod.tolerations, pod.nodeSelector, pod.nodeAffinity, key];
    return key;
  };
}

/** kubelet admission's message for a pod beyond max-pods (predicate.go InsufficientResourceError). */
export const outOfPodsMessage = (used: number, capacity: number) => `Node didn't have enough resource: pods, requested: 1, used: ${used}, capacity: ${capacity}`;

/** The state of a pod the kubelet rejected for lack of pod slots (kubelet.go rejectPod: "Pod was rejected: " + message). */
export function outOfPods(used: number, capacity: number): PodStatusDetail {
  return { display: 'OutOfpods', reason: 'OutOfpods', message: `Pod was rejected: ${outOfPodsMessage(used, capacity)}` };
}

/** The state of a pod the scheduler cannot place (PodScheduled=False, reason Unschedulable). */
export const unschedulableStatus = (message: string): PodStatusDetail => ({ display: 'Pending', reason: 'Unschedulable', message });

/** scheduleInPlace on copies of the pods (the input is not changed). */
export function schedulePods(pods: PodDecl[], nodes: SchedNode[]): PodDecl[] {
  const copies = pods.map((p) => ({ ...p }));
  scheduleInPlace(copies, nodes);
  return copies;
}

/**
 * Places the pods the caller owns, in place: sets nodeName (and `scheduled`) on the pods it
 * places, Pending + `status` on those it cannot, Failed + OutOfpods on the nodeName-bound pods
 * their kubelet rejects. `nodes[].podCount` is what each node held before these pods. Returns
 * how many pods were left unplaced or rejected.
 */
export function scheduleInPlace(pods: PodDecl[], nodes: SchedNode[]): number {
  const counts = nodes.map((n) => n.podCount);
  const groups = new Map<string, Group>();
  const groupFor = (pod: PodDecl, key: string): Group => {
    let g = groups.get(key);
    if (g) return g;
    g = { heap: new NodeHeap(), reasons: new Map(), feasible: 0 };
    for (let i = 0; i < nodes.length; i++) {
      const why = staticMisfit(pod, nodes[i]);
      if (why === undefined) {
        g.heap.push(counts[i], i);
        g.feasible++;
      } else g.reasons.set(why, (g.reasons.get(why) ?? 0) + 1);
    }
    groups.set(key, g);
    return g;
  };
  const best = (heap: NodeHeap): number | undefined => {
    for (;;) {
      const top = heap.peek();
      if (!top) return undefined;
      const i = top.index;
      if (top.count !== counts[i]) {
        heap.pop(); // stale: the node took pods since; back in with its count
        heap.push(counts[i], i);
        continue;
      }
      if (counts[i] >= nodes[i].capacityPods) {
        heap.pop(); // full for good: counts only grow
        continue;
      }
      return i;
    }
  };
  const indexOf = new Map(nodes.map((n, i) => [n.name, i]));
  const constraintKey = constraintKeys();
  let stuck = 0;
  for (const pod of pods) {
    if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
    if (pod.nodeName !== '') {
      const i = indexOf.get(pod.nodeName);
      if (i === undefined) continue;
      if (counts[i] >= nodes[i].capacityPods) {
        reject(pod, counts[i], nodes[i].capacityPods);
        stuck++;
      } else counts[i]++;
      continue;
    }
    const g = groupFor(pod, constraintKey(pod));
    const i = best(g.heap);
    if (i === undefined) {
      g.message ??= nodes.length === 0 ? NO_NODES_AVAILABLE : fitError(nodes.length, g);
      pod.phase = 'Pending';
      pod.ready = false;
      pod.status = unschedulableStatus(g.message);
      stuck++;
      continue;
    }
    counts[i]++;
    pod.nodeName = nodes[i].name;
    pod.scheduled = true;
    if (pod.status?.reason === 'Unschedulable' || pod.phase === 'Pending') {
      // Scheduled at last (a Pending pod of a dump or a retry): it runs once its sandbox is up.
      delete pod.status;
      pod.phase = 'Running';
      pod.ready = true;
    }
  }
  return stuck;
}

function reject(pod: PodDecl, used: number, capacity: number): void {
  pod.phase = 'Failed';
  pod.ready = false;
  pod.status = outOfPods(used, capacity);
}

/** FitError.Error(): the static reasons, every feasible node full ("Too many pods"), and what preemption found. */
function fitError(nodeCount: number, g: Group): string {
  const reasons = new Map(g.reasons);
  const preemption = new Map<string, number>();
  let unresolvable = 0;
  for (const n of g.reasons.values()) unresolvable += n;
  // Cordon, taints and affinity are UnschedulableAndUnresolvable: preemption cannot help there.
  if (unresolvable) preemption.set(PREEMPTION_NOT_HELPFUL, unresolvable);
  if (g.feasible) {
    reasons.set(TOO_MANY_PODS, g.feasible);
    // All simulated pods share priority 0, so there is never a lower-priority victim.
    preemption.set(NO_VICTIMS, g.feasible);
  }
  return failedScheduling(nodeCount, reasons, preemption);
}

/** A node as the scheduler sees it, from a NodeRec or NodeDecl and its current pod count. */
export function schedNode(n: { meta: { name: string; labels: Record<string, string> }; taints?: Taint[]; unschedulable?: boolean; capacityPods: number }, podCount: number): SchedNode {
  return { name: n.meta.name, labels: n.meta.labels, taints: n.taints, unschedulable: n.unschedulable, capacityPods: n.capacityPods, podCount };
}
