/**
 * What one command hands on to the next, so that a command costs what it changes rather than
 * what the cluster holds: the addressing session (the CNI's IPAM with its free lists, interface
 * and pid counters, the seeded random source), the active pods per node, and the scheduler's
 * node index (scenario/schedule.ts Placement). All of it is derived state: a session rebuilt
 * from the cluster (AddressingSession.fromCluster, O(nodes + pods)) is equal to the one handed on,
 * so a command gives the same result whether its cluster came with a runtime or not
 * (runtime.test.ts checks this for every CNI mode).
 *
 * Taken, not shared (as the event recorder's index, model/events.ts): the first command derived
 * from a cluster takes its runtime and changes it in place; a second command from the same cluster
 * (an undo, a branch) finds none and rebuilds its own. Clusters themselves carry nothing new: the
 * runtime sits in a WeakMap and goes when its cluster does.
 */
import type { AddressingSession } from '../addressing/ipam/session';
import type { Cluster, NodeRec, PodRec } from '../model/cluster';
import type { Placement } from '../scenario/schedule';
import type { PMap } from '../util/persistent';

export interface Runtime {
  session?: AddressingSession;
  /** Active pods per node name (kubelet counts pods that are not terminated). */
  counts?: Map<string, number>;
  /** The scheduler's index over `nodes`. */
  placement?: Placement;
  /** Keys of the pods the controllers retry (ContainerCreating, or Pending without a node). */
  stuck?: Set<string>;
  /** Node name → position in `nodes`. */
  nodeIndex?: Map<string, number>;
  /** The node list the index and placement were built for. */
  nodes: NodeRec[];
}

const handed = new WeakMap<Cluster, Runtime>();

export function handOn(cluster: Cluster, rt: Runtime): void {
  handed.set(cluster, rt);
}

/** The runtime `cluster` was committed with, if no command took it yet and it still fits. */
export function takeRuntime(cluster: Cluster): Runtime | undefined {
  const rt = handed.get(cluster);
  if (!rt) return undefined;
  handed.delete(cluster);
  if (rt.nodes !== cluster.nodes) return undefined;
  const s = rt.session;
  if (s && (s.config !== cluster.config || s.rng.state !== cluster.rngState)) return undefined;
  return rt;
}

/** A pod holds one of its node's max-pods slots (terminated pods hold none). */
export const holdsSlot = (p: PodRec | undefined): p is PodRec => !!p && !!p.nodeName && p.phase !== 'Failed' && p.phase !== 'Succeeded';

/** Active pods per node, counted from every pod (O(pods): only when no runtime was handed on). */
export function countPods(pods: Iterable<PodRec>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of pods) if (holdsSlot(p)) counts.set(p.nodeName, (counts.get(p.nodeName) ?? 0) + 1);
  return counts;
}

/** Node name → position. */
export function indexNodes(nodes: readonly NodeRec[]): Map<string, number> {
  return new Map(nodes.map((n, i) => [n.meta.name, i]));
}

/**
 * A command's pods: a Map over a persistent map (util/persistent.ts), so that the cluster the
 * command started from keeps its own and the new one shares every untouched entry. Remembers
 * the keys written or deleted (the EndpointSlice index patches those: model/lineage.ts) and
 * reports every change of a node's active pods to `onSlots`.
 */
export class PodDraft implements Map<string, PodRec> {
  readonly touched = new Set<string>();
  /** Told of every write (`undefined`: deleted). */
  onWrite?: (key: string, rec: PodRec | undefined) => void;

  constructor(
    private current: PMap<PodRec>,
    private readonly onSlots: (node: string, delta: number) => void,
  ) {}

  /** The pods as they are now (persistent: later writes do not change it). */
  get map(): PMap<PodRec> {
    return this.current;
  }

  get size(): number {
    return this.current.size;
  }

  get(key: string): PodRec | undefined {
    return this.current.get(key);
  }

  has(key: string): boolean {
    return this.current.has(key);
  }

  set(key: string, value: PodRec): this {
    const old = this.current.get(key);
    this.current = this.current.set(key, value);
    this.touched.add(key);
    if (holdsSlot(old)) this.onSlots(old.nodeName, -1);
    if (holdsSlot(value)) this.onSlots(value.nodeName, 1);
    this.onWrite?.(key, value);
    return this;
  }

  delete(key: string): boolean {
    const old = this.current.get(key);
    if (!old) return false;
    this.current = this.current.delete(key);
    this.touched.add(key);
    if (holdsSlot(old)) this.onSlots(old.nodeName, -1);
    this.onWrite?.(key, undefined);
    return true;
  }

  clear(): void {
    for (const key of [...this.current.keys()]) this.delete(key);
  }

  forEach(fn: (value: PodRec, key: string, map: Map<string, PodRec>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.current) fn.call(thisArg, v, k, this);
  }

  entries(): MapIterator<[string, PodRec]> {
    return this.current.entries() as MapIterator<[string, PodRec]>;
  }

  keys(): MapIterator<string> {
    return this.current.keys() as MapIterator<string>;
  }

  values(): MapIterator<PodRec> {
    return this.current.values() as MapIterator<PodRec>;
  }

  [Symbol.iterator](): MapIterator<[string, PodRec]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Map';
  }
}
