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
 * Linear in pods × log(nodes): pods sharing their scheduling constraints share one segment tree
 * of the nodes that pass the static filters (built once per distinct set of constraints, and kept
 * from one command to the next in a `Placement`).
 */
import type { PodStatusDetail, Taint } from '../model/cluster';
import { failedScheduling } from './messages';
import { pinnedNode, REASON_AFFINITY, staticMisfit, type FitNode } from './nodeFit';
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

/**
 * The feasible nodes of one set of scheduling constraints, as a segment tree over node indexes
 * whose leaves hold `count × n + index` (Infinity when the node fails the static filters or is
 * full): the root is the node with the fewest pods, node order breaking ties. A count change
 * costs O(log n).
 */
class Group {
  private readonly size: number;
  private readonly tree: Float64Array;
  private readonly fits: Uint8Array;
  /** Static reasons of the nodes that fail, counted (FitError's histogram). */
  readonly reasons = new Map<string, number>();
  readonly feasible: number = 0;
  message?: string;

  constructor(
    pod: PodDecl,
    private readonly nodes: readonly SchedNode[],
    private readonly counts: ArrayLike<number>,
  ) {
    const n = nodes.length;
    let size = 1;
    while (size < n) size <<= 1;
    this.size = size;
    this.tree = new Float64Array(2 * size).fill(Infinity);
    this.fits = new Uint8Array(n);
    let feasible = 0;
    for (let i = 0; i < n; i++) {
      const why = staticMisfit(pod, nodes[i]);
      if (why === undefined) {
        this.fits[i] = 1;
        feasible++;
        this.tree[size + i] = this.key(i);
      } else this.reasons.set(why, (this.reasons.get(why) ?? 0) + 1);
    }
    this.feasible = feasible;
    for (let i = size - 1; i >= 1; i--) this.tree[i] = Math.min(this.tree[2 * i], this.tree[2 * i + 1]);
  }

  private key(i: number): number {
    const c = this.counts[i];
    return this.fits[i] && c < this.nodes[i].capacityPods ? c * this.nodes.length + i : Infinity;
  }

  /** Node `i`'s count changed. */
  update(i: number): void {
    if (!this.fits[i]) return;
    let at = this.size + i;
    this.tree[at] = this.key(i);
    for (at >>= 1; at >= 1; at >>= 1) this.tree[at] = Math.min(this.tree[2 * at], this.tree[2 * at + 1]);
  }

  /** The feasible node with room and the fewest pods (lowest index on a tie), if any. */
  best(): number | undefined {
    const k = this.tree[1];
    return k === Infinity || k === undefined ? undefined : k % this.nodes.length;
  }
}

/** How many constraint groups a Placement keeps (each count change updates every one). */
const MAX_GROUPS = 64;

/**
 * The scheduler's view of the nodes (kube-scheduler's cache: the nodes and how many pods each
 * runs), kept from one command to the next so that placing a pod costs O(log nodes) per set of
 * constraints already seen, not a pass over every node. `setCount` follows the pods that come
 * and go; `place` schedules a batch and leaves the counts as they were (the caller creates the
 * pods it placed, which counts them).
 */
export class Placement {
  private readonly counts: number[];
  private readonly indexOf = new Map<string, number>();
  private readonly groups = new Map<string, Group>();

  constructor(
    private readonly nodes: readonly SchedNode[],
    count: (name: string) => number = () => 0,
  ) {
    this.counts = nodes.map((n, i) => {
      this.indexOf.set(n.name, i);
      return count(n.name);
    });
  }

  /** A node now holds `count` active pods (unknown names are ignored). */
  setCount(name: string, count: number): void {
    const i = this.indexOf.get(name);
    if (i === undefined || this.counts[i] === count) return;
    this.counts[i] = count;
    for (const g of this.groups.values()) g.update(i);
  }

  private bump(i: number, by: number): void {
    this.counts[i] += by;
    for (const g of this.groups.values()) g.update(i);
  }

  private group(pod: PodDecl, key: string): Group {
    let g = this.groups.get(key);
    if (g) return g;
    g = new Group(pod, this.nodes, this.counts);
    if (this.groups.size >= MAX_GROUPS) this.groups.delete(this.groups.keys().next().value!);
    this.groups.set(key, g);
    return g;
  }

  /** scheduleInPlace over these nodes; the counts are as before when it returns. */
  place(pods: PodDecl[]): number {
    const taken: number[] = [];
    try {
      return this.placeCounting(pods, taken);
    } finally {
      for (const i of taken) this.bump(i, -1);
    }
  }

  /** Places the pods, counting each placed or admitted pod on its node (recorded in `taken`). */
  placeCounting(pods: PodDecl[], taken: number[] = []): number {
    const nodes = this.nodes;
    const counts = this.counts;
    const constraintKey = constraintKeys();
    let stuck = 0;
    for (const pod of pods) {
      if (pod.phase === 'Succeeded' || pod.phase === 'Failed') continue;
      if (pod.nodeName !== '') {
        const i = this.indexOf.get(pod.nodeName);
        if (i === undefined) continue;
        if (counts[i] >= nodes[i].capacityPods) {
          reject(pod, counts[i], nodes[i].capacityPods);
          stuck++;
        } else {
          this.bump(i, 1);
          taken.push(i);
        }
        continue;
      }
      const target = pinnedNode(pod);
      let i: number;
      if (target !== undefined) {
        // Held to one node (a DaemonSet pod): only that node is looked at; every other one fails
        // NodeAffinity. O(1) instead of a pass over the nodes for each daemon pod.
        const at = this.indexOf.get(target);
        const why = at === undefined ? REASON_AFFINITY : staticMisfit(pod, nodes[at]);
        if (why === undefined && counts[at!] < nodes[at!].capacityPods) i = at!;
        else {
          const reasons = new Map<string, number>();
          const others = nodes.length - (at === undefined ? 0 : 1);
          if (others) reasons.set(REASON_AFFINITY, others);
          if (why !== undefined && at !== undefined) reasons.set(why, (reasons.get(why) ?? 0) + 1);
          pod.phase = 'Pending';
          pod.ready = false;
          pod.status = unschedulableStatus(nodes.length === 0 ? NO_NODES_AVAILABLE : fitError(nodes.length, { reasons, feasible: why === undefined ? 1 : 0 }));
          stuck++;
          continue;
        }
      } else {
        const g = this.group(pod, constraintKey(pod));
        const best = g.best();
        if (best === undefined) {
          g.message ??= nodes.length === 0 ? NO_NODES_AVAILABLE : fitError(nodes.length, g);
          pod.phase = 'Pending';
          pod.ready = false;
          pod.status = unschedulableStatus(g.message);
          stuck++;
          continue;
        }
        i = best;
      }
      this.bump(i, 1);
      taken.push(i);
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
  const counts = new Map(nodes.map((n) => [n.name, n.podCount]));
  return new Placement(nodes, (name) => counts.get(name) ?? 0).placeCounting(pods);
}

function reject(pod: PodDecl, used: number, capacity: number): void {
  pod.phase = 'Failed';
  pod.ready = false;
  pod.status = outOfPods(used, capacity);
}

/** FitError.Error(): the static reasons, every feasible node full ("Too many pods"), and what preemption found. */
function fitError(nodeCount: number, g: Pick<Group, 'reasons' | 'feasible'>): string {
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
