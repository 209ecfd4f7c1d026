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

function restartDeployment(cluster: Cluster, d: WorkloadRec, template: Template): Result<Cluster> {
  const ns = d.meta.namespace ?? 'default';
  const oldHash = d.templateHash ?? podTemplateHash(d.template);
  const newHash = podTemplateHash(template);
  const oldRs = `${d.meta.name}-${oldHash}`;
  const newRs = `${d.meta.name}-${newHash}`;
  const change = new Change(cluster);
  const log = new EventLog(change);
  const revision = Number(d.meta.annotations[REVISION] ?? '1') || 1;
  const workloads = new Map(change.workloads);
  // The old ReplicaSet is kept as a record (scaled to 0 below) for `rollout history`.
  const oldKey = `ReplicaSet/${ns}/${oldRs}`;
  const oldPods = ownedPods(change.pods, ns, 'ReplicaSet', oldRs).filter((p) => controllerOf(p)?.name === oldRs);
  const oldRec = workloads.get(oldKey) ?? replicaSetRecord(d, oldHash, d.template as Template, revision, oldPods[0]?.meta.ownerReferences?.find((o) => o.name === oldRs)?.uid);
  const next: WorkloadRec = withTemplate({ ...d, templateHash: newHash, meta: { ...d.meta, annotations: { ...d.meta.annotations, [REVISION]: String(revision + 1) } } }, template);
  workloads.set(workloadKey(d), next);
  change.workloads = workloads;
  const newUid = makeUid('ReplicaSet', ns, newRs, String(cluster.now));

  const spec = (d.manifest.spec ?? {}) as { strategy?: { type?: string; rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } } };
  const n = d.replicas;
  const recreate = spec.strategy?.type === 'Recreate';
  let surge = recreate ? 0 : resolve(spec.strategy?.rollingUpdate?.maxSurge, n, true);
  let unavailable = recreate ? n : resolve(spec.strategy?.rollingUpdate?.maxUnavailable, n, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  if (recreate) surge = 0;

  let old = oldPods;
  let made = 0;
  const scaled = (rs: string, to: number, from: number) =>
    log.normal({ kind: 'Deployment', namespace: ns, name: d.meta.name }, 'ScalingReplicaSet', from === 0 && rs === newRs && made === 0 ? `Scaled up replica set ${rs} to ${to}` : `Scaled ${to > from ? 'up' : 'down'} replica set ${rs} to ${to} from ${from}`, 'deployment-controller');
  const rsOwner = (rs: string) => ({ kind: 'ReplicaSet', name: rs, namespace: ns, component: 'replicaset-controller' });
  for (let guard = 0; guard < 2 * n + 4 && (made < n || old.length > 0); guard++) {
    let moved = false;
    // reconcileNewReplicaSet: up to replicas + maxSurge pods in all.
    const target = Math.min(n + surge - old.length, n);
    if (target > made && !(recreate && old.length > 0)) {
      const decls: PodDecl[] = [];
      const taken = new Set<string>();
      for (let i = made; i < target; i++) {
        const t = fromTemplate(change, next, { kind: 'ReplicaSet', name: newRs, uid: newUid }, '', taken);
        if (!t.ok) return t;
        taken.add(t.value.meta.name);
        decls.push(t.value);
      }
      scaled(newRs, target, made);
      noteCreated(log, decls, rsOwner(newRs));
      const s = change.schedule(decls);
      if (!s.ok) return s;
      const c = change.createPods(s.value);
      if (!c.ok) return c;
      made = target;
      moved = true;
    }
    // reconcileOldReplicaSets: keep replicas - maxUnavailable available (every pod is ready here).
    const down = Math.min(old.length, made + old.length - (n - unavailable));
    if (down > 0) {
      const victims = podsToDelete(old, down);
      scaled(oldRs, old.length - down, old.length);
      deleteOwnedPods(change, log, victims, rsOwner(oldRs));
      const gone = new Set(victims);
      old = old.filter((p) => !gone.has(p));
      moved = true;
    }
    if (!moved) break;
  }
  change.workloads = new Map(change.workloads).set(oldKey, { ...oldRec, replicas: 0, manifest: { ...oldRec.manifest, spec: { ...((oldRec.manifest.spec as Record<string, unknown>) ?? {}), replicas: 0 } } });
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
