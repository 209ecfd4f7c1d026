/**
 * `kubectl delete namespace` and `kubectl delete deployment|replicaset|daemonset`: what the
 * namespace controller and the garbage collector leave once the deletion is finished (kubectl
 * waits for it): every pod (CNI DEL, addresses released), workload and object of the namespace,
 * then the namespace itself; a workload goes with the pods it owns. The API server's refusals in its
 * words: the immortal namespaces (NamespaceLifecycle admission) and NotFound.
 */
import { podKeyOf, workloadKey } from '../model/build';
import type { Cluster } from '../model/cluster';
import { fail, ok, type Result } from '../model/source';
import { Change, err, notFound } from './change';
import { PVec } from '../util/persistent';

/** NamespaceLifecycle's immortal namespaces (plugin/pkg/admission/namespace/lifecycle). */
const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

export function deleteNamespace(cluster: Cluster, name: string): Result<Cluster> {
  const inNs = (ns: string | undefined) => (ns ?? 'default') === name;
  const known = cluster.namespaces.has(name) || [...cluster.pods.values()].some((p) => inNs(p.meta.namespace));
  if (!known) return fail(notFound('Namespace', name));
  if (IMMORTAL.has(name)) return fail(err(`Error from server (Forbidden): namespaces "${name}" is forbidden: this namespace may not be deleted`, `Namespace/${name}`));
  const change = new Change(cluster);
  for (const p of cluster.pods.values()) if (inNs(p.meta.namespace)) change.removePod(podKeyOf(p));
  change.workloads = new Map([...change.workloads].filter(([, w]) => !inNs(w.meta.namespace)));
  change.objects = new Map([...change.objects].filter(([, o]) => !inNs(o.meta.namespace)));
  const namespaces = new Map(change.namespaces);
  namespaces.delete(name);
  change.namespaces = namespaces;
  const events = cluster.events?.filter((e) => !inNs(e.involvedObject.namespace));
  return ok(change.commit(events ? { events: PVec.from(events) } : {}));
}

/** A Deployment (with its ReplicaSets), ReplicaSet or DaemonSet and the pods it owns (foreground cascade). */
export function deleteWorkload(cluster: Cluster, kind: 'Deployment' | 'ReplicaSet' | 'DaemonSet', namespace: string, name: string): Result<Cluster> {
  const w = cluster.workloads.get(`${kind}/${namespace}/${name}`);
  if (!w) return fail(notFound(kind, name));
  const change = new Change(cluster);
  const owners = new Set<string>([`${kind}/${name}`]);
  if (kind === 'Deployment') {
    // Its ReplicaSets `NAME-<hash>`, kept or implied by the pods' owners.
    for (const o of cluster.workloads.values()) if (o.kind === 'ReplicaSet' && (o.meta.namespace ?? 'default') === namespace && o.meta.ownerReferences?.some((r) => r.kind === 'Deployment' && r.name === name)) owners.add(`ReplicaSet/${o.meta.name}`);
    for (const p of cluster.pods.values()) {
      const hash = p.meta.labels['pod-template-hash'];
      if ((p.meta.namespace ?? 'default') === namespace && hash) owners.add(`ReplicaSet/${name}-${hash}`);
    }
  }
  for (const p of cluster.pods.values()) {
    if ((p.meta.namespace ?? 'default') !== namespace) continue;
    if (p.meta.ownerReferences?.some((o) => owners.has(`${o.kind}/${o.name}`))) change.removePod(podKeyOf(p));
  }
  const workloads = new Map(change.workloads);
  workloads.delete(workloadKey(w));
  for (const o of owners) workloads.delete(`${o.split('/')[0]}/${namespace}/${o.split('/')[1]}`);
  change.workloads = workloads;
  return ok(change.commit());
}
