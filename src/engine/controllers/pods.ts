/**
 * Pods: `kubectl run`/`apply` of a bare pod, `kubectl delete pod` (the owning ReplicaSet or
 * DaemonSet controller creates a replacement at once: a new name, usually a new address), and
 * the app's move (a pod cannot move: it is deleted and created again on the other node).
 * Replacing one pod costs the same whatever the cluster's size: owners are looked up by key.
 */
import { readObjects } from '../scenario/readObjects';
import type { ScenarioFile } from '../scenario/types';
import type { Cluster, PodRec } from '../model/cluster';
import { fail, ok, type Result } from '../model/source';
import { Change, FILE, alreadyExists, finishPods, notFound } from './change';
import { EventLog } from './events';
import { daemonRunsOn, ownerWorkload, podController, readContext, replacement } from './owners';
import { daemonPod } from '../scenario/expand';
import { noteCreated } from './workloads';

export function addPod(cluster: Cluster, manifest: Record<string, unknown>): Result<Cluster> {
  const change = new Change(cluster);
  const file: ScenarioFile = { name: FILE, text: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', ...manifest }) };
  const batch = readObjects([file], cluster.config, cluster.now, readContext(change));
  if (!batch.ok) return batch;
  for (const p of batch.value.pods) {
    const ns = p.meta.namespace ?? 'default';
    if (cluster.pods.has(`${ns}/${p.meta.name}`)) return fail(alreadyExists('Pod', p.meta.name));
  }
  return finishPods(change, batch.value.pods);
}

export function deletePod(cluster: Cluster, namespace: string, name: string): Result<Cluster> {
  const key = `${namespace}/${name}`;
  if (!cluster.pods.has(key)) return fail(notFound('Pod', name));
  const change = new Change(cluster);
  const log = new EventLog(change);
  const gone = change.removePod(key)!;
  log.killed(gone);
  return finishPods(change, replaceDeleted(change, log, [gone]));
}

/** What the owners of deleted pods create in their place: a ReplicaSet anywhere, a DaemonSet on the same node. */
export function replaceDeleted(change: Change, log: EventLog, gone: PodRec[]) {
  const decls = [];
  const taken = new Set<string>();
  for (const p of gone) {
    const ns = p.meta.namespace ?? 'default';
    const owner = podController(p);
    const w = owner && ownerWorkload(change.workloads, ns, owner.kind, owner.name);
    if (!owner || !w) continue;
    const daemon = owner.kind === 'DaemonSet';
    // The DaemonSet controller recreates its pod only where it should run (a taint added since keeps it away).
    if (daemon && !daemonRunsOn(change, w, p.nodeName)) continue;
    const like = replacement(change, p, owner, '', taken);
    const d = daemon ? daemonPod(like, p.nodeName) : like;
    taken.add(d.meta.name);
    noteCreated(log, [d], { kind: owner.kind, name: owner.name, namespace: ns, component: owner.kind === 'DaemonSet' ? 'daemonset-controller' : 'replicaset-controller' });
    decls.push(d);
  }
  return decls;
}

export function movePod(cluster: Cluster, namespace: string, name: string, toNode: string): Result<Cluster> {
  const key = `${namespace}/${name}`;
  const old = cluster.pods.get(key);
  if (!old) return fail(notFound('Pod', name));
  if (!cluster.nodes.some((n) => n.meta.name === toNode)) return fail(notFound('Node', toNode));
  if (old.nodeName === toNode) return ok(cluster);
  const change = new Change(cluster);
  change.removePod(key);
  // A pod cannot move: this is the pod deleted and created again with the same name on the new node.
  const rec: PodRec = { ...old, nodeName: toNode, phase: 'Running', ready: true, meta: { ...old.meta, creationTimestamp: String(cluster.now) } };
  delete rec.attachment;
  delete rec.status;
  Object.assign(rec, change.session.sandbox(rec, change.rng.int(2 ** 30)));
  const r = change.attach(rec);
  if (!r.ok) return r;
  change.pods.set(key, rec);
  return ok(change.commit());
}
