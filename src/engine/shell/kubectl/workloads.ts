/**
 * Deployments, ReplicaSets and DaemonSets as kubectl shows them: the table rows of kubectl's
 * printers (printers.go printDeployment, printReplicaSet, printDaemonSet, with their -o wide
 * CONTAINERS/IMAGES/SELECTOR columns) and the API objects with a status computed from the pods
 * the controllers own. A Deployment's ReplicaSet (`NAME-<pod-template-hash>`) is derived from the
 * Deployment and its pods' ownerReferences, as the engine keeps only the Deployment.
 */
import type { Cluster, ObjectMeta, PodRec, WorkloadRec } from '../../model/cluster';
import { formatSelector, readSelector } from '../../model/labelSelector';
import { fenceposts, oldReplicaSets } from '../../controllers/rollout';
import { makeUid } from '../../scenario/meta';
import { age, createdAt, rfc3339 } from '../time';
import { metaJson, POD_START_DELAY } from './objects';
import type { Json } from './output';
import type { ObjectItem } from './services';

export type WorkloadKind = 'deployments' | 'replicasets' | 'daemonsets';

export const WORKLOAD_SINGULAR: Record<WorkloadKind, string> = { deployments: 'deployment.apps', replicasets: 'replicaset.apps', daemonsets: 'daemonset.apps' };
export const WORKLOAD_RESOURCE: Record<WorkloadKind, string> = { deployments: 'deployments.apps', replicasets: 'replicasets.apps', daemonsets: 'daemonsets.apps' };

export const WORKLOAD_HEADERS: Record<WorkloadKind, { head: string[]; wide: string[] }> = {
  deployments: { head: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'] },
  replicasets: { head: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'] },
  daemonsets: { head: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'], wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'] },
};

/** kubectl's names and short names (discovery: deploy, rs, ds). */
export function resolveWorkloadKind(word: string): WorkloadKind | undefined {
  const w = word.toLowerCase().replace(/\.apps$/, '');
  if (['deploy', 'deployment', 'deployments'].includes(w)) return 'deployments';
  if (['rs', 'replicaset', 'replicasets'].includes(w)) return 'replicasets';
  if (['ds', 'daemonset', 'daemonsets'].includes(w)) return 'daemonsets';
  return undefined;
}

type Obj = Record<string, unknown>;
const templateSpec = (w: WorkloadRec): Obj => (((w.template as Obj)?.spec as Obj) ?? {});
const containersOf = (w: WorkloadRec): { name: string; image: string }[] => (Array.isArray(templateSpec(w).containers) ? (templateSpec(w).containers as { name: string; image: string }[]) : []);

/** The pods a controller owns (ownerReferences), in creation order. */
export function podsOwnedBy(cluster: Cluster, namespace: string, kind: string, name: string): PodRec[] {
  const out: PodRec[] = [];
  for (const p of cluster.pods.values()) {
    if ((p.meta.namespace ?? 'default') === namespace && p.meta.ownerReferences?.some((o) => o.kind === kind && o.name === name)) out.push(p);
  }
  return out;
}

/** A ReplicaSet as kubectl lists it: stored, or derived from its Deployment. */
export interface ReplicaSetView {
  name: string;
  namespace: string;
  meta: ObjectMeta;
  replicas: number;
  deployment?: WorkloadRec;
  rec: WorkloadRec;
  hash?: string;
}

/** Every ReplicaSet: those kept as workloads and each Deployment's (current hash and any its pods still name). */
export function replicaSetsOf(cluster: Cluster, namespace: string | null): ReplicaSetView[] {
  const out: ReplicaSetView[] = [];
  const seen = new Set<string>();
  for (const w of cluster.workloads.values()) {
    const ns = w.meta.namespace ?? 'default';
    if (namespace !== null && ns !== namespace) continue;
    if (w.kind === 'ReplicaSet') {
      seen.add(`${ns}/${w.meta.name}`);
      out.push({ name: w.meta.name, namespace: ns, meta: w.meta, replicas: w.replicas, rec: w });
    }
  }
  for (const w of cluster.workloads.values()) {
    const ns = w.meta.namespace ?? 'default';
    if (w.kind !== 'Deployment' || (namespace !== null && ns !== namespace)) continue;
    const names = new Set<string>();
    if (w.templateHash) names.add(`${w.meta.name}-${w.templateHash}`);
    for (const p of cluster.pods.values()) {
      if ((p.meta.namespace ?? 'default') !== ns) continue;
      const hash = p.meta.labels['pod-template-hash'];
      for (const o of p.meta.ownerReferences ?? []) if (o.kind === 'ReplicaSet' && hash && o.name === `${w.meta.name}-${hash}`) names.add(o.name);
    }
    // A rollout in progress: an old ReplicaSet of this Deployment still has replicas, and the new
    // one's spec.replicas is what the deployment controller has scaled it to (its pods) so far.
    const rolling = rolloutInProgress(cluster, w);
    for (const name of names) {
      if (seen.has(`${ns}/${name}`)) continue;
      seen.add(`${ns}/${name}`);
      const hash = name.slice(w.meta.name.length + 1);
      const current = hash === w.templateHash;
      const labels = { ...(((w.template as Obj)?.metadata as Obj)?.labels as Record<string, string>), 'pod-template-hash': hash };
      // Created just before its first pod (a restart's ReplicaSet is younger than its Deployment).
      const own = [...cluster.pods.values()].filter((p) => (p.meta.namespace ?? 'default') === ns && p.meta.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && o.name === name));
      const revision = w.meta.annotations['deployment.kubernetes.io/revision'] ?? '1';
      const created = revision !== '1' && own.length ? String(Math.min(...own.map((p) => createdAt(p.meta)))) : w.meta.creationTimestamp;
      const meta: ObjectMeta = {
        name,
        namespace: ns,
        labels,
        annotations: { 'deployment.kubernetes.io/desired-replicas': String(w.replicas), 'deployment.kubernetes.io/max-replicas': String(w.replicas + Math.max(1, Math.ceil(w.replicas / 4))), 'deployment.kubernetes.io/revision': current ? revision : '0' },
        uid: makeUid('ReplicaSet', ns, name, w.meta.creationTimestamp),
        creationTimestamp: created,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: w.meta.name, uid: w.meta.uid, controller: true }],
      };
      const replicas = !current ? 0 : rolling ? own.filter((p) => p.phase !== 'Succeeded' && p.phase !== 'Failed').length : w.replicas;
      out.push({ name, namespace: ns, meta, replicas, deployment: w, rec: w, hash });
    }
  }
  return out;
}

/** Whether an old ReplicaSet record of the Deployment still has replicas: its rollout is unfinished (controllers/rollout.ts). */
const rolloutInProgress = (cluster: Cluster, d: WorkloadRec) => oldReplicaSets(cluster.workloads, d).length > 0;

const ownedByDeployment = (rs: { meta: ObjectMeta }, d: WorkloadRec) => !!rs.meta.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === d.meta.name);

const readyCount = (pods: PodRec[]) => pods.filter((p) => p.ready).length;
const wideCells = (w: WorkloadRec, selector: string): string[] => {
  const cs = containersOf(w);
  return [cs.map((c) => c.name).join(',') || '<none>', cs.map((c) => c.image).join(',') || '<none>', selector];
};
const selectorText = (w: WorkloadRec) => formatSelector(readSelector(w.selector));

function workloadJson(w: WorkloadRec, meta: ObjectMeta, status: Record<string, Json>, specOver: Record<string, Json> = {}): Json {
  const { metadata: _m, status: _s, ...rest } = w.manifest as Record<string, Json>;
  const spec = { ...((rest.spec as Record<string, Json>) ?? {}), ...specOver };
  return { ...rest, apiVersion: 'apps/v1', kind: w.kind === 'Deployment' && meta.name !== w.meta.name ? 'ReplicaSet' : w.kind, metadata: metaJson(meta), spec, status };
}

/** Every object of a workload kind in the namespace (or all), in the API server's order. */
export function listWorkloads(cluster: Cluster, kind: WorkloadKind, namespace: string | null): ObjectItem[] {
  const items: ObjectItem[] = [];
  if (kind === 'replicasets') {
    for (const rs of replicaSetsOf(cluster, namespace)) {
      const pods = podsOwnedBy(cluster, rs.namespace, 'ReplicaSet', rs.name);
      const sel = rs.deployment ? formatSelector(readSelector({ matchLabels: { ...((rs.rec.selector as Obj).matchLabels as Record<string, string>), 'pod-template-hash': rs.hash! } })) : selectorText(rs.rec);
      items.push({
        name: rs.name,
        namespace: rs.namespace,
        labels: rs.meta.labels,
        meta: rs.meta,
        cells: (wide) => [rs.name, String(rs.replicas), String(pods.length), String(readyCount(pods)), age(rs.meta, cluster.now), ...(wide ? wideCells(rs.rec, sel) : [])],
        json: () => workloadJson(rs.rec, rs.meta, { availableReplicas: readyCount(pods), fullyLabeledReplicas: pods.length, observedGeneration: 1, readyReplicas: readyCount(pods), replicas: pods.length }, { replicas: rs.replicas }),
      });
    }
  } else {
    for (const w of cluster.workloads.values()) {
      const ns = w.meta.namespace ?? 'default';
      if ((namespace !== null && ns !== namespace) || w.kind !== (kind === 'deployments' ? 'Deployment' : 'DaemonSet')) continue;
      if (w.kind === 'Deployment') {
        const pods = replicaSetsOf(cluster, ns).filter((r) => r.deployment === w || ownedByDeployment(r, w)).flatMap((r) => podsOwnedBy(cluster, ns, 'ReplicaSet', r.name));
        const current = pods.filter((p) => p.meta.labels['pod-template-hash'] === w.templateHash);
        const ready = readyCount(pods);
        items.push({
          name: w.meta.name,
          namespace: ns,
          labels: w.meta.labels,
          meta: w.meta,
          cells: (wide) => [w.meta.name, `${ready}/${w.replicas}`, String(current.length), String(ready), age(w.meta, cluster.now), ...(wide ? wideCells(w, selectorText(w)) : [])],
          json: () => {
            const at = rfc3339(createdAt(w.meta) + POD_START_DELAY);
            const cond = (type: string, status: boolean, reason: string, message: string) => ({ lastTransitionTime: at, lastUpdateTime: at, message, reason, status: status ? 'True' : 'False', type });
            // deploymentutil: Available when availableReplicas >= replicas − maxUnavailable
            // (MinimumReplicasAvailable); Progressing NewReplicaSetAvailable once the rollout is
            // complete (DeploymentComplete), ReplicaSetUpdated "ReplicaSet %q is progressing." before.
            const available = ready >= w.replicas - fenceposts(w).unavailable;
            const rs = `${w.meta.name}-${w.templateHash ?? ''}`;
            const complete = current.length === w.replicas && pods.length === w.replicas && ready === w.replicas;
            return workloadJson(w, w.meta, {
              availableReplicas: ready,
              conditions: [
                cond('Available', available, available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'),
                complete ? cond('Progressing', true, 'NewReplicaSetAvailable', `ReplicaSet "${rs}" has successfully progressed.`) : cond('Progressing', true, 'ReplicaSetUpdated', `ReplicaSet "${rs}" is progressing.`),
              ],
              observedGeneration: 1,
              readyReplicas: ready,
              replicas: pods.length,
              updatedReplicas: current.length,
            });
          },
        });
      } else {
        const pods = podsOwnedBy(cluster, ns, 'DaemonSet', w.meta.name);
        const ready = readyCount(pods);
        const ns2 = templateSpec(w).nodeSelector as Record<string, string> | undefined;
        const nodeSel = ns2 && Object.keys(ns2).length ? Object.keys(ns2).sort().map((k) => `${k}=${ns2[k]}`).join(',') : '<none>';
        items.push({
          name: w.meta.name,
          namespace: ns,
          labels: w.meta.labels,
          meta: w.meta,
          cells: (wide) => [w.meta.name, String(pods.length), String(pods.length), String(ready), String(pods.length), String(ready), nodeSel, age(w.meta, cluster.now), ...(wide ? wideCells(w, selectorText(w)) : [])],
          json: () => workloadJson(w, w.meta, { currentNumberScheduled: pods.length, desiredNumberScheduled: pods.length, numberAvailable: ready, numberMisscheduled: 0, numberReady: ready, observedGeneration: 1, updatedNumberScheduled: pods.length }),
        });
      }
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return items.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
}
