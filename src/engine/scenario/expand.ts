/**
 * Workload expansion with the names and labels the real controllers give their pods:
 * - Deployment → ReplicaSet `<deployment>-<pod-template-hash>` → pods `<rs>-<5 chars>`
 *   (pkg/controller/deployment/sync.go getNewReplicaSet; the ReplicaSet controller creates pods
 *   with generateName `<rs>-`, and the API server appends utilrand.String(5));
 * - ReplicaSet → pods `<rs>-<5 chars>`;
 * - DaemonSet → one pod `<ds>-<5 chars>` per eligible node, labelled controller-revision-hash and
 *   pod-template-generation (pkg/controller/daemon).
 * Suffixes use utilrand's alphabet, drawn from a random source of their own per workload (per
 * workload and node for a DaemonSet), seeded by the cluster seed, the workload's identity and its
 * creation time: the same seed names pods the same, and a pod's name never depends on what else
 * the file holds. (One shared stream would rename every later pod when an earlier workload is not
 * expanded — e.g. CoreDNS written out as a dump on reload — or a pod is added before it.)
 */
import type { ObjectMeta, PodScheduling, WorkloadRec } from '../model/cluster';
import { fnv32a } from '../util/hash';
import { K8S_NAME_ALPHABET, Rng } from '../sim/rng';
import { makeUid } from './meta';
import type { PodTemplateDecl } from './readManifests';
import type { PodDecl } from './types';
import type { Taint } from '../model/cluster';
import { daemonPodFits, daemonPodTolerations, type FitNode } from './nodeFit';

/** JSON with object keys sorted, so equal templates hash equally whatever the key order in the file. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * k8s.io/apimachinery/pkg/util/rand.SafeEncodeString: each character of the decimal hash is
 * mapped to alphanums[c % 27], which is why real hashes only hold 4-9 and b, c, d, f.
 */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += K8S_NAME_ALPHABET[s.charCodeAt(i) % K8S_NAME_ALPHABET.length];
  return out;
}

/**
 * pkg/controller.ComputeHash: FNV-32a of the pod template, rendered with SafeEncodeString.
 * Kubernetes hashes a spew dump of the Go struct; we hash the template's canonical JSON, so the
 * form is real and the value stable, but it will not equal the one a real cluster computes.
 */
export function podTemplateHash(template: unknown): string {
  return safeEncodeString(String(fnv32a(canonicalJson(template))));
}

/** The random source generated names are drawn from, seeded by what they belong to. */
export function nameSource(identity: string): Rng {
  return new Rng(fnv32a(identity));
}

/**
 * The names expandWorkload gives a DaemonSet's pods on `nodes` (in that order: the order the
 * loader walks the cluster's nodes), each drawn from a source seeded by the DaemonSet and the
 * node, a taken suffix drawn again. The controllers name the pods of a DaemonSet the loader
 * makes again (the CNI's, kube-proxy: not written to the scenario) the same way, so a reload
 * renames none of them (issue 13 point 7).
 */
export function daemonPodNames(seed: number, namespace: string, name: string, created: number, nodes: string[]): Map<string, string> {
  const identity = `${seed}/DaemonSet/${namespace}/${name}/${created}`;
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const node of nodes) {
    const rng = nameSource(`${identity}/${node}`);
    let s: string;
    do s = rng.string(5, K8S_NAME_ALPHABET);
    while (used.has(s));
    used.add(s);
    out.set(node, `${name}-${s}`);
  }
  return out;
}

/**
 * The first `count` names expandWorkload gives a Deployment's (or ReplicaSet's) pods:
 * `base` (the ReplicaSet's name) and suffixes drawn from one source seeded by the workload.
 */
export function replicaPodNames(seed: number, kind: 'Deployment' | 'ReplicaSet', namespace: string, name: string, created: number, base: string, count: number): string[] {
  const rng = nameSource(`${seed}/${kind}/${namespace}/${name}/${created}`);
  const used = new Set<string>();
  const out: string[] = [];
  while (out.length < count) {
    const s = rng.string(5, K8S_NAME_ALPHABET);
    if (used.has(s)) continue;
    used.add(s);
    out.push(`${base}-${s}`);
  }
  return out;
}

/** A node as the DaemonSet controller sees it (its labels and taints decide whether a daemon pod runs there). */
export type EligibleNode = FitNode;

/** A NodeRec/NodeDecl as the DaemonSet controller sees it. */
export function eligibleNode(n: { meta: { name: string; labels: Record<string, string> }; taints?: Taint[]; unschedulable?: boolean }): EligibleNode {
  return { name: n.meta.name, labels: n.meta.labels, ...(n.taints ? { taints: n.taints } : {}), ...(n.unschedulable ? { unschedulable: true } : {}) };
}

/**
 * The replica count a ReplicaSet controller reaches at the moment the cluster is looked at, when
 * the cluster cannot hold them all: every pod that can fit, plus at most one burst of pods that
 * stay Pending (pkg/controller/replicaset/replica_set.go BurstReplicas = 500: the most pods one
 * sync creates). The rest are the Deployment's shortfall (READY n/replicas).
 */
export const BURST_REPLICAS = 500;

function podFromTemplate(template: PodTemplateDecl, meta: ObjectMeta): PodDecl {
  const s = template.spec;
  const pod: PodDecl = { meta, nodeName: s.nodeName, hostNetwork: s.hostNetwork, containers: s.containers, phase: 'Running', ready: true };
  if (s.hostname) pod.hostname = s.hostname;
  if (s.subdomain) pod.subdomain = s.subdomain;
  if (s.restartPolicy) pod.restartPolicy = s.restartPolicy;
  if (s.tolerations) pod.tolerations = s.tolerations;
  if (s.nodeSelector) pod.nodeSelector = s.nodeSelector;
  if (s.nodeAffinity) pod.nodeAffinity = s.nodeAffinity;
  if (s.dns) pod.dns = s.dns;
  return pod;
}

/**
 * The pod the DaemonSet controller creates for a node. Since Kubernetes 1.12 (ScheduleDaemonSetPods)
 * it sets no spec.nodeName: the default scheduler binds the pod, held to the node by a required
 * node affinity on the node's name (pkg/controller/daemon/util ReplaceDaemonSetPodNodeNameNodeAffinity:
 * one term, `matchFields: [{key: metadata.name, operator: In, values: [NODE]}]`), with the daemon
 * tolerations added (AddOrUpdateDaemonPodTolerations). A node that has no room for it leaves it
 * Pending with the scheduler's FailedScheduling message, as any pod.
 */
export function daemonPod(pod: PodDecl, node: string): PodDecl {
  const tolerations = [...(pod.tolerations ?? [])];
  for (const t of daemonPodTolerations(pod.hostNetwork)) {
    if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect && (x.operator ?? 'Equal') === t.operator)) tolerations.push(t);
  }
  return { ...pod, nodeName: '', tolerations, nodeAffinity: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] };
}

/** Whether the DaemonSet controller runs a daemon pod of this template on the node (nodeShouldRunDaemonPod: affinity and untolerated taints). */
export function daemonShouldRun(spec: PodScheduling & { hostNetwork?: boolean }, node: FitNode): boolean {
  return daemonPodFits({ tolerations: [...(spec.tolerations ?? []), ...daemonPodTolerations(!!spec.hostNetwork)], nodeSelector: spec.nodeSelector, nodeAffinity: spec.nodeAffinity }, node);
}

function podMeta(name: string, namespace: string, created: number, labels: Record<string, string>, annotations: Record<string, string>, owner: NonNullable<ObjectMeta['ownerReferences']>[number]): ObjectMeta {
  const creationTimestamp = String(created);
  return { name, namespace, labels: { ...labels }, annotations: { ...annotations }, uid: makeUid('Pod', namespace, name, creationTimestamp), creationTimestamp, ownerReferences: [owner] };
}

/**
 * The pods of one workload. Deployment and ReplicaSet pods leave nodeName as the template has it
 * (normally '' for the scheduler), at most `max` of them (see BURST_REPLICAS); DaemonSet pods are
 * placed one per node in `nodes` whose taints the template (with the daemon tolerations) tolerates
 * and whose labels match its node selector/affinity. Sets `templateHash` on Deployments (keeping
 * one already set) and `replicas` on DaemonSets.
 */
export function expandWorkload(workload: WorkloadRec, template: PodTemplateDecl, nodes: EligibleNode[], seed: number, created: number, max = Infinity): PodDecl[] {
  const ns = workload.meta.namespace ?? 'default';
  const pods: PodDecl[] = [];
  // generateName: the API server retries a name that is already taken (names.SimpleNameGenerator
  // has 27^5 suffixes, so 10,000 DaemonSet pods collide a few times): replicaPodNames, daemonPodNames.
  if (workload.kind === 'Deployment') {
    const hash = workload.templateHash ?? podTemplateHash(workload.template);
    workload.templateHash = hash;
    const rsName = `${workload.meta.name}-${hash}`;
    // The ReplicaSet is created with the Deployment, so its uid follows from the Deployment's.
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: makeUid('ReplicaSet', ns, rsName, workload.meta.creationTimestamp), controller: true };
    const labels = { ...template.labels, 'pod-template-hash': hash };
    const names = replicaPodNames(seed, 'Deployment', ns, workload.meta.name, created, rsName, Math.min(workload.replicas, max));
    for (const name of names) pods.push(podFromTemplate(template, podMeta(name, ns, created, labels, template.annotations, owner)));
  } else if (workload.kind === 'ReplicaSet') {
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: workload.meta.name, uid: workload.meta.uid, controller: true };
    const names = replicaPodNames(seed, 'ReplicaSet', ns, workload.meta.name, created, workload.meta.name, Math.min(workload.replicas, max));
    for (const name of names) pods.push(podFromTemplate(template, podMeta(name, ns, created, template.labels, template.annotations, owner)));
  } else {
    const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: workload.meta.name, uid: workload.meta.uid, controller: true };
    const labels = { ...template.labels, 'controller-revision-hash': podTemplateHash(workload.template), 'pod-template-generation': '1' };
    const s = template.spec;
    const runs = nodes.filter((node) => daemonShouldRun(s, node));
    const names = daemonPodNames(seed, ns, workload.meta.name, created, runs.map((n) => n.name));
    for (const node of runs) pods.push(daemonPod(podFromTemplate(template, podMeta(names.get(node.name)!, ns, created, labels, template.annotations, owner)), node.name));
    workload.replicas = pods.length;
  }
  return pods;
}
