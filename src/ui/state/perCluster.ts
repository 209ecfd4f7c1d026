/**
 * A value derived from a cluster, built once per cluster (a WeakMap: it goes with the cluster),
 * or handed in ready-made when it was built elsewhere from that very cluster (the engine worker,
 * offThread.ts).
 */
import type { Cluster } from '../../engine/model/cluster';

export interface PerCluster<T> {
  of(cluster: Cluster): T;
  seed(cluster: Cluster, value: T): void;
  /** Built or seeded already. */
  has(cluster: Cluster): boolean;
}

export function perCluster<T>(build: (cluster: Cluster) => T): PerCluster<T> {
  const built = new WeakMap<Cluster, T>();
  return {
    of(cluster) {
      if (built.has(cluster)) return built.get(cluster) as T;
      const value = build(cluster);
      built.set(cluster, value);
      return value;
    },
    seed(cluster, value) {
      built.set(cluster, value);
    },
    has(cluster) {
      return built.has(cluster);
    },
  };
}
