/**
 * Pods by namespace and by `key=value` label, so a Service's selector is matched against the few
 * pods carrying its rarest label instead of every pod: building the index is linear in pods x
 * labels, and each Service costs the size of its smallest candidate list.
 *
 * `PodIndex.of(cluster)` keeps one index per cluster; for a cluster a command made from another
 * (model/lineage.ts) it takes the previous cluster's index over and patches only the pods the
 * command touched, so the EndpointSlice controller's work per change does not grow with the
 * cluster. Taken, not shared: the older cluster builds its own again if it is asked.
 */
import type { Cluster, PodRec } from '../model/cluster';
import { takePodChanges } from '../model/lineage';

const indexes = new WeakMap<Cluster, PodIndex>();

export class PodIndex {
  /** namespace → `key=value` → pods, in the order they were indexed (creation order for a fresh index). */
  private readonly byLabel = new Map<string, Map<string, Set<PodRec>>>();

  constructor(cluster: Cluster) {
    for (const pod of cluster.pods.values()) this.add(pod);
  }

  /** The index of `cluster`: the one it has, its parent's patched for what the command touched, or a new one. */
  static of(cluster: Cluster): PodIndex {
    let index = indexes.get(cluster);
    if (index) return index;
    const changes = takePodChanges(cluster);
    const parent = changes && indexes.get(changes.base);
    if (changes && parent) {
      indexes.delete(changes.base);
      for (const key of changes.touched) {
        const before = changes.base.pods.get(key);
        const after = cluster.pods.get(key);
        if (before === after) continue;
        if (before) parent.remove(before);
        if (after) parent.add(after);
      }
      index = parent;
    } else index = new PodIndex(cluster);
    indexes.set(cluster, index);
    return index;
  }

  private add(pod: PodRec): void {
    const ns = pod.meta.namespace ?? 'default';
    let m = this.byLabel.get(ns);
    if (!m) this.byLabel.set(ns, (m = new Map()));
    for (const k in pod.meta.labels) {
      const key = `${k}=${pod.meta.labels[k]}`;
      const set = m.get(key);
      if (set) set.add(pod);
      else m.set(key, new Set([pod]));
    }
  }

  private remove(pod: PodRec): void {
    const m = this.byLabel.get(pod.meta.namespace ?? 'default');
    if (!m) return;
    for (const k in pod.meta.labels) {
      const key = `${k}=${pod.meta.labels[k]}`;
      const set = m.get(key);
      if (!set) continue;
      set.delete(pod);
      if (!set.size) m.delete(key);
    }
  }

  /** Pods of `namespace` whose labels hold every pair of a non-empty selector. */
  select(namespace: string, selector: Record<string, string>): PodRec[] {
    const m = this.byLabel.get(namespace);
    if (!m) return [];
    let best: Set<PodRec> | undefined;
    for (const k in selector) {
      const set = m.get(`${k}=${selector[k]}`);
      if (!set) return [];
      if (!best || set.size < best.size) best = set;
    }
    if (!best) return [];
    const out: PodRec[] = [];
    for (const p of best) {
      let ok = true;
      for (const k in selector) if (p.meta.labels[k] !== selector[k]) ok = false;
      if (ok) out.push(p);
    }
    return out;
  }
}
