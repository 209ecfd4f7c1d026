/**
 * `kubectl label` and `kubectl annotate`: an object's labels or annotations replaced. Selectors
 * re-evaluate at once: Services' EndpointSlices and NetworkPolicies are derived from labels on
 * every read (services/table.ts, policy/), and the ReplicaSet controller claims pods again — a
 * pod relabelled out of its ReplicaSet's selector is released (its ownerReference removed) and
 * replaced; an orphan relabelled into one is adopted, and the surplus pod deleted
 * (controller_ref_manager.go ClaimPods, replica_set.go manageReplicas).
 */
import type { Cluster, ObjectMeta, WorkloadRec } from '../model/cluster';
import { readSelector, selectorMatches } from '../model/labelSelector';
import { fail, ok, type Result } from '../model/source';
import type { PodDecl } from '../scenario/types';
import { Change, finishPods, notFound } from './change';
import { EventLog } from './events';
import { replaceDeleted } from './pods';
import { controllerOf, replicaSetName } from './owners';
import { replicaSetSelector, syncReplicaSet } from './workloads';

const KIND_ALIASES: Record<string, string> = {
  po: 'Pod', pod: 'Pod', pods: 'Pod',
  no: 'Node', node: 'Node', nodes: 'Node',
  ns: 'Namespace', namespace: 'Namespace', namespaces: 'Namespace',
  deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment',
  rs: 'ReplicaSet', replicaset: 'ReplicaSet', replicasets: 'ReplicaSet',
  ds: 'DaemonSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet',
  svc: 'Service', service: 'Service', services: 'Service',
  netpol: 'NetworkPolicy', networkpolicy: 'NetworkPolicy', networkpolicies: 'NetworkPolicy',
  cm: 'ConfigMap', configmap: 'ConfigMap', configmaps: 'ConfigMap',
};

type Field = 'labels' | 'annotations';

export function setLabels(cluster: Cluster, kind: string, namespace: string, name: string, labels: Record<string, string>): Result<Cluster> {
  return setMeta(cluster, kind, namespace, name, 'labels', labels);
}

/** `kubectl annotate`: the object's annotations replaced by `annotations`. */
export function setAnnotations(cluster: Cluster, kind: string, namespace: string, name: string, annotations: Record<string, string>): Result<Cluster> {
  return setMeta(cluster, kind, namespace, name, 'annotations', annotations);
}

function setMeta(cluster: Cluster, kind: string, namespace: string, name: string, field: Field, values: Record<string, string>): Result<Cluster> {
  const k = KIND_ALIASES[kind.toLowerCase()] ?? kind;
  const edit = <T extends { meta: ObjectMeta }>(o: T): T => ({ ...o, meta: { ...o.meta, [field]: { ...values } } });
  if (k === 'Pod') {
    const key = `${namespace}/${name}`;
    const p = cluster.pods.get(key);
    if (!p) return fail(notFound('Pod', name));
    const next = edit(p);
    const relabelled = { ...cluster, pods: new Map(cluster.pods).set(key, next) };
    return field === 'labels' ? reclaim(relabelled, namespace, key) : ok(relabelled);
  }
  if (k === 'Node') {
    const n = cluster.nodes.find((x) => x.meta.name === name);
    if (!n) return fail(notFound('Node', name));
    const change = new Change(cluster);
    change.nodes = cluster.nodes.map((x) => (x === n ? edit(n) : x));
    // A Node update moves the scheduler's unschedulable pods back to its active queue
    // (pkg/scheduler/internal/queue: MoveAllToActiveOrBackoffQueue on NodeUpdate): a Pending
    // pod whose nodeSelector the new labels now match is scheduled.
    if (field === 'labels') change.requeue();
    return ok(change.commit());
  }
  if (k === 'Namespace') {
    const n = cluster.namespaces.get(name);
    if (!n) return fail(notFound('Namespace', name));
    return ok({ ...cluster, namespaces: new Map(cluster.namespaces).set(name, edit(n)) });
  }
  const key = `${k}/${namespace}/${name}`;
  const w = cluster.workloads.get(key);
  if (w) return ok({ ...cluster, workloads: new Map(cluster.workloads).set(key, withManifestMeta(edit(w), field)) });
  const o = cluster.objects.get(key);
  if (o) return ok({ ...cluster, objects: new Map(cluster.objects).set(key, withManifestMeta(edit(o), field)) });
  return fail(notFound(k, name));
}

/** Kept-whole manifests carry the metadata too (the Service table and the serializer read it). */
function withManifestMeta<T extends { meta: ObjectMeta; manifest: Record<string, unknown> }>(o: T, field: Field): T {
  const metadata = { ...((o.manifest.metadata as Record<string, unknown>) ?? {}) };
  if (Object.keys(o.meta[field]).length) metadata[field] = { ...o.meta[field] };
  else delete metadata[field];
  return { ...o, manifest: { ...o.manifest, metadata } };
}

/**
 * The ReplicaSets that own or could own the relabelled pod sync again: its controller (which
 * releases it if it stopped matching) and, for an orphan, every ReplicaSet in the namespace whose
 * selector now matches (the first adopts it). A DaemonSet releases a pod that stopped matching and
 * creates a new one on that node.
 */
function reclaim(cluster: Cluster, namespace: string, key: string): Result<Cluster> {
  const pod = cluster.pods.get(key)!;
  const change = new Change(cluster);
  const log = new EventLog(change);
  const decls: PodDecl[] = [];
  const ctl = controllerOf(pod);
  const sync = (rsName: string): Result<void> => {
    const r = syncReplicaSet(change, log, namespace, rsName);
    if (!r.ok) return r;
    decls.push(...r.value);
    return ok(undefined);
  };
  if (ctl?.kind === 'ReplicaSet') {
    const r = sync(ctl.name);
    if (!r.ok) return r;
  } else if (ctl?.kind === 'DaemonSet') {
    const ds = cluster.workloads.get(`DaemonSet/${namespace}/${ctl.name}`);
    if (ds && !selectorMatches(readSelector(ds.selector), pod.meta.labels)) {
      const refs = pod.meta.ownerReferences!.filter((o) => o !== ctl);
      const released = { ...pod, meta: { ...pod.meta } };
      if (refs.length) released.meta.ownerReferences = refs;
      else delete released.meta.ownerReferences;
      change.pods.set(key, released);
      decls.push(...replaceDeleted(change, log, [pod]));
    }
  } else if (!ctl) {
    for (const w of replicaSetsOf(cluster, namespace)) {
      if (!selectorMatches(replicaSetSelector(w), pod.meta.labels)) continue;
      const r = sync(replicaSetName(w));
      if (!r.ok) return r;
      break;
    }
  }
  return finishPods(change, decls);
}

/** ReplicaSets of a namespace with replicas to keep (records, and Deployments' current ones), in creation order. */
function replicaSetsOf(cluster: Cluster, namespace: string): WorkloadRec[] {
  const out: WorkloadRec[] = [];
  for (const w of cluster.workloads.values()) {
    if ((w.meta.namespace ?? 'default') !== namespace || w.kind === 'DaemonSet') continue;
    if (w.kind === 'ReplicaSet' && w.replicas === 0) continue;
    out.push(w);
  }
  return out;
}

