/**
 * Pods by namespace and by `key=value` label, so a Service's selector is matched against the few
 * pods carrying its rarest label instead of every pod: building the index is linear in pods x
 * labels, and each Service costs the size of its smallest candidate list.
 */
import type { Cluster, PodRec } from '../model/cluster';

export class PodIndex {
  /** namespace → `key=value` → pods, in creation order. */
  private readonly byLabel = new Map<string, Map<string, PodRec[]>>();

  constructor(cluster: Cluster) {
    for (const pod of cluster.pods.values()) {
      const ns = pod.meta.namespace ?? 'default';
      let m = this.byLabel.get(ns);
      if (!m) this.byLabel.set(ns, (m = new Map()));
      for (const k in pod.meta.labels) {
        const key = `${k}=${pod.meta.labels[k]}`;
        const list = m.get(key);
        if (list) list.push(pod);
        else m.set(key, [pod]);
      }
    }
  }

  /** Pods of `namespace` whose labels hold every pair of a non-empty selector, in creation order. */
  select(namespace: string, selector: Record<string, string>): PodRec[] {
    const m = this.byLabel.get(namespace);
    if (!m) return [];
    let best: PodRec[] | undefined;
    for (const k in selector) {
      const list = m.get(`${k}=${selector[k]}`);
      if (!list) return [];
      if (!best || list.length < best.length) best = list;
    }
    if (!best) return [];
    return best.filter((p) => {
      for (const k in selector) if (p.meta.labels[k] !== selector[k]) return false;
      return true;
    });
  }
}
