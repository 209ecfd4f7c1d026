/**
 * A cluster back to scenario YAML (the app's YAML view after a canvas edit, the share link,
 * the exported file). Pure: the same cluster always gives the same text.
 *
 * What is written: the Cluster document (config and nodes, each with its address and
 * PodCIDR), the user's namespaces, workloads (replicas as scaled), every user pod with
 * `spec.nodeName` and `status.podIP` — workload pods too, with their ownerReferences, which
 * the loader reads as a dump ("these pods stand for the workload", loadScenario) so names,
 * placement and addresses come back as they were — and the user's Services, NetworkPolicies
 * and other objects. What is not: the system objects a kubeadm cluster boots with (static
 * pods, kube-proxy, the CNI DaemonSet and their host-network pods, Services kubernetes and
 * kube-dns); the loader recreates them. CoreDNS's pods are written (see below).
 */
import { GKE_DEFAULTS, isGke } from './gkeRanges';
import jsyaml from 'js-yaml';
import { formatIpv4 } from '../addressing/ipv4';
import { pluginFor } from '../cni/registry';
import { CNI_MODES, type Cluster, type NodeRec, type ObjectMeta, type PodRec, type WorkloadRec, type ManifestRec } from '../model/cluster';
import { AWS_NODE_MTU, DEFAULTS, kubeletLabels } from './clusterConfig';
import { makeUid, USER_OBJECTS_AT } from './meta';
import { DEFAULT_MAX_PODS } from './readManifests';
import { SYSTEM_NAMESPACES } from './system';
import { EPOCH_MS } from '../sim/clock';
import { kubeadmTaints } from './nodeFit';

/** Namespaces the cluster makes itself: kubeadm's and every CNI's own. */
function systemNamespaces(): Set<string> {
  const set = new Set(SYSTEM_NAMESPACES.filter((n) => n !== 'default'));
  for (const mode of CNI_MODES) set.add(pluginFor(mode).daemonSet.namespace);
  return set;
}

/**
 * A DaemonSet whose pods the scenario does not hold (a system one on the host network: the CNI's
 * agent, kube-proxy): the loader makes them again, named by expand.ts daemonPodNames.
 */
export function regeneratedOnReload(w: WorkloadRec): boolean {
  const hostNetwork = !!(w.template as { spec?: { hostNetwork?: unknown } } | undefined)?.spec?.hostNetwork;
  return w.kind === 'DaemonSet' && hostNetwork && systemNamespaces().has(w.meta.namespace ?? 'default');
}

/** Objects kubeadm creates in `default` (the rest of its objects live in system namespaces). */
const SYSTEM_DEFAULT_OBJECTS = new Set(['Service/default/kubernetes']);

const nonEmpty = <T extends object>(o: T | undefined): o is T => !!o && Object.keys(o).length > 0;

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** metadata as kubectl would show what the user set: name, namespace, labels, annotations; uid and time only when not derivable. */
function metadataOf(kind: string, meta: ObjectMeta, created = String(USER_OBJECTS_AT)): Record<string, unknown> {
  const m: Record<string, unknown> = { name: meta.name };
  if (meta.namespace !== undefined) m.namespace = meta.namespace;
  if (nonEmpty(meta.labels)) m.labels = { ...meta.labels };
  if (nonEmpty(meta.annotations)) m.annotations = { ...meta.annotations };
  // metav1.Time is RFC 3339 (`kubectl apply` refuses "306"): seconds since the simulated epoch are
  // written as that instant; the loader reads either form (sim/clock createdAt). The uid is
  // written when it cannot be derived from what is written, so a reload keeps it.
  const written = meta.creationTimestamp === created ? created : rfc3339(meta.creationTimestamp);
  if (written !== created) m.creationTimestamp = written;
  if (meta.uid !== makeUid(kind, meta.namespace, meta.name, written)) m.uid = meta.uid;
  if (meta.ownerReferences?.length) m.ownerReferences = meta.ownerReferences.map((o) => ({ ...o }));
  return m;
}

/** `306` (seconds since the simulated epoch) → `2024-01-01T00:05:06Z`; an RFC 3339 value stays as it is. */
function rfc3339(t: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(t)) return t;
  return new Date(EPOCH_MS + Math.floor(Number(t)) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function clusterDocument(cluster: Cluster, nodesInline: boolean): Record<string, unknown> {
  const c = cluster.config;
  const spec: Record<string, unknown> = {
    cni: c.cni,
    kubeProxy: c.kubeProxy,
    podCIDR: c.podCIDR.toString(),
    nodeCIDRMaskSize: c.nodeCIDRMaskSize,
    serviceCIDR: c.serviceCIDR.toString(),
    nodeNetwork: c.nodeNetwork.toString(),
    clusterDomain: c.clusterDomain,
  };
  if (c.wireguard) spec.wireguard = true;
  if (c.vnetCIDR) spec.vnetCIDR = c.vnetCIDR.toString();
  if (c.maxPodsPerNode !== undefined && c.maxPodsPerNode !== GKE_DEFAULTS.maxPodsPerNode) spec.maxPodsPerNode = c.maxPodsPerNode;
  if (c.networkPolicy) spec.networkPolicy = c.networkPolicy;
  if (c.peerings?.length) spec.peerings = c.peerings.map((p) => ({ name: p.name, cidr: p.cidr.toString() }));
  if (c.nodeMtu !== (c.cni === 'aws-vpc' ? AWS_NODE_MTU : isGke(c.cni) ? GKE_DEFAULTS.nodeMtu : DEFAULTS.nodeMtu)) spec.nodeMtu = c.nodeMtu;
  if (c.underlayMtu !== undefined) spec.underlayMtu = c.underlayMtu;
  if (cluster.linkMtus && Object.keys(cluster.linkMtus).length) spec.linkMtus = structuredClone(cluster.linkMtus);
  spec.seed = c.seed;
  if (c.kubernetesVersion !== DEFAULTS.kubernetesVersion) spec.kubernetesVersion = c.kubernetesVersion;
  if (nodesInline) spec.nodes = cluster.nodes.map(inlineNode);
  // What `sysctl -w` changed on a node (lab 15's bridge-nf-call-iptables=0): a reload keeps it.
  const sysctls = Object.entries(cluster.nodeSysctls ?? {}).filter(([, keys]) => nonEmpty(keys));
  if (sysctls.length) spec.nodeSysctls = Object.fromEntries(sysctls.map(([node, keys]) => [node, { ...keys }]));
  return { apiVersion: 'podpath/v1alpha1', kind: 'Cluster', metadata: { name: c.name }, spec };
}

function inlineNode(n: NodeRec): Record<string, unknown> {
  const out: Record<string, unknown> = { name: n.meta.name };
  if (n.role === 'control-plane') out.role = 'control-plane';
  out.ip = formatIpv4(n.ip);
  if (n.podCIDR) out.podCIDR = n.podCIDR.toString();
  if (n.capacityPods !== DEFAULT_MAX_PODS) out.capacity = n.capacityPods;
  return out;
}

/**
 * Calico's BlockAffinity objects for a node's blocks, as the Kubernetes datastore holds them
 * (crd.projectcalico.org/v1; the name is `<node>-<cidr with . and / as ->`, libcalico-go
 * backend/k8s/resources/blockaffinity.go): a block stays the node's when its pods are gone, so a
 * reload gives the node the same blocks in the same order.
 */
function blockAffinities(n: NodeRec): Record<string, unknown>[] {
  return n.blocks.map((b) => ({
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'BlockAffinity',
    metadata: { name: `${n.meta.name}-${b.toString().replace(/[./]/g, '-')}` },
    spec: { cidr: b.toString(), deleted: 'false', node: n.meta.name, state: 'confirmed' },
  }));
}

/** A Node manifest, for clusters whose nodes carry labels the Cluster document cannot say. */
function nodeManifest(n: NodeRec): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: n.meta.name, labels: { ...n.meta.labels } };
  if (nonEmpty(n.meta.annotations)) metadata.annotations = { ...n.meta.annotations };
  const spec: Record<string, unknown> = {};
  if (n.podCIDR) spec.podCIDR = n.podCIDR.toString();
  if (n.taints?.length) spec.taints = n.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect }));
  if (n.unschedulable) spec.unschedulable = true;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata,
    ...(Object.keys(spec).length ? { spec } : {}),
    status: { addresses: [{ type: 'InternalIP', address: formatIpv4(n.ip) }, { type: 'Hostname', address: n.meta.name }], capacity: { pods: String(n.capacityPods) } },
  };
}

/**
 * The kubelet's labels (and kubeadm's control-plane ones, either version) and kubeadm's taints are
 * all a node has, and it is not cordoned: the Cluster document can say it.
 */
function plainNode(n: NodeRec): boolean {
  const { 'node.kubernetes.io/exclude-from-external-load-balancers': _e, ...labels } = n.meta.labels;
  const { 'node.kubernetes.io/exclude-from-external-load-balancers': _d, ...expected } = kubeletLabels(n.meta.name, n.role);
  const taints = kubeadmTaints(n.role);
  const sameTaints = JSON.stringify(n.taints ?? []) === JSON.stringify(taints ?? []);
  return sameMap(labels, expected) && !nonEmpty(n.meta.annotations) && sameTaints && !n.unschedulable;
}

function workloadManifest(w: WorkloadRec): Record<string, unknown> {
  const m = structuredClone(w.manifest) as Record<string, unknown>;
  delete m.status;
  const metadata = { ...((m.metadata as Record<string, unknown>) ?? {}), ...metadataOf(w.kind, w.meta) };
  delete metadata.ownerReferences;
  if (!nonEmpty(w.meta.labels)) delete metadata.labels;
  m.metadata = metadata;
  if (w.kind !== 'DaemonSet') m.spec = { ...((m.spec as Record<string, unknown>) ?? {}), replicas: w.replicas };
  return { apiVersion: m.apiVersion ?? 'apps/v1', kind: w.kind, ...m };
}

function podManifest(p: PodRec): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (p.nodeName) spec.nodeName = p.nodeName;
  if (p.hostNetwork) spec.hostNetwork = true;
  if (p.hostname) spec.hostname = p.hostname;
  if (p.subdomain) spec.subdomain = p.subdomain;
  if (p.restartPolicy) spec.restartPolicy = p.restartPolicy;
  const sched = p.scheduling;
  if (sched?.nodeSelector) spec.nodeSelector = { ...sched.nodeSelector };
  if (sched?.nodeAffinity) spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: structuredClone(sched.nodeAffinity) } } };
  if (sched?.tolerations) spec.tolerations = sched.tolerations.map((t) => ({ ...t }));
  spec.containers = p.containers.map((c) => ({
    name: c.name,
    image: c.image,
    ...(c.command ? { command: [...c.command] } : {}),
    ...(c.args ? { args: [...c.args] } : {}),
    ...(c.securityContext ? { securityContext: structuredClone(c.securityContext) } : {}),
    ...(c.ports.length
      ? { ports: c.ports.map((port) => ({ ...(port.name ? { name: port.name } : {}), containerPort: port.containerPort, ...(port.protocol !== 'TCP' ? { protocol: port.protocol } : {}) })) }
      : {}),
  }));
  const status: Record<string, unknown> = { phase: p.phase };
  // A pod the kubelet rejected keeps its reason (OutOfpods) and message; Pending and
  // ContainerCreating pods are Pending and come back so when the cluster is the same.
  if (p.phase === 'Failed' && p.status?.reason) {
    status.reason = p.status.reason;
    if (p.status.message) status.message = p.status.message;
  }
  // kubectl prints the Ready condition's status as the string "True"/"False".
  if (p.ready !== (p.phase === 'Running')) status.conditions = [{ type: 'Ready', status: p.ready ? 'True' : 'False' }];
  if (p.attachment) status.podIP = formatIpv4(p.attachment.ip);
  return { apiVersion: 'v1', kind: 'Pod', metadata: metadataOf('Pod', p.meta), spec, status };
}

function objectManifest(o: ManifestRec): Record<string, unknown> {
  const m = structuredClone(o.manifest) as Record<string, unknown>;
  const metadata: Record<string, unknown> = { ...((m.metadata as Record<string, unknown>) ?? {}), name: o.meta.name };
  if (o.meta.namespace !== undefined) metadata.namespace = o.meta.namespace;
  if (nonEmpty(o.meta.labels)) metadata.labels = { ...o.meta.labels };
  else delete metadata.labels;
  m.metadata = metadata;
  return m;
}

const nsOf = (meta: ObjectMeta) => meta.namespace ?? 'default';

/** The scenario documents of a cluster, in load order. */
export function scenarioDocuments(cluster: Cluster): Record<string, unknown>[] {
  const system = systemNamespaces();
  const userNs = (meta: ObjectMeta) => !system.has(nsOf(meta));
  const nodesInline = cluster.nodes.every(plainNode);
  const docs: Record<string, unknown>[] = [clusterDocument(cluster, nodesInline)];
  if (!nodesInline) docs.push(...cluster.nodes.map(nodeManifest));
  if (pluginFor(cluster.config.cni).ipam === 'calico-ipam') docs.push(...cluster.nodes.flatMap(blockAffinities));
  for (const ns of cluster.namespaces.values()) {
    if (system.has(ns.meta.name) || ns.meta.name === 'default') continue;
    const labels = { ...ns.meta.labels };
    // The API server adds this label to every namespace; writing it back is noise.
    if (labels['kubernetes.io/metadata.name'] === ns.meta.name) delete labels['kubernetes.io/metadata.name'];
    docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns.meta.name, ...(nonEmpty(labels) ? { labels } : {}) } });
  }
  const deploymentRs = new Set<string>();
  for (const w of cluster.workloads.values()) {
    if (w.kind === 'Deployment' && w.templateHash) deploymentRs.add(`ReplicaSet/${nsOf(w.meta)}/${w.meta.name}-${w.templateHash}`);
  }
  for (const w of cluster.workloads.values()) {
    if (!userNs(w.meta)) continue;
    // A Deployment's ReplicaSet is the Deployment's business: the loader makes it again.
    if (w.kind === 'ReplicaSet' && deploymentRs.has(`ReplicaSet/${nsOf(w.meta)}/${w.meta.name}`)) continue;
    docs.push(workloadManifest(w));
  }
  // System pods on the pod network (CoreDNS, calico-kube-controllers) are written too: the loader
  // reserves the written addresses first, so a system pod left to the allocator would come back
  // at another address. Written with their owner, they stand for their Deployment (a dump).
  // A stuck one (ContainerCreating, Pending) is written too, or it would come back Running in the slot it held.
  for (const p of cluster.pods.values()) if (userNs(p.meta) || (!p.hostNetwork && (p.attachment || p.status))) docs.push(podManifest(p));
  for (const [key, o] of cluster.objects) {
    if (!userNs(o.meta) || SYSTEM_DEFAULT_OBJECTS.has(key)) continue;
    docs.push(objectManifest(o));
  }
  return docs;
}

const HEADER = '# podpath scenario, written from the cluster on the canvas.\n# Pods keep spec.nodeName and status.podIP so a reload gives the same addresses.\n';

/** The whole scenario as one multi-document YAML text. */
export function scenarioYaml(cluster: Cluster): string {
  const body = scenarioDocuments(cluster)
    .map((doc) => jsyaml.dump(doc, { noRefs: true, lineWidth: -1, sortKeys: false, quotingType: '"' }))
    .join('---\n');
  return HEADER + body;
}
