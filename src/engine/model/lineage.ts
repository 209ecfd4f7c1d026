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

/**
 * Only one step is kept: recording `next` forgets what `base` was made from, so a line of commands
 * never holds every cluster before it alive (each would keep its whole pod map).
 */
export function recordPodChanges(next: Cluster, base: Cluster, touched: ReadonlySet<string>): void {
  lineage.delete(base);
  if (next !== base && next.pods !== base.pods) lineage.set(next, { base, touched });
}

/** What `cluster` was made from, once: the entry is dropped when read (its base can then be collected). */
export function takePodChanges(cluster: Cluster): PodChanges | undefined {
  const c = lineage.get(cluster);
  lineage.delete(cluster);
  return c;
}
