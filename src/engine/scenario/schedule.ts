/**
 * A deterministic stand-in for kube-scheduler, enough for a simulator:
 * - only pods with nodeName '' are placed, in the order given;
 * - a node is feasible when it has room (capacityPods, kubelet's --max-pods, default 110) and,
 *   for control-plane nodes, the pod tolerates kubeadm's `node-role.kubernetes.io/control-plane:NoSchedule` taint;
 * - among feasible nodes the one with the fewest pods wins, node order breaking ties (a
 *   simplification of the default NodeResourcesBalancedAllocation/PodTopologySpread scoring
 *   that spreads replicas the way a real cluster usually ends up);
 * - when no node fits, the error is the scheduler's FailedScheduling event text
 *   (pkg/scheduler/framework/types.go FitError.Error).
 * nodeSelector and affinity are not evaluated. Linear in pods × log(nodes): lazy min-heaps.
 */
import type { NodeRole } from '../model/cluster';
import type { ScenarioError } from '../model/source';
import { fail, ok, type Result } from '../model/source';
import { toleratesControlPlane } from './expand';
import { failedScheduling } from './messages';
import type { PodDecl } from './types';

export interface SchedNode {
  name: string;
  role: NodeRole;
  capacityPods: number;
  podCount: number;
}

const TAINT_REASON = 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';
const TOO_MANY_PODS = 'Too many pods';
const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const NO_VICTIMS = 'No preemption victims found for incoming pod';

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

/**
 * Returns the pods with nodeName filled in (new objects for the placed ones; the input is not
 * changed). Pods are taken in creation order: a pod that already has a nodeName is counted on
 * its node when it comes, as it would have been bound by then. `nodes[].podCount` is what each
 * node held before these pods.
 */
export function schedulePods(pods: PodDecl[], nodes: SchedNode[]): Result<PodDecl[]> {
  const copies = pods.map((p) => (p.nodeName === '' ? { ...p } : p));
  const errors = scheduleInPlace(copies, nodes);
  return errors.length ? fail(errors) : ok(copies);
}

/** schedulePods for pods the caller owns: sets nodeName on them directly (no copies of 150,000 pods). */
export function scheduleInPlace(pods: PodDecl[], nodes: SchedNode[]): ScenarioError[] {
  const counts = nodes.map((n) => n.podCount);
  // Two heaps: every node (for pods that tolerate the control-plane taint) and workers only.
  const all = new NodeHeap();
  const workers = new NodeHeap();
  nodes.forEach((n, i) => {
    all.push(counts[i], i);
    if (n.role !== 'control-plane') workers.push(counts[i], i);
  });
  const best = (heap: NodeHeap): number | undefined => {
    for (;;) {
      const top = heap.peek();
      if (!top) return undefined;
      const i = top.index;
      if (top.count !== counts[i]) {
        heap.pop(); // stale: the node was pushed again with its newer count
        continue;
      }
      if (counts[i] >= nodes[i].capacityPods) {
        heap.pop(); // full for good: counts only grow
        continue;
      }
      return i;
    }
  };
  const errors: ScenarioError[] = [];
  const indexOf = new Map(nodes.map((n, i) => [n.name, i]));
  const place = (i: number) => {
    counts[i]++;
    all.push(counts[i], i);
    if (nodes[i].role !== 'control-plane') workers.push(counts[i], i);
  };
  for (const pod of pods) {
    if (pod.nodeName !== '') {
      const i = indexOf.get(pod.nodeName);
      if (i !== undefined) place(i);
      continue;
    }
    const tolerates = toleratesControlPlane(pod.tolerations);
    const i = best(tolerates ? all : workers);
    if (i === undefined) {
      errors.push(unschedulable(pod, nodes, counts, tolerates));
      continue;
    }
    place(i);
    pod.nodeName = nodes[i].name;
  }
  return errors;
}

function unschedulable(pod: PodDecl, nodes: SchedNode[], counts: number[], tolerates: boolean): ScenarioError {
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  nodes.forEach((n, i) => {
    if (n.role === 'control-plane' && !tolerates) {
      bump(reasons, TAINT_REASON);
      bump(preemption, PREEMPTION_NOT_HELPFUL);
    } else if (counts[i] >= n.capacityPods) {
      bump(reasons, TOO_MANY_PODS);
      // All simulated pods share priority 0, so there is never a lower-priority victim.
      bump(preemption, NO_VICTIMS);
    }
  });
  const ns = pod.meta.namespace ?? 'default';
  // pkg/scheduler/schedule_one.go ErrNoNodesAvailable
  if (nodes.length === 0) return { file: pod.source?.file ?? '', object: `Pod/${ns}/${pod.meta.name}`, message: 'no nodes available to schedule pods' };
  return {
    file: pod.source?.file ?? '',
    object: `Pod/${ns}/${pod.meta.name}`,
    message: failedScheduling(nodes.length, reasons, preemption),
  };
}
