/**
 * The workload controllers' view of pods: which controller owns a pod, whether that controller
 * still exists, and the pods it creates (a copy of a sibling, or the workload's template through
 * the loader). Lookups go by key (O(1) in the number of workloads), so replacing one pod costs
 * the same on a 5,000-node cluster as on a 3-node one.
 *
 * A Deployment's ReplicaSet is `<deployment>-<pod-template-hash>` (deployment/sync.go
 * getNewReplicaSet). The current one may exist only as the Deployment's `templateHash`; old ones
 * (after `rollout restart`) are kept as ReplicaSet records scaled to 0.
 */
import { daemonShouldRun, eligibleNode } from '../scenario/expand';
import { readObjects } from '../scenario/readObjects';
import type { PodDecl } from '../scenario/types';
import type { Cluster, NodeSelectorTerm, ObjectMeta, PodRec, PodScheduling, Toleration, WorkloadRec } from '../model/cluster';
import { fail, ok, type Result } from '../model/source';
import { Change, FILE, err, suffix, uuid } from './change';

export type OwnerRef = NonNullable<ObjectMeta['ownerReferences']>[number];

/** metav1.GetControllerOf: the owner reference with controller: true. */
export function controllerOf(p: Pick<PodRec, 'meta'>): OwnerRef | undefined {
  return p.meta.ownerReferences?.find((o) => o.controller === true);
}

/** The ReplicaSet or DaemonSet that owns a pod (the controllers that replace pods). */
export function podController(p: Pick<PodRec, 'meta'>): OwnerRef | undefined {
  return p.meta.ownerReferences?.find((o) => o.controller !== false && (o.kind === 'ReplicaSet' || o.kind === 'DaemonSet'));
}

/** Pods a controller owns (ownerReferences), in creation order. */
export function ownedPods(pods: ReadonlyMap<string, PodRec>, namespace: string, kind: string, name: string): PodRec[] {
  const out: PodRec[] = [];
  for (const p of pods.values()) {
    if ((p.meta.namespace ?? 'default') !== namespace) continue;
    if (p.meta.ownerReferences?.some((o) => o.kind === kind && o.name === name)) out.push(p);
  }
  return out;
}

/** The Deployment whose current ReplicaSet is `rsName`, by key: `<deployment>-<hash>`. */
export function deploymentOfReplicaSet(workloads: Map<string, WorkloadRec>, namespace: string, rsName: string): WorkloadRec | undefined {
  const dash = rsName.lastIndexOf('-');
  if (dash <= 0) return undefined;
  const d = workloads.get(`Deployment/${namespace}/${rsName.slice(0, dash)}`);
  return d && d.templateHash === rsName.slice(dash + 1) ? d : undefined;
}

/** The current ReplicaSet name of a Deployment (or the ReplicaSet's own name). */
export const replicaSetName = (w: WorkloadRec) => (w.kind === 'Deployment' ? `${w.meta.name}-${w.templateHash ?? ''}` : w.meta.name);

/** The workload that stands for an owner reference: the DaemonSet, the ReplicaSet record, or the Deployment of a current ReplicaSet. */
export function ownerWorkload(workloads: Map<string, WorkloadRec>, namespace: string, kind: string, name: string): WorkloadRec | undefined {
  return workloads.get(`${kind}/${namespace}/${name}`) ?? (kind === 'ReplicaSet' ? deploymentOfReplicaSet(workloads, namespace, name) : undefined);
}

export function ownerExists(cluster: Cluster, namespace: string, kind: string, name: string): boolean {
  return !!ownerWorkload(cluster.workloads, namespace, kind, name);
}

/** spec.tolerations of a controller's pod template (PodRec does not keep them; the scheduler needs them). */
function templateTolerations(workloads: Map<string, WorkloadRec>, namespace: string, kind: string, ownerName: string): PodDecl['tolerations'] {
  const w = ownerWorkload(workloads, namespace, kind, ownerName);
  const t = (w?.template as { spec?: { tolerations?: unknown } } | undefined)?.spec?.tolerations;
  return Array.isArray(t) ? (t as PodDecl['tolerations']) : undefined;
}

/** What the DaemonSet controller reads of its template to decide where daemon pods run. */
function daemonSpec(w: WorkloadRec): PodScheduling & { hostNetwork: boolean } {
  const spec = ((w.template as { spec?: Record<string, unknown> } | undefined)?.spec ?? {}) as {
    tolerations?: Toleration[];
    nodeSelector?: Record<string, string>;
    hostNetwork?: boolean;
    affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } };
  };
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return {
    hostNetwork: !!spec.hostNetwork,
    ...(Array.isArray(spec.tolerations) ? { tolerations: spec.tolerations } : {}),
    ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
    ...(Array.isArray(terms) ? { nodeAffinity: terms } : {}),
  };
}

/** Whether a DaemonSet runs a pod on the node (taints it does not tolerate, its node selector and affinity). */
export function daemonRunsOn(change: Change, w: WorkloadRec, nodeName: string): boolean {
  const node = change.node(nodeName);
  return !!node && daemonShouldRun(daemonSpec(w), eligibleNode(node));
}

/** A replacement pod as a ReplicaSet or DaemonSet controller creates it: same template, new name and uid. */
export function replacement(change: Change, like: PodRec, owner: Pick<OwnerRef, 'kind' | 'name'>, nodeName: string, taken?: Set<string>): PodDecl {
  const tolerations = templateTolerations(change.workloads, like.meta.namespace ?? 'default', owner.kind, owner.name) ?? like.scheduling?.tolerations;
  const meta: ObjectMeta = {
    ...like.meta,
    name: freeName(change, like.meta.namespace ?? 'default', owner.name, taken),
    uid: uuid(change.rng),
    creationTimestamp: String(change.base.now),
  };
  return {
    meta,
    nodeName,
    hostNetwork: like.hostNetwork,
    containers: like.containers,
    ...(like.hostname !== undefined ? { hostname: like.hostname } : {}),
    ...(like.subdomain !== undefined ? { subdomain: like.subdomain } : {}),
    phase: nodeName ? 'Running' : 'Pending',
    ready: !!nodeName,
    ...(like.restartPolicy !== undefined ? { restartPolicy: like.restartPolicy } : {}),
    ...(like.dns ? { dns: like.dns } : {}),
    ...(tolerations ? { tolerations } : {}),
    ...(like.scheduling?.nodeSelector ? { nodeSelector: like.scheduling.nodeSelector } : {}),
    ...(like.scheduling?.nodeAffinity ? { nodeAffinity: like.scheduling.nodeAffinity } : {}),
  };
}

/** generateName `<base>-`: the API server draws another suffix while the name is taken. */
export function freeName(change: Change, namespace: string, base: string, taken?: Set<string>): string {
  let name: string;
  do name = `${base}-${suffix(change.rng)}`;
  while (change.pods.has(`${namespace}/${name}`) || taken?.has(name));
  return name;
}

/** What readObjects checks a batch against: the cluster's namespaces and nodes. */
export function readContext(change: Change) {
  return { namespaces: change.namespaces.keys(), nodes: change.nodes.map(eligibleNode), freePods: change.freePods() };
}

/** A pod from a workload's template, through the loader (used when no sibling pod exists to copy). */
export function fromTemplate(change: Change, w: WorkloadRec, owner: { kind: string; name: string; uid: string }, nodeName: string, taken?: Set<string>, extraLabels: Record<string, string> = {}): Result<PodDecl> {
  const tpl = (w.template ?? {}) as { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
  const ns = w.meta.namespace ?? 'default';
  const labels = { ...((tpl.metadata?.labels as Record<string, string>) ?? {}), ...(w.templateHash && w.kind === 'Deployment' ? { 'pod-template-hash': w.templateHash } : {}), ...extraLabels };
  const annotations = (tpl.metadata?.annotations as Record<string, string> | undefined) ?? undefined;
  const manifest = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: freeName(change, ns, owner.name, taken),
      namespace: ns,
      labels,
      ...(annotations ? { annotations } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: { ...(tpl.spec ?? {}), ...(nodeName ? { nodeName } : {}) },
  };
  const r = readObjects([{ name: FILE, text: JSON.stringify(manifest) }], change.base.config, change.base.now, readContext(change));
  if (!r.ok) return r;
  const decl = r.value.pods[0];
  if (!decl) return fail(err(`cannot create a pod from the template of ${w.kind}/${w.meta.name}`));
  return ok(decl);
}
