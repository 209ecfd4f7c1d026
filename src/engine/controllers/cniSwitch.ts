/**
 * Switching the cluster's CNI plugin or kube-proxy mode, as reinstalling them would: the same
 * nodes and pods addressed again from scratch under the new plugin's IPAM, the old plugin's
 * DaemonSet (and controllers) removed and the new one's created with one pod per node.
 */
import { AddressingSession } from '../addressing/ipam/session';
import { pluginFor } from '../cni/registry';
import { setupNodes, podKeyOf, workloadKey } from '../model/build';
import type { Cluster, CniMode, KubeProxyMode, NamespaceRec, NodeRec, PodRec, WorkloadRec } from '../model/cluster';
import { CNI_MODES, KUBE_PROXY_MODES } from '../model/cluster';
import { fail, ok, type Result, type ScenarioError } from '../model/source';
import type { PodDecl } from '../scenario/types';
import { systemObjects } from '../scenario/system';
import { daemonPod, daemonPodNames } from '../scenario/expand';
import { K8S_NAME_ALPHABET, Rng } from '../sim/rng';
import { applyManifests } from './apply';
import { Change, FILE, err, suffix, uuid } from './change';
import { ownedPods } from './owners';
import { aksMaxPods, applyAksDefaults, isAzure } from '../scenario/azureConfig';


/** Labels the upstream manifests give the DaemonSets' pods. */
const DS_LABELS: Record<string, Record<string, string>> = {
  'kube-flannel-ds': { app: 'flannel', 'k8s-app': 'flannel', tier: 'node' },
  'calico-node': { 'k8s-app': 'calico-node' },
  cilium: { 'app.kubernetes.io/name': 'cilium-agent', 'app.kubernetes.io/part-of': 'cilium', 'k8s-app': 'cilium' },
  'weave-net': { name: 'weave-net' },
  'aws-node': { 'app.kubernetes.io/instance': 'aws-vpc-cni', 'app.kubernetes.io/name': 'aws-node', 'k8s-app': 'aws-node' },
  'azure-cns': { 'k8s-app': 'azure-cns' },
  netd: { 'k8s-app': 'netd' },
  anetd: { 'k8s-app': 'cilium' },
  'kube-proxy': { 'k8s-app': 'kube-proxy' },
};

/** A host-network DaemonSet and one pod per node, as its controller creates them. */
function addDaemonSet(change: Change, ds: { name: string; namespace: string; image: string; containerName: string }): Result<void> {
  const now = String(change.base.now);
  if (!change.namespaces.has(ds.namespace)) {
    const nsRec: NamespaceRec = {
      kind: 'Namespace',
      meta: { name: ds.namespace, labels: { 'kubernetes.io/metadata.name': ds.namespace }, annotations: {}, uid: uuid(change.rng), creationTimestamp: now },
    };
    change.namespaces = new Map(change.namespaces).set(ds.namespace, nsRec);
  }
  const labels = DS_LABELS[ds.name] ?? { app: ds.name };
  const uid = uuid(change.rng);
  // The CNI and kube-proxy DaemonSets tolerate every taint (`- operator: Exists` in their manifests), as at load (scenario/system.ts).
  const tolerations = [{ operator: 'Exists' as const }];
  const template = { metadata: { labels }, spec: { hostNetwork: true, containers: [{ name: ds.containerName, image: ds.image }], tolerations } };
  const w: WorkloadRec = {
    kind: 'DaemonSet',
    meta: { name: ds.name, namespace: ds.namespace, labels, annotations: {}, uid, creationTimestamp: now },
    replicas: change.nodes.length,
    selector: { matchLabels: labels },
    template,
    manifest: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: ds.name, namespace: ds.namespace, labels }, spec: { selector: { matchLabels: labels }, template } },
  };
  change.workloads = new Map(change.workloads).set(workloadKey(w), w);
  // Named as the loader names them (a reload makes these pods again: they are not written to the scenario).
  const names = daemonPodNames(change.base.config.seed, ds.namespace, ds.name, 0, change.nodes.map((n) => n.meta.name));
  const decls: PodDecl[] = change.nodes.map((n) => daemonPod({
    meta: {
      name: names.get(n.meta.name) ?? `${ds.name}-${suffix(change.rng)}`,
      namespace: ds.namespace,
      labels: { ...labels, 'controller-revision-hash': change.rng.string(10, K8S_NAME_ALPHABET), 'pod-template-generation': '1' },
      annotations: {},
      uid: uuid(change.rng),
      creationTimestamp: now,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.name, uid, controller: true }],
    },
    nodeName: n.meta.name,
    hostNetwork: true,
    containers: [{ name: ds.containerName, image: ds.image, ports: [] }],
    tolerations,
    phase: 'Running',
    ready: true,
  }, n.meta.name));
  const placed = change.schedule(decls);
  if (!placed.ok) return placed;
  const r = change.createPods(placed.value);
  return r.ok ? ok(undefined) : r;
}

function removeDaemonSet(change: Change, namespace: string, name: string): void {
  const key = `DaemonSet/${namespace}/${name}`;
  if (change.workloads.has(key)) {
    change.workloads = new Map(change.workloads);
    change.workloads.delete(key);
  }
  for (const p of ownedPods(change.pods, namespace, 'DaemonSet', name)) change.pods.delete(podKeyOf(p));
}

export function setCni(cluster: Cluster, mode: CniMode): Result<Cluster> {
  if (!(CNI_MODES as readonly string[]).includes(mode)) return fail(err(`Unsupported value: "${mode}": supported values: ${CNI_MODES.map((m) => `"${m}"`).join(', ')}`, undefined, 'spec.cni'));
  if (mode === cluster.config.cni) return ok(cluster);
  const config = { ...cluster.config, cni: mode };
  // Azure's settings follow the mode: AKS defaults on the way in (the node network stays), gone on the way out.
  delete config.vnetCIDR;
  if (isAzure(mode) || isAzure(cluster.config.cni)) delete config.networkPolicy;
  if (isAzure(mode)) {
    const was = cluster.config;
    if (isAzure(was.cni)) Object.assign(config, { vnetCIDR: was.vnetCIDR, ...(was.networkPolicy ? { networkPolicy: was.networkPolicy } : {}) });
    applyAksDefaults(config, new Set(['nodeNetwork', 'serviceCIDR']));
  }
  const maxPods = aksMaxPods(mode);
  const oldDs = pluginFor(cluster.config.cni).daemonSet;
  const newPlugin = pluginFor(mode);
  // Same nodes and pods, addressed again from scratch under the new plugin.
  const rng = new Rng(cluster.rngState);
  const session = AddressingSession.fresh(config, rng);
  const keepNothing = (n: NodeRec): NodeRec => {
    const { tunnelIp: _t, wireguardIp: _w, routerIp: _r, bridgeIp: _b, secondaryIps: _s, ...rest } = n;
    // A node pool of the Azure mode: kubelet's --max-pods is AKS's default for it.
    return { ...rest, podCIDR: null, blocks: [], macs: session.nodeMacs(n.meta.name), ...(maxPods !== undefined ? { capacityPods: maxPods } : {}) };
  };
  const nodes = cluster.nodes.map(keepNothing);
  const errors: ScenarioError[] = [];
  setupNodes(session, nodes.map((rec) => ({ rec })), errors);
  if (errors.length) return fail(errors.map((e) => ({ ...e, file: FILE })));
  const readdressed: Cluster = { ...cluster, config, nodes, pods: new Map(), ipam: session.exportState(), rngState: rng.state };
  const change = new Change(readdressed);
  const byName = new Map(nodes.map((n) => [n.meta.name, n] as [string, NodeRec]));
  // Re-attach in creation order, sandboxes unchanged; the old CNI's DaemonSet pods are dropped.
  const pods = new Map<string, PodRec>();
  const oldControllers = cniControllers(cluster.config.cni).filter((c) => !cniControllers(mode).includes(c));
  for (const [key, p] of cluster.pods) {
    if (p.meta.namespace === oldDs.namespace && p.meta.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === oldDs.name)) continue;
    if (p.meta.ownerReferences?.some((o) => o.kind === 'ReplicaSet' && oldControllers.some((c) => o.name.startsWith(`${c}-`)))) continue;
    const rec: PodRec = { ...p };
    delete rec.attachment;
    const node = byName.get(p.nodeName);
    if (node && !p.hostNetwork) {
      const a = session.attach(rec, node);
      if (!a.ok) return fail(err(a.message, `Pod/${key}`));
      rec.attachment = a.value;
    }
    pods.set(key, rec);
  }
  const next = new Change({ ...readdressed, pods, ipam: session.exportState(), rngState: rng.state });
  void change;
  removeDaemonSet(next, oldDs.namespace, oldDs.name);
  const r = addDaemonSet(next, newPlugin.daemonSet);
  if (!r.ok) return r;
  const swapped = next.commit();
  const workloads = new Map([...swapped.workloads].filter(([, w]) => !(w.kind === 'Deployment' && oldControllers.includes(w.meta.name))));
  const res = addCniControllers({ ...swapped, workloads });
  // GKE Dataplane V2 has no kube-proxy: anetd translates Services in eBPF.
  if (res.ok && mode === 'gke-dataplane-v2' && res.value.config.kubeProxy !== 'none') return setKubeProxy(res.value, 'none');
  return res;
}

/** The CNI's cluster-wide controllers: installing Calico or Cilium creates them beside the DaemonSet. */
function cniControllers(mode: CniMode): string[] {
  if (mode.startsWith('calico')) return ['calico-kube-controllers'];
  if (mode.startsWith('cilium')) return ['cilium-operator'];
  return [];
}

/** Create the controllers the cluster's CNI runs (as its install manifest would), through `kubectl apply`'s path. */
function addCniControllers(cluster: Cluster): Result<Cluster> {
  const wanted = cniControllers(cluster.config.cni);
  const sys = systemObjects(cluster.config, [], { pods: new Set(), objects: new Set() });
  const missing = sys.workloads.filter(({ workload: w }) => wanted.includes(w.meta.name) && !cluster.workloads.has(workloadKey(w)));
  if (!missing.length) return ok(cluster);
  // A controller on the host network (cilium-operator) has pods the scenario does not hold: made
  // as at boot (created at 0, as the loader makes system workloads), they get the names a reload
  // gives them again. One on the pod network (calico-kube-controllers) is written with its pods.
  const hostNetwork = (w: WorkloadRec) => !!(w.template as { spec?: { hostNetwork?: unknown } }).spec?.hostNetwork;
  let out = cluster;
  for (const boot of [true, false]) {
    const batch = missing.filter(({ workload: w }) => hostNetwork(w) === boot);
    if (!batch.length) continue;
    const text = batch.map(({ workload: w }) => JSON.stringify(w.manifest)).join('\n---\n');
    const applied = applyManifests(out, [{ name: FILE, text }], boot ? 0 : out.now);
    if (!applied.ok) return applied;
    out = applied.value.cluster;
  }
  return ok(out);
}

export function setKubeProxy(cluster: Cluster, mode: KubeProxyMode): Result<Cluster> {
  if (!(KUBE_PROXY_MODES as readonly string[]).includes(mode)) return fail(err(`Unsupported value: "${mode}": supported values: ${KUBE_PROXY_MODES.map((m) => `"${m}"`).join(', ')}`, undefined, 'spec.kubeProxy'));
  if (mode === cluster.config.kubeProxy) return ok(cluster);
  const change = new Change({ ...cluster, config: { ...cluster.config, kubeProxy: mode } });
  const has = change.workloads.has('DaemonSet/kube-system/kube-proxy');
  if (mode === 'none') removeDaemonSet(change, 'kube-system', 'kube-proxy');
  else if (!has) {
    const r = addDaemonSet(change, { name: 'kube-proxy', namespace: 'kube-system', image: `registry.k8s.io/kube-proxy:${cluster.config.kubernetesVersion}`, containerName: 'kube-proxy' });
    if (!r.ok) return r;
  }
  return ok(change.commit());
}

