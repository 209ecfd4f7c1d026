/**
 * Which cluster a cluster was made from, and which pod keys the command touched (set or deleted),
 * so indexes derived from a cluster (pods by label for the EndpointSlice controller) can be moved
 * to the next cluster and patched for those keys instead of being built again from every pod.
 * Kept in a WeakMap: the clusters themselves carry nothing new and are collected as before.
 */
import type { Cluster } from './cluster';

export interface PodChanges {
  base: Cluster;
  /** `namespace/name` of every pod the command set or deleted. */
  touched: ReadonlySet<string>;
}

const lineage = new WeakMap<Cluster, PodChanges>();

export function recordPodChanges(next: Cluster, base: Cluster, touched: ReadonlySet<string>): void {
  if (next !== base && next.pods !== base.pods) lineage.set(next, { base, touched });
}

export function podChangesOf(cluster: Cluster): PodChanges | undefined {
  return lineage.get(cluster);
}

/** A Map that remembers the keys written or deleted after it was filled (a command's pods). */
export class TrackedMap<K, V> extends Map<K, V> {
  // Set after the Map constructor has copied the initial entries (which call `set`).
  readonly touched: Set<K> = new Set();

  set(key: K, value: V): this {
    this.touched?.add(key);
    return super.set(key, value);
  }

  delete(key: K): boolean {
    this.touched?.add(key);
    return super.delete(key);
  }
}
