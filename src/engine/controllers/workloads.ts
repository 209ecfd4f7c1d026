/**
 * The ReplicaSet controller's arithmetic and `kubectl scale`: a ReplicaSet keeps exactly
 * `replicas` pods that match its selector; it adopts orphans that match and releases pods that
 * stop matching (pkg/controller/replicaset, controller_ref_manager.go ClaimPods), creates the
 * missing ones and deletes the surplus in the order getPodsToDelete ranks them (unscheduled
 * first, then not ready, then the ones sharing a node with more siblings, then the newest).
 */
import { readSelector, selectorMatches, type LabelSelector } from '../model/labelSelector';
import { podKeyOf, workloadKey } from '../model/build';
import type { Cluster, PodRec, WorkloadRec } from '../model/cluster';
import { fail, ok, type Result } from '../model/source';
import { BURST_REPLICAS } from '../scenario/expand';
import type { PodDecl } from '../scenario/types';
import { Change, err, finishPods, notFound } from './change';
import { EventLog } from './events';
import { controllerOf, fromTemplate, ownedPods, ownerWorkload, replacement, replicaSetName } from './owners';

/** The selector a ReplicaSet matches with: a Deployment's carries pod-template-hash too. */
export function replicaSetSelector(w: WorkloadRec): LabelSelector {
  const s = readSelector(w.selector);
  if (w.kind !== 'Deployment' || !w.templateHash) return s;
  return { matchLabels: { ...s.matchLabels, 'pod-template-hash': w.templateHash }, matchExpressions: s.matchExpressions };
}

export const rsRef = (namespace: string, name: string, uid?: string) => ({ kind: 'ReplicaSet', namespace, name, ...(uid ? { uid } : {}) });
const isFinished = (p: PodRec) => p.phase === 'Succeeded' || p.phase === 'Failed';

/** controller.ActivePodsWithRanks order, most deletable first (pkg/controller/controller_utils.go). */
export function podsToDelete(pods: PodRec[], n: number): PodRec[] {
  const perNode = new Map<string, number>();
  for (const p of pods) if (p.nodeName) perNode.set(p.nodeName, (perNode.get(p.nodeName) ?? 0) + 1);
  const phaseRank = (p: PodRec) => (p.phase === 'Pending' ? 0 : p.phase === 'Running' ? 2 : 1);
  return pods
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        Number(!!a.p.nodeName) - Number(!!b.p.nodeName) ||
        phaseRank(a.p) - phaseRank(b.p) ||
        Number(a.p.ready) - Number(b.p.ready) ||
        (perNode.get(b.p.nodeName) ?? 0) - (perNode.get(a.p.nodeName) ?? 0) ||
        Number(b.p.meta.creationTimestamp) - Number(a.p.meta.creationTimestamp) ||
        b.i - a.i,
    )
    .slice(0, Math.max(0, n))
    .map((x) => x.p);
}

/** Delete pods (CNI DEL), as their controller does: SuccessfulDelete on the controller, Killing from the kubelet. */
export function deleteOwnedPods(change: Change, log: EventLog, victims: PodRec[], owner: { kind: string; name: string; namespace: string; component: string }): void {
  for (const p of victims) {
    change.removePod(podKeyOf(p));
    log.normal({ kind: owner.kind, namespace: owner.namespace, name: owner.name }, 'SuccessfulDelete', `Deleted pod: ${p.meta.name}`, owner.component);
    log.killed(p);
  }
}

/** SuccessfulCreate for each pod a controller created. */
export function noteCreated(log: EventLog, decls: PodDecl[], owner: { kind: string; name: string; namespace: string; component: string }): void {
  for (const d of decls) log.normal({ kind: owner.kind, namespace: owner.namespace, name: owner.name }, 'SuccessfulCreate', `Created pod: ${d.meta.name}`, owner.component);
}

/**
 * Bring a ReplicaSet (a record, or a Deployment's current one) to its replica count over
 * `change.pods`: claim (adopt/release), then create or delete. Returns the pods to create,
 * left to the caller to schedule with the rest of the command's pods.
 */
export function syncReplicaSet(change: Change, log: EventLog, namespace: string, rsName: string): Result<PodDecl[]> {
  const w = ownerWorkload(change.workloads, namespace, 'ReplicaSet', rsName);
  if (!w) return ok([]);
  const rsRec = change.workloads.get(`ReplicaSet/${namespace}/${rsName}`);
  const replicas = rsRec?.replicas ?? w.replicas;
  const selector = replicaSetSelector(rsRec ?? w);
  const uid = rsRec?.meta.uid ?? ownedPods(change.pods, namespace, 'ReplicaSet', rsName)[0]?.meta.ownerReferences?.find((o) => o.name === rsName)?.uid ?? w.meta.uid;
  const mine: PodRec[] = [];
  const adopted = new Set<PodRec>();
  for (const [key, p] of change.pods) {
    if ((p.meta.namespace ?? 'default') !== namespace || isFinished(p)) continue;
    const ctl = controllerOf(p);
    const matches = selectorMatches(selector, p.meta.labels);
    if (ctl?.kind === 'ReplicaSet' && ctl.name === rsName) {
      if (matches) mine.push(p);
      else {
        // ReleasePod: the controller drops its ownerReference from a pod that stopped matching.
        const refs = p.meta.ownerReferences!.filter((o) => o !== ctl);
        const released: PodRec = { ...p, meta: { ...p.meta } };
        if (refs.length) released.meta.ownerReferences = refs;
        else delete released.meta.ownerReferences;
        change.pods.set(key, released);
      }
    } else if (!ctl && matches) {
      // AdoptPod: an orphan that matches gets this ReplicaSet as its controller.
      const claimed: PodRec = { ...p, meta: { ...p.meta, ownerReferences: [...(p.meta.ownerReferences ?? []), { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid, controller: true }] } };
      change.pods.set(key, claimed);
      adopted.add(claimed);
      mine.push(claimed);
    }
  }
  const owner = { kind: 'ReplicaSet', name: rsName, namespace, component: 'replicaset-controller' };
  if (mine.length > replicas) {
    deleteOwnedPods(change, log, podsToDelete(mine, mine.length - replicas), owner);
    return ok([]);
  }
  const decls: PodDecl[] = [];
  const taken = new Set<string>();
  // A sibling the controller made from the current template is copied; else the template is read.
  const like = mine.find((p) => !adopted.has(p));
  // What fits plus one ReplicaSet burst (expand.ts BURST_REPLICAS), as at load: never a million decls.
  const target = Math.min(replicas, mine.length + Math.max(0, change.freePods()) + BURST_REPLICAS);
  for (let i = mine.length; i < target; i++) {
    let d: PodDecl;
    if (like) d = replacement(change, like, { kind: 'ReplicaSet', name: rsName }, '', taken);
    else {
      const t = fromTemplate(change, rsRec ?? w, { kind: 'ReplicaSet', name: rsName, uid }, '', taken);
      if (!t.ok) return t;
      d = t.value;
    }
    taken.add(d.meta.name);
    decls.push(d);
  }
  noteCreated(log, decls, owner);
  return ok(decls);
}

export function scaleWorkload(cluster: Cluster, namespace: string, name: string, replicas: number): Result<Cluster> {
  const w = cluster.workloads.get(`Deployment/${namespace}/${name}`) ?? cluster.workloads.get(`ReplicaSet/${namespace}/${name}`);
  if (!w) {
    if (cluster.workloads.has(`DaemonSet/${namespace}/${name}`)) return fail(err('error: no scaler has been implemented for {"apps" "DaemonSet"}'));
    return fail(notFound('Deployment', name));
  }
  if (!Number.isInteger(replicas) || replicas < 0) return fail(err(`The ${w.kind} "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`));
  const rsName = replicaSetName(w);
  const rsKey = `ReplicaSet/${namespace}/${rsName}`;
  const rs = cluster.workloads.get(rsKey);
  const change = new Change(cluster);
  const log = new EventLog(change);
  const withReplicas = (x: WorkloadRec): WorkloadRec => ({
    ...x,
    replicas,
    manifest: { ...x.manifest, spec: { ...((x.manifest.spec as Record<string, unknown>) ?? {}), replicas } },
  });
  const workloads = new Map(cluster.workloads);
  workloads.set(workloadKey(w), withReplicas(w));
  if (rs && rs !== w) workloads.set(rsKey, withReplicas(rs));
  change.workloads = workloads;
  if (w.kind === 'Deployment' && w.replicas !== replicas) {
    // deployment/sync.go scaleReplicaSetAndRecordEvent.
    log.normal({ kind: 'Deployment', namespace, name }, 'ScalingReplicaSet', `Scaled ${replicas > w.replicas ? 'up' : 'down'} replica set ${rsName} to ${replicas} from ${w.replicas}`, 'deployment-controller');
  }
  const decls = syncReplicaSet(change, log, namespace, rsName);
  if (!decls.ok) return decls;
  return finishPods(change, decls.value);
}

