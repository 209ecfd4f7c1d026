/**
 * `kubectl rollout restart`: kubectl patches the pod template's `kubectl.kubernetes.io/restartedAt`
 * annotation (polymorphichelpers/objectrestarter.go, time.RFC3339); the template changes, so:
 * - a Deployment gets a new ReplicaSet `<deployment>-<new pod-template-hash>` (revision + 1) and
 *   the deployment controller rolls over as its RollingUpdate strategy allows (maxSurge 25%
 *   rounded up, maxUnavailable 25% rounded down; both 0 → 1 unavailable: deploymentutil.
 *   ResolveFenceposts), every pod ready at once here; the old ReplicaSet is scaled to 0 and kept
 *   (`rollout history`). Recreate scales the old one to 0 first.
 * - a DaemonSet gets a new controller-revision-hash and pod-template-generation; with
 *   RollingUpdate (maxUnavailable 1) each node's pod is deleted and created again; OnDelete
 *   leaves the pods alone.
 */
import { workloadKey } from '../model/build';
import type { Cluster, PodRec, WorkloadRec } from '../model/cluster';
import { fail, ok, type Result } from '../model/source';
import { daemonPod, podTemplateHash } from '../scenario/expand';
import { makeUid } from '../scenario/meta';
import type { PodDecl } from '../scenario/types';
import { EPOCH_MS } from '../sim/clock';
import { Change, err, notFound } from './change';
import { EventLog } from './events';
import { controllerOf, fromTemplate, ownedPods } from './owners';
import { deleteOwnedPods, noteCreated, podsToDelete, replicaSetSelector } from './workloads';

export { setAnnotations } from './labels';

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const REVISION = 'deployment.kubernetes.io/revision';

/** time.RFC3339 of the simulated clock, in UTC as kubectl on a UTC machine writes it. */
const rfc3339 = (seconds: number) => new Date(EPOCH_MS + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

type Template = { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };

function restartedTemplate(w: WorkloadRec, at: string): Template {
  const t = structuredClone(w.template ?? {}) as Template;
  const metadata = { ...(t.metadata ?? {}) };
  metadata.annotations = { ...((metadata.annotations as Record<string, string>) ?? {}), [RESTARTED_AT]: at };
  return { ...t, metadata };
}

function withTemplate(w: WorkloadRec, template: Template): WorkloadRec {
  const spec = { ...((w.manifest.spec as Record<string, unknown>) ?? {}), template };
  return { ...w, template, manifest: { ...w.manifest, spec } };
}

export function rolloutRestart(cluster: Cluster, kind: 'Deployment' | 'DaemonSet', namespace: string, name: string): Result<Cluster> {
  const w = cluster.workloads.get(`${kind}/${namespace}/${name}`);
  if (!w) return fail(notFound(kind, name));
  if (kind === 'Deployment' && (w.manifest.spec as { paused?: unknown } | undefined)?.paused === true) {
    return fail(err("error: can't restart paused deployment (run rollout resume first)", `Deployment/${namespace}/${name}`));
  }
  const template = restartedTemplate(w, rfc3339(cluster.now));
  if (JSON.stringify(template) === JSON.stringify(w.template)) return ok(cluster);
  return kind === 'Deployment' ? restartDeployment(cluster, w, template) : restartDaemonSet(cluster, w, template);
}

/**
 * A workload whose pod template was edited (`kubectl apply`/`kubectl patch` of spec.template):
 * the deployment/daemonset controller rolls it out exactly as for a restart. A paused Deployment
 * only records the new template (it rolls on `rollout resume`).
 */
export function rolloutTemplate(cluster: Cluster, kind: 'Deployment' | 'DaemonSet', namespace: string, name: string, template: Record<string, unknown>): Result<Cluster> {
  const w = cluster.workloads.get(`${kind}/${namespace}/${name}`);
  if (!w) return fail(notFound(kind, name));
  if (JSON.stringify(template) === JSON.stringify(w.template)) return ok(cluster);
  if (kind === 'Deployment' && (w.manifest.spec as { paused?: unknown } | undefined)?.paused === true) {
    return ok({ ...cluster, workloads: new Map(cluster.workloads).set(workloadKey(w), withTemplate(w, template as Template)) });
  }
  return kind === 'Deployment' ? restartDeployment(cluster, w, template as Template) : restartDaemonSet(cluster, w, template as Template);
}

/** An intstr of the strategy: an integer, or a percent of `replicas` rounded up (surge) or down (unavailable). */
function resolve(v: unknown, replicas: number, roundUp: boolean): number {
  if (typeof v === 'number' && Number.isInteger(v)) return Math.max(0, v);
  const m = typeof v === 'string' ? /^(\d+)%$/.exec(v) : null;
  const pct = m ? Number(m[1]) : 25;
  const x = (pct * replicas) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

type Strategy = { type?: string; rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } };

/** deploymentutil.ResolveFenceposts: maxSurge rounded up, maxUnavailable down, both 0 → 1 unavailable; Recreate: none up, all down. */
export function fenceposts(d: WorkloadRec): { recreate: boolean; surge: number; unavailable: number } {
  const strategy = ((d.manifest.spec ?? {}) as { strategy?: Strategy }).strategy;
  const n = d.replicas;
  if (strategy?.type === 'Recreate') return { recreate: true, surge: 0, unavailable: n };
  const surge = resolve(strategy?.rollingUpdate?.maxSurge, n, true);
  const unavailable = resolve(strategy?.rollingUpdate?.maxUnavailable, n, false);
  return { recreate: false, surge, unavailable: surge === 0 && unavailable === 0 ? 1 : unavailable };
}

/**
 * A pod counts in availableReplicas when it is Running and Ready (no readiness probes and no
 * minReadySeconds are modelled, so a pod that runs is Ready at once); a Pending pod (unschedulable,
 * or no address yet) is not available.
 */
const isAvailable = (p: PodRec) => p.phase === 'Running' && p.ready;
/** controller.FilterActivePods: the pods a ReplicaSet counts (not Succeeded or Failed). */
const isActive = (p: PodRec) => p.phase !== 'Succeeded' && p.phase !== 'Failed';

/** A ReplicaSet's active pods (by controller reference). */
function rsPods(change: Change, ns: string, rs: string): PodRec[] {
  return ownedPods(change.pods, ns, 'ReplicaSet', rs).filter((p) => controllerOf(p)?.name === rs && isActive(p));
}

/** The Deployment's old ReplicaSet records that still have replicas: a rollout in progress. */
export function oldReplicaSets(workloads: ReadonlyMap<string, WorkloadRec>, d: WorkloadRec): WorkloadRec[] {
  const ns = d.meta.namespace ?? 'default';
  const current = `${d.meta.name}-${d.templateHash ?? ''}`;
  const out: WorkloadRec[] = [];
  for (const w of workloads.values()) {
    if (w.kind !== 'ReplicaSet' || w.replicas <= 0 || w.meta.name === current || (w.meta.namespace ?? 'default') !== ns) continue;
    if (w.meta.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === d.meta.name && o.controller)) out.push(w);
  }
  // Oldest first, as the controller sorts them (controller.ReplicaSetsByCreationTimestamp), then by revision.
  const rev = (w: WorkloadRec) => Number(w.meta.annotations[REVISION]) || 0;
  return out.sort((a, b) => Number(a.meta.creationTimestamp) - Number(b.meta.creationTimestamp) || rev(a) - rev(b));
}

const withReplicas = (w: WorkloadRec, replicas: number): WorkloadRec => ({ ...w, replicas, manifest: { ...w.manifest, spec: { ...((w.manifest.spec as Record<string, unknown>) ?? {}), replicas } } });

/**
 * The deployment controller's rolling update (pkg/controller/deployment/rolling.go rolloutRolling,
 * recreate.go rolloutRecreate), run until it can go no further on the cluster as it is:
 * - reconcileNewReplicaSet: the new ReplicaSet grows while all ReplicaSets together stay within
 *   replicas + maxSurge (NewRSNewReplicas), and shrinks to `replicas` if it has more;
 * - reconcileOldReplicaSets: old ReplicaSets shrink by at most allPods − (replicas −
 *   maxUnavailable) − (new pods not yet available): first their unavailable pods
 *   (cleanupUnhealthyReplicas), then available ones while more than replicas − maxUnavailable
 *   are available (scaleDownOldReplicaSetsForRollingUpdate).
 * A new pod that cannot be scheduled is not available, so the old pods stay and the rollout
 * stalls where Kubernetes stalls; `progressRollouts` (at every command's commit) takes it up again
 * when the cluster changes. The new ReplicaSet's size is its active pods (the ReplicaSet
 * controller keeps them at its spec); old ReplicaSets are records whose replicas go down to 0.
 * `created`: the new ReplicaSet was created by this sync (its first event says "to N" only).
 * Returns whether anything changed.
 */
function rollDeployment(change: Change, log: EventLog, d: WorkloadRec, newUid?: string, created = false): Result<boolean> {
  const ns = d.meta.namespace ?? 'default';
  const n = d.replicas;
  const newRs = `${d.meta.name}-${d.templateHash ?? podTemplateHash(d.template)}`;
  const { recreate, surge, unavailable } = fenceposts(d);
  let newPods = rsPods(change, ns, newRs);
  const uid = newUid ?? newPods[0]?.meta.ownerReferences?.find((o) => o.name === newRs)?.uid ?? makeUid('ReplicaSet', ns, newRs, String(change.base.now));
  const olds = oldReplicaSets(change.workloads, d).map((rec) => ({ rec, replicas: rec.replicas, pods: rsPods(change, ns, rec.meta.name) }));
  let first = created && newPods.length === 0;
  const scaled = (rs: string, to: number, from: number) => {
    log.normal({ kind: 'Deployment', namespace: ns, name: d.meta.name }, 'ScalingReplicaSet', first && rs === newRs ? `Scaled up replica set ${rs} to ${to}` : `Scaled ${to > from ? 'up' : 'down'} replica set ${rs} to ${to} from ${from}`, 'deployment-controller');
    if (rs === newRs) first = false;
  };
  const rsOwner = (rs: string) => ({ kind: 'ReplicaSet', name: rs, namespace: ns, component: 'replicaset-controller' });
  /** The ReplicaSet controller deletes the surplus (unscheduled and not-ready pods first). */
  const shrink = (o: (typeof olds)[number], by: number) => {
    scaled(o.rec.meta.name, o.replicas - by, o.replicas);
    o.replicas -= by;
    const victims = podsToDelete(o.pods, o.pods.length - o.replicas);
    deleteOwnedPods(change, log, victims, rsOwner(o.rec.meta.name));
    const gone = new Set(victims);
    o.pods = o.pods.filter((p) => !gone.has(p));
  };
  const oldReplicas = () => olds.reduce((sum, o) => sum + o.replicas, 0);
  let changed = false;
  for (let guard = 0; guard < 2 * n + 4 + 2 * olds.length; guard++) {
    let moved = false;
    if (recreate) {
      // rolloutRecreate: every old ReplicaSet to 0 first; the new one only when no old pod is left.
      for (const o of olds) {
        if (o.replicas <= 0) continue;
        shrink(o, o.replicas);
        moved = true;
      }
    }
    // reconcileNewReplicaSet.
    const total = newPods.length + oldReplicas();
    if (newPods.length > n) {
      const victims = podsToDelete(newPods, newPods.length - n);
      scaled(newRs, n, newPods.length);
      deleteOwnedPods(change, log, victims, rsOwner(newRs));
      const gone = new Set(victims);
      newPods = newPods.filter((p) => !gone.has(p));
      moved = true;
    } else {
      const up = recreate ? (olds.some((o) => o.pods.length) ? 0 : n - newPods.length) : Math.min(n + surge - total, n - newPods.length);
      if (up > 0) {
        const decls: PodDecl[] = [];
        const taken = new Set<string>();
        for (let i = 0; i < up; i++) {
          const t = fromTemplate(change, d, { kind: 'ReplicaSet', name: newRs, uid }, '', taken);
          if (!t.ok) return t;
          taken.add(t.value.meta.name);
          decls.push(t.value);
        }
        scaled(newRs, newPods.length + up, newPods.length);
        noteCreated(log, decls, rsOwner(newRs));
        const s = change.schedule(decls);
        if (!s.ok) return s;
        const c = change.createPods(s.value);
        if (!c.ok) return c;
        newPods = [...newPods, ...c.value];
        moved = true;
      }
    }
    if (!moved && oldReplicas() > 0) {
      // reconcileOldReplicaSets.
      const minAvailable = n - unavailable;
      const newUnavailable = newPods.filter((p) => !isAvailable(p)).length;
      let budget = newPods.length + oldReplicas() - minAvailable - newUnavailable;
      // cleanupUnhealthyReplicas: unavailable old pods go first.
      for (const o of olds) {
        if (budget <= 0) break;
        const unhealthy = o.replicas - o.pods.filter(isAvailable).length;
        const by = Math.min(budget, unhealthy, o.replicas);
        if (by <= 0) continue;
        shrink(o, by);
        budget -= by;
        moved = true;
      }
      // scaleDownOldReplicaSetsForRollingUpdate: keep minAvailable available pods.
      if (budget > 0) {
        let excess = newPods.filter(isAvailable).length + olds.reduce((sum, o) => sum + o.pods.filter(isAvailable).length, 0) - minAvailable;
        for (const o of olds) {
          if (excess <= 0) break;
          const by = Math.min(excess, o.replicas);
          if (by <= 0) continue;
          shrink(o, by);
          excess -= by;
          moved = true;
        }
      }
    }
    if (!moved) break;
    changed = true;
  }
  if (changed) {
    const workloads = new Map(change.workloads);
    for (const o of olds) if (o.replicas !== o.rec.replicas) workloads.set(workloadKey(o.rec), withReplicas(o.rec, o.replicas));
    change.workloads = workloads;
  }
  return ok(changed);
}

/** Deployments whose rollout has not finished, by the workloads map they were found in (it is replaced on every change). */
const rolling = new WeakMap<Map<string, WorkloadRec>, string[]>();

/**
 * Take every unfinished rollout as far as the cluster now allows (called by `Change.commit` after
 * the scheduler's and kubelet's retries: a freed slot, an uncordoned node or a deleted pod may let
 * new pods run, and the deployment controller then scales the old ReplicaSets down). Costs a scan
 * of the workloads only when they changed, and nothing when no rollout is unfinished.
 * Returns whether anything changed.
 */
export function progressRollouts(change: Change): boolean {
  let keys = rolling.get(change.workloads);
  if (!keys) {
    keys = [];
    const owners = new Set<string>();
    for (const w of change.workloads.values()) {
      if (w.kind !== 'ReplicaSet' || w.replicas <= 0) continue;
      const o = w.meta.ownerReferences?.find((r) => r.kind === 'Deployment' && r.controller);
      if (o) owners.add(`Deployment/${w.meta.namespace ?? 'default'}/${o.name}`);
    }
    for (const k of owners) {
      const d = change.workloads.get(k);
      if (d && d.kind === 'Deployment' && oldReplicaSets(change.workloads, d).length) keys.push(k);
    }
    rolling.set(change.workloads, keys);
  }
  if (!keys.length) return false;
  const log = new EventLog(change);
  let changed = false;
  for (const k of keys) {
    const d = change.workloads.get(k);
    if (!d || (d.manifest.spec as { paused?: unknown } | undefined)?.paused === true) continue;
    const r = rollDeployment(change, log, d);
    if (r.ok && r.value) changed = true;
  }
  return changed;
}

function restartDeployment(cluster: Cluster, d: WorkloadRec, template: Template): Result<Cluster> {
  const ns = d.meta.namespace ?? 'default';
  const oldHash = d.templateHash ?? podTemplateHash(d.template);
  const newHash = podTemplateHash(template);
  const oldRs = `${d.meta.name}-${oldHash}`;
  const change = new Change(cluster);
  const log = new EventLog(change);
  const revision = Number(d.meta.annotations[REVISION] ?? '1') || 1;
  const workloads = new Map(change.workloads);
  // The ReplicaSet that was current becomes an old one: a record (kept at 0 when the rollout ends,
  // for `rollout history`) with as many replicas as it has pods.
  const oldKey = `ReplicaSet/${ns}/${oldRs}`;
  const oldPods = rsPods(change, ns, oldRs);
  const oldRec = workloads.get(oldKey) ?? replicaSetRecord(d, oldHash, d.template as Template, revision, oldPods[0]?.meta.ownerReferences?.find((o) => o.name === oldRs)?.uid);
  workloads.set(oldKey, withReplicas(oldRec, oldPods.length));
  const next: WorkloadRec = withTemplate({ ...d, templateHash: newHash, meta: { ...d.meta, annotations: { ...d.meta.annotations, [REVISION]: String(revision + 1) } } }, template);
  workloads.set(workloadKey(d), next);
  change.workloads = workloads;
  const newRs = `${d.meta.name}-${newHash}`;
  const r = rollDeployment(change, log, next, makeUid('ReplicaSet', ns, newRs, String(cluster.now)), true);
  if (!r.ok) return r;
  return ok(change.commit());
}

/** A Deployment's ReplicaSet as the deployment controller creates it (getNewReplicaSet). */
function replicaSetRecord(d: WorkloadRec, hash: string, template: Template, revision: number, uid?: string): WorkloadRec {
  const ns = d.meta.namespace ?? 'default';
  const name = `${d.meta.name}-${hash}`;
  const tplLabels = { ...((template.metadata?.labels as Record<string, string>) ?? {}), 'pod-template-hash': hash };
  const rsTemplate = { ...template, metadata: { ...(template.metadata ?? {}), labels: tplLabels } };
  const sel = replicaSetSelector({ ...d, templateHash: hash });
  const selector = { matchLabels: sel.matchLabels, ...(sel.matchExpressions.length ? { matchExpressions: sel.matchExpressions } : {}) };
  const annotations = { [REVISION]: String(revision) };
  const meta = {
    name,
    namespace: ns,
    labels: tplLabels,
    annotations,
    uid: uid ?? makeUid('ReplicaSet', ns, name, d.meta.creationTimestamp),
    creationTimestamp: d.meta.creationTimestamp,
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.meta.name, uid: d.meta.uid, controller: true }],
  };
  return {
    kind: 'ReplicaSet',
    meta,
    replicas: d.replicas,
    selector,
    template: rsTemplate,
    manifest: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: ns, labels: tplLabels, annotations }, spec: { replicas: d.replicas, selector, template: rsTemplate } },
  };
}

function restartDaemonSet(cluster: Cluster, ds: WorkloadRec, template: Template): Result<Cluster> {
  const ns = ds.meta.namespace ?? 'default';
  const change = new Change(cluster);
  const log = new EventLog(change);
  const pods = ownedPods(change.pods, ns, 'DaemonSet', ds.meta.name);
  const generation = Math.max(1, ...pods.map((p) => Number(p.meta.labels['pod-template-generation']) || 1)) + 1;
  const next = withTemplate(ds, template);
  change.workloads = new Map(change.workloads).set(workloadKey(ds), next);
  const strategy = (ds.manifest.spec as { updateStrategy?: { type?: string } } | undefined)?.updateStrategy?.type;
  if (strategy !== 'OnDelete') {
    const labels = { 'controller-revision-hash': podTemplateHash(template), 'pod-template-generation': String(generation) };
    const owner = { kind: 'DaemonSet', name: ds.meta.name, namespace: ns, component: 'daemonset-controller' };
    const byNode = new Map<string, PodRec>(pods.map((p) => [p.nodeName, p]));
    for (const node of change.nodes) {
      const old = byNode.get(node.meta.name);
      if (!old) continue;
      deleteOwnedPods(change, log, [old], owner);
      const t = fromTemplate(change, next, { kind: 'DaemonSet', name: ds.meta.name, uid: ds.meta.uid }, '', undefined, labels);
      if (!t.ok) return t;
      noteCreated(log, [t.value], owner);
      const placed = change.schedule([daemonPod(t.value, node.meta.name)]);
      if (!placed.ok) return placed;
      const c = change.createPods(placed.value);
      if (!c.ok) return c;
    }
  }
  return ok(change.commit());
}
