/**
 * Commands that change a cluster: pods, nodes, workloads, labels, the CNI and kube-proxy mode,
 * and `kubectl apply`. Every command is pure: it returns a new Cluster (unchanged parts are
 * shared) and never mutates its input. Addresses follow the plugin's IPAM: the allocator state
 * is rebuilt from the cluster (AddressingSession.fromCluster, O(nodes + pods)), so a released
 * address comes back exactly when the real IPAM would hand it out again.
 *
 * Errors carry kubectl's words: `Error from server (NotFound): pods "x" not found`,
 * `Error from server (AlreadyExists): pods "x" already exists`.
 */
import { AddressingSession } from '../addressing/ipam/session';
import { NodeIpAllocator } from '../addressing/ipam/nodeIps';
import type { Ipv4 } from '../addressing/ipv4';
import { pluginFor } from '../cni/registry';
import { readObjects, type ObjectBatch } from '../scenario/readObjects';
import type { NodeDecl, PodDecl, ScenarioFile } from '../scenario/types';
import { K8S_NAME_ALPHABET, Rng } from '../sim/rng';
import { nodeRecord, podKeyOf, setupNodes, workloadKey, objectKeyOf } from '../model/build';
import type { Cluster, CniMode, KubeProxyMode, ManifestRec, NamespaceRec, NodeRec, NodeRole, ObjectMeta, PodRec, WorkloadRec } from '../model/cluster';
import { CNI_MODES, KUBE_PROXY_MODES } from '../model/cluster';
import { fail, ok, type Result, type ScenarioError } from '../model/source';
import { Change, FILE, alreadyExists, err, finishPods, notFound, plural, suffix, uuid } from './change';
import { allocateServices, sameManifest } from '../services/allocate';
import { locate } from '../scenario/locate';
import { BURST_REPLICAS, eligibleNode } from '../scenario/expand';
import { kubeadmTaints } from '../scenario/nodeFit';
import { systemObjects } from '../scenario/system';

/** Pods a controller owns (ownerReferences), in creation order. */
function ownedPods(pods: Map<string, PodRec>, namespace: string, kind: string, name: string): PodRec[] {
  const out: PodRec[] = [];
  for (const p of pods.values()) {
    if ((p.meta.namespace ?? 'default') !== namespace) continue;
    if (p.meta.ownerReferences?.some((o) => o.kind === kind && o.name === name)) out.push(p);
  }
  return out;
}

/** A replacement pod as a ReplicaSet or DaemonSet controller creates it: same template, new name and uid. */
function replacement(change: Change, like: PodRec, owner: string, nodeName: string): PodDecl {
  const tolerations = templateTolerations(change.base, like.meta.namespace ?? 'default', owner) ?? like.scheduling?.tolerations;
  const meta: ObjectMeta = {
    ...like.meta,
    name: `${owner}-${suffix(change.rng)}`,
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

/** A pod from a workload's template, through the loader (used when no sibling pod exists to copy). */
function fromTemplate(change: Change, w: WorkloadRec, owner: { kind: string; name: string; uid: string }, nodeName: string): Result<PodDecl> {
  const tpl = (w.template ?? {}) as { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
  const ns = w.meta.namespace ?? 'default';
  const labels = { ...((tpl.metadata?.labels as Record<string, string>) ?? {}), ...(w.templateHash ? { 'pod-template-hash': w.templateHash } : {}) };
  const manifest = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${owner.name}-${suffix(change.rng)}`,
      namespace: ns,
      labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: { ...(tpl.spec ?? {}), ...(nodeName ? { nodeName } : {}) },
  };
  const r = readObjects([{ name: FILE, text: JSON.stringify(manifest) }], change.base.config, change.rng, change.base.now, readContext(change));
  if (!r.ok) return r;
  const decl = r.value.pods[0];
  return decl ? ok(decl) : fail(err(`cannot create a pod from the template of ${w.kind}/${w.meta.name}`));
}

/** What readObjects checks a batch against: the cluster's namespaces and nodes. */
function readContext(change: Change) {
  return { namespaces: change.namespaces.keys(), nodes: change.nodes.map(eligibleNode), freePods: change.freePods() };
}

/** spec.tolerations of a controller's pod template (PodRec does not keep them; the scheduler needs them). */
function templateTolerations(cluster: Cluster, namespace: string, ownerName: string): PodDecl['tolerations'] {
  for (const w of cluster.workloads.values()) {
    if ((w.meta.namespace ?? 'default') !== namespace) continue;
    const rs = w.kind === 'Deployment' ? `${w.meta.name}-${w.templateHash ?? ''}` : w.meta.name;
    if (rs !== ownerName) continue;
    const t = ((w.template as { spec?: { tolerations?: unknown } })?.spec?.tolerations);
    return Array.isArray(t) ? (t as PodDecl['tolerations']) : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------

export function addPod(cluster: Cluster, manifest: Record<string, unknown>): Result<Cluster> {
  const change = new Change(cluster);
  const file: ScenarioFile = { name: FILE, text: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', ...manifest }) };
  const batch = readObjects([file], cluster.config, change.rng, cluster.now, readContext(change));
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
  const gone = change.removePod(key)!;
  // The owning ReplicaSet / DaemonSet controller creates a replacement.
  const owner = gone.meta.ownerReferences?.find((o) => o.controller !== false && (o.kind === 'ReplicaSet' || o.kind === 'DaemonSet'));
  if (owner && ownerExists(cluster, namespace, owner.kind, owner.name)) {
    return finishPods(change, [replacement(change, gone, owner.name, owner.kind === 'DaemonSet' ? gone.nodeName : '')]);
  }
  return ok(change.commit());
}

function ownerExists(cluster: Cluster, namespace: string, kind: string, name: string): boolean {
  if (cluster.workloads.has(`${kind}/${namespace}/${name}`)) return true;
  if (kind !== 'ReplicaSet') return false;
  // A Deployment's ReplicaSet `<deployment>-<pod-template-hash>`.
  for (const w of cluster.workloads.values()) {
    if (w.kind === 'Deployment' && (w.meta.namespace ?? 'default') === namespace && w.templateHash && `${w.meta.name}-${w.templateHash}` === name) return true;
  }
  return false;
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
  Object.assign(rec, change.session.sandbox(rec, change.rng.int(2 ** 30)));
  const r = change.attach(rec);
  if (!r.ok) return r;
  change.pods.set(key, rec);
  return ok(change.commit());
}

const NODE_LABELS = (name: string, role: NodeRole): Record<string, string> => ({
  'beta.kubernetes.io/arch': 'amd64',
  'beta.kubernetes.io/os': 'linux',
  'kubernetes.io/arch': 'amd64',
  'kubernetes.io/hostname': name,
  'kubernetes.io/os': 'linux',
  ...(role === 'control-plane' ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
});

export function addNode(cluster: Cluster, decl: { name: string; role?: NodeRole; ip?: string }): Result<Cluster> {
  if (cluster.nodes.some((n) => n.meta.name === decl.name)) return fail(alreadyExists('Node', decl.name));
  const change = new Change(cluster);
  const role = decl.role ?? 'worker';
  let ip: Ipv4 | undefined;
  if (decl.ip !== undefined) {
    const parsed = decl.ip.split('.').length === 4 ? decl.ip.split('.').reduce((a, o) => a * 256 + Number(o), 0) : NaN;
    if (!Number.isInteger(parsed) || decl.ip.split('.').some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) {
      return fail(err(`Invalid value: "${decl.ip}": must be a valid IP address`, `Node/${decl.name}`, 'status.addresses'));
    }
    ip = parsed;
  }
  const nodeDecl: NodeDecl = {
    meta: { name: decl.name, labels: NODE_LABELS(decl.name, role), annotations: {}, uid: uuid(change.rng), creationTimestamp: String(cluster.now) },
    role,
    capacityPods: 110,
    ...(ip !== undefined ? { ip } : {}),
    ...(role === 'control-plane' ? { taints: kubeadmTaints(role) } : {}),
  };
  const session = change.session;
  const rec = nodeRecord(nodeDecl, false);
  const taken = new Set<Ipv4>(cluster.nodes.map((n) => n.ip));
  if (session.plugin.fabric === 'vpc') for (const p of cluster.pods.values()) if (p.attachment) taken.add(p.attachment.ip);
  const alloc = new NodeIpAllocator(cluster.config.nodeNetwork, taken);
  const r = ip !== undefined ? alloc.keep(ip) : alloc.next();
  if (!r.ok) return fail(err(r.message, `Node/${decl.name}`, 'status.addresses'));
  rec.ip = r.ip;
  rec.macs = session.nodeMacs(decl.name);
  change.nodes = [...change.nodes, rec];
  const errors: ScenarioError[] = [];
  setupNodes(session, [{ rec }], errors);
  if (errors.length) return fail(errors.map((e) => ({ ...e, file: FILE })));
  // Ranges other nodes gave up (weave splits a peer's space).
  if (session.ipam.shareOf) {
    for (const n of change.nodes) {
      const share = session.ipam.shareOf(n.meta.name);
      if (share && !n.blocks[0]?.equals(share)) change.draft(n.meta.name)!.blocks = [share];
    }
  }
  // DaemonSet pods for the new node.
  const decls: PodDecl[] = [];
  for (const w of cluster.workloads.values()) {
    if (w.kind !== 'DaemonSet') continue;
    const ns = w.meta.namespace ?? 'default';
    const sibling = ownedPods(cluster.pods, ns, 'DaemonSet', w.meta.name)[0];
    if (sibling) decls.push(replacement(change, sibling, w.meta.name, decl.name));
    else {
      const t = fromTemplate(change, w, { kind: 'DaemonSet', name: w.meta.name, uid: w.meta.uid }, decl.name);
      if (!t.ok) return t;
      decls.push(t.value);
    }
  }
  return finishPods(change, decls);
}

export function deleteNode(cluster: Cluster, name: string): Result<Cluster> {
  const node = cluster.nodes.find((n) => n.meta.name === name);
  if (!node) return fail(notFound('Node', name));
  const change = new Change(cluster);
  const replacements: PodDecl[] = [];
  for (const [key, p] of cluster.pods) {
    if (p.nodeName !== name) continue;
    change.removePod(key);
    // PodGC removes pods bound to a deleted node; ReplicaSets replace theirs on other nodes.
    const owner = p.meta.ownerReferences?.find((o) => o.kind === 'ReplicaSet');
    if (owner && ownerExists(cluster, p.meta.namespace ?? 'default', owner.kind, owner.name)) replacements.push(replacement(change, p, owner.name, ''));
  }
  const draft = change.draft(name)!;
  change.session.ipam.dropNode(draft);
  change.session.forgetNode(name);
  change.nodes = change.nodes.filter((n) => n.meta.name !== name);
  return finishPods(change, replacements);
}

export function scaleWorkload(cluster: Cluster, namespace: string, name: string, replicas: number): Result<Cluster> {
  const w = cluster.workloads.get(`Deployment/${namespace}/${name}`) ?? cluster.workloads.get(`ReplicaSet/${namespace}/${name}`);
  if (!w) {
    if (cluster.workloads.has(`DaemonSet/${namespace}/${name}`)) return fail(err('error: no scaler has been implemented for {"apps" "DaemonSet"}'));
    return fail(notFound('Deployment', name));
  }
  if (!Number.isInteger(replicas) || replicas < 0) return fail(err(`The ${w.kind} "${name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`));
  const rsName = w.kind === 'Deployment' ? `${name}-${w.templateHash ?? ''}` : name;
  const rsKey = `ReplicaSet/${namespace}/${rsName}`;
  const rs = cluster.workloads.get(rsKey);
  const change = new Change(cluster);
  const pods = ownedPods(cluster.pods, namespace, 'ReplicaSet', rsName);
  const workloads = new Map(cluster.workloads);
  const withReplicas = (x: WorkloadRec): WorkloadRec => ({
    ...x,
    replicas,
    manifest: { ...x.manifest, spec: { ...((x.manifest.spec as Record<string, unknown>) ?? {}), replicas } },
  });
  workloads.set(workloadKey(w), withReplicas(w));
  if (rs && rs !== w) workloads.set(rsKey, withReplicas(rs));
  change.workloads = workloads;
  if (replicas < pods.length) {
    // ReplicaSet controller: unscheduled pods go first, then the newest.
    const victims = [...pods].map((p, i) => ({ p, i })).sort((a, b) => Number(!!a.p.nodeName) - Number(!!b.p.nodeName) || b.i - a.i);
    for (const { p } of victims.slice(0, pods.length - replicas)) change.removePod(podKeyOf(p));
    return ok(change.commit());
  }
  const decls: PodDecl[] = [];
  // What fits plus one ReplicaSet burst (expand.ts BURST_REPLICAS), as at load: never a million decls.
  const target = Math.min(replicas, pods.length + Math.max(0, change.freePods()) + BURST_REPLICAS);
  for (let i = pods.length; i < target; i++) {
    if (pods[0]) decls.push(replacement(change, pods[0], rsName, ''));
    else {
      const t = fromTemplate(change, w, { kind: 'ReplicaSet', name: rsName, uid: rs?.meta.uid ?? w.meta.uid }, '');
      if (!t.ok) return t;
      decls.push(t.value);
    }
  }
  return finishPods(change, decls);
}

const KIND_ALIASES: Record<string, string> = {
  po: 'Pod', pod: 'Pod', pods: 'Pod',
  no: 'Node', node: 'Node', nodes: 'Node',
  ns: 'Namespace', namespace: 'Namespace', namespaces: 'Namespace',
  deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment',
  rs: 'ReplicaSet', replicaset: 'ReplicaSet', replicasets: 'ReplicaSet',
  ds: 'DaemonSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet',
  svc: 'Service', service: 'Service', services: 'Service',
};

export function setLabels(cluster: Cluster, kind: string, namespace: string, name: string, labels: Record<string, string>): Result<Cluster> {
  const k = KIND_ALIASES[kind.toLowerCase()] ?? kind;
  const relabel = <T extends { meta: ObjectMeta }>(o: T): T => ({ ...o, meta: { ...o.meta, labels: { ...labels } } });
  if (k === 'Pod') {
    const key = `${namespace}/${name}`;
    const p = cluster.pods.get(key);
    if (!p) return fail(notFound('Pod', name));
    return ok({ ...cluster, pods: new Map(cluster.pods).set(key, relabel(p)) });
  }
  if (k === 'Node') {
    const n = cluster.nodes.find((x) => x.meta.name === name);
    if (!n) return fail(notFound('Node', name));
    return ok({ ...cluster, nodes: cluster.nodes.map((x) => (x === n ? relabel(n) : x)) });
  }
  if (k === 'Namespace') {
    const n = cluster.namespaces.get(name);
    if (!n) return fail(notFound('Namespace', name));
    return ok({ ...cluster, namespaces: new Map(cluster.namespaces).set(name, relabel(n)) });
  }
  const wKey = `${k}/${namespace}/${name}`;
  const w = cluster.workloads.get(wKey);
  if (w) return ok({ ...cluster, workloads: new Map(cluster.workloads).set(wKey, relabel(w)) });
  const oKey = `${k}/${namespace}/${name}`;
  const o = cluster.objects.get(oKey);
  if (o) return ok({ ...cluster, objects: new Map(cluster.objects).set(oKey, relabel(o)) });
  return fail(notFound(k, name));
}

// ---------------------------------------------------------------------------------------------
// CNI and kube-proxy mode

/** Labels the upstream manifests give the DaemonSets' pods. */
const DS_LABELS: Record<string, Record<string, string>> = {
  'kube-flannel-ds': { app: 'flannel', 'k8s-app': 'flannel', tier: 'node' },
  'calico-node': { 'k8s-app': 'calico-node' },
  cilium: { 'app.kubernetes.io/name': 'cilium-agent', 'app.kubernetes.io/part-of': 'cilium', 'k8s-app': 'cilium' },
  'weave-net': { name: 'weave-net' },
  'aws-node': { 'app.kubernetes.io/instance': 'aws-vpc-cni', 'app.kubernetes.io/name': 'aws-node', 'k8s-app': 'aws-node' },
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
  const template = { metadata: { labels }, spec: { hostNetwork: true, containers: [{ name: ds.containerName, image: ds.image }] } };
  const w: WorkloadRec = {
    kind: 'DaemonSet',
    meta: { name: ds.name, namespace: ds.namespace, labels, annotations: {}, uid, creationTimestamp: now },
    replicas: change.nodes.length,
    selector: { matchLabels: labels },
    template,
    manifest: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: ds.name, namespace: ds.namespace, labels }, spec: { selector: { matchLabels: labels }, template } },
  };
  change.workloads = new Map(change.workloads).set(workloadKey(w), w);
  const decls: PodDecl[] = change.nodes.map((n) => ({
    meta: {
      name: `${ds.name}-${suffix(change.rng)}`,
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
    phase: 'Running',
    ready: true,
  }));
  const r = change.createPods(decls);
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
  const oldDs = pluginFor(cluster.config.cni).daemonSet;
  const newPlugin = pluginFor(mode);
  // Same nodes and pods, addressed again from scratch under the new plugin.
  const rng = new Rng(cluster.rngState);
  const session = AddressingSession.fresh(config, rng);
  const keepNothing = (n: NodeRec): NodeRec => {
    const { tunnelIp: _t, wireguardIp: _w, routerIp: _r, bridgeIp: _b, ...rest } = n;
    return { ...rest, podCIDR: null, blocks: [], macs: session.nodeMacs(n.meta.name) };
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
  return addCniControllers({ ...swapped, workloads });
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
  const text = missing.map(({ workload: w }) => JSON.stringify(w.manifest)).join('\n---\n');
  const applied = applyManifests(cluster, [{ name: FILE, text }]);
  return applied.ok ? ok(applied.value.cluster) : applied;
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

// ---------------------------------------------------------------------------------------------
// kubectl apply

type ApplyResult = { kind: string; name: string; namespace?: string; action: 'created' | 'configured' | 'unchanged' };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function applyManifests(cluster: Cluster, files: ScenarioFile[]): Result<{ cluster: Cluster; results: ApplyResult[] }> {
  let change = new Change(cluster);
  const read = readObjects(files, cluster.config, change.rng, cluster.now, readContext(change));
  if (!read.ok) return read;
  const batch: ObjectBatch = read.value;
  const results: (ApplyResult & { order: [number, number] })[] = [];
  const fileIndex = new Map(files.map((f, i) => [f.name, i] as [string, number]));
  const order = (src?: { file: string; doc: number }): [number, number] => [fileIndex.get(src?.file ?? '') ?? 0, src?.doc ?? 0];
  const note = (kind: string, meta: ObjectMeta, action: ApplyResult['action'], src?: { file: string; doc: number }) =>
    results.push({ kind, name: meta.name, ...(meta.namespace ? { namespace: meta.namespace } : {}), action, order: order(src) });

  // Namespaces.
  for (const n of batch.namespaces) {
    const old = change.namespaces.get(n.meta.name);
    if (old && same(old.meta.labels, n.meta.labels)) note('Namespace', n.meta, 'unchanged', n.source);
    else {
      change.namespaces = new Map(change.namespaces).set(n.meta.name, old ? { ...old, meta: { ...old.meta, labels: n.meta.labels } } : n);
      note('Namespace', n.meta, old ? 'configured' : 'created', n.source);
    }
  }
  // Nodes.
  for (const n of batch.nodes) {
    const old = change.node(n.meta.name);
    if (old) {
      if (same(old.meta.labels, n.meta.labels)) note('Node', n.meta, 'unchanged', n.source);
      else {
        change.draft(n.meta.name)!.meta = { ...old.meta, labels: n.meta.labels };
        note('Node', n.meta, 'configured', n.source);
      }
      continue;
    }
    const mid = addNode(change.commit(), { name: n.meta.name, role: n.role, ...(n.ip !== undefined ? { ip: formatIp(n.ip) } : {}) });
    if (!mid.ok) return mid;
    change = new Change(mid.value);
    note('Node', n.meta, 'created', n.source);
  }
  // Workloads: new ones bring their pods; unchanged ones keep theirs; a replica change scales.
  const skipOwners = new Set<string>();
  const ownerOf = (p: PodDecl) => p.meta.ownerReferences?.[0];
  for (const w of batch.workloads) {
    const key = workloadKey(w);
    const old = change.workloads.get(key);
    if (!old) {
      change.workloads = new Map(change.workloads).set(key, w);
      if (w.kind !== 'ReplicaSet' || !batch.workloads.some((d) => d.kind === 'Deployment' && `${d.meta.name}-${d.templateHash}` === w.meta.name)) note(w.kind, w.meta, 'created', w.source);
      continue;
    }
    const rsName = w.kind === 'Deployment' ? `${w.meta.name}-${w.templateHash ?? ''}` : w.meta.name;
    skipOwners.add(`${w.meta.namespace ?? 'default'}/${rsName}`);
    skipOwners.add(`${w.meta.namespace ?? 'default'}/${w.meta.name}`);
    if (same(old.manifest, w.manifest)) {
      if (w.kind !== 'ReplicaSet' || !old.templateHash) note(w.kind, w.meta, 'unchanged', w.source);
      continue;
    }
    if (w.kind === 'ReplicaSet' && batch.workloads.some((d) => d.kind === 'Deployment' && `${d.meta.name}-${d.templateHash}` === w.meta.name)) continue;
    if (old.replicas !== w.replicas && w.kind !== 'DaemonSet') {
      const mid = scaleWorkload(change.commit(), w.meta.namespace ?? 'default', w.meta.name, w.replicas);
      if (!mid.ok) return mid;
      change = new Change(mid.value);
    }
    change.workloads = new Map(change.workloads).set(key, { ...w, templateHash: old.templateHash ?? w.templateHash });
    note(w.kind, w.meta, 'configured', w.source);
  }
  // Pods: standalone ones as objects, workload pods for new workloads only.
  const newPods: PodDecl[] = [];
  for (const p of batch.pods) {
    const owner = ownerOf(p);
    const ns = p.meta.namespace ?? 'default';
    if (owner) {
      if (!skipOwners.has(`${ns}/${owner.name}`)) newPods.push(p);
      continue;
    }
    const old = change.pods.get(`${ns}/${p.meta.name}`);
    if (!old) {
      newPods.push(p);
      note('Pod', p.meta, 'created', p.source);
    } else if (same(old.meta.labels, p.meta.labels) && same(old.meta.annotations, p.meta.annotations)) note('Pod', p.meta, 'unchanged', p.source);
    else {
      change.pods.set(`${ns}/${p.meta.name}`, { ...old, meta: { ...old.meta, labels: p.meta.labels, annotations: p.meta.annotations } });
      note('Pod', p.meta, 'configured', p.source);
    }
  }
  const s = change.schedule(newPods);
  if (!s.ok) return s;
  const c = change.createPods(s.value);
  if (!c.ok) return c;
  // Services, Endpoints, NetworkPolicies, ConfigMaps. Services are validated and allocated first
  // (an update keeps its clusterIP and nodePorts); any Service error fails the whole apply.
  const replaced = new Map<string, ManifestRec>();
  for (const o of batch.objects) {
    const old = o.kind === 'Service' ? change.objects.get(objectKeyOf(o)) : undefined;
    if (old) replaced.set(objectKeyOf(o), old);
  }
  const others = [...change.objects.values()].filter((o) => o.kind === 'Service' && !replaced.has(objectKeyOf(o)));
  const allocated = allocateServices(batch.objects, change.base.config, change.rng, others, replaced);
  if (allocated.errors.length) return fail(allocated.errors.map((e) => positioned(files, e)));
  for (const o of allocated.objects) {
    const key = objectKeyOf(o);
    const old = change.objects.get(key);
    if (old && sameManifest(old.manifest, o.manifest)) {
      note(o.kind, o.meta, 'unchanged', o.source);
      continue;
    }
    change.objects = new Map(change.objects).set(key, o);
    note(o.kind, o.meta, old ? 'configured' : 'created', o.source);
  }
  results.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
  return ok({ cluster: change.commit(), results: results.map(({ order: _o, ...r }) => r) });
}

/** A Service error at the line of the applied file it points to. */
function positioned(files: ScenarioFile[], e: ScenarioError): ScenarioError {
  const { source, ...rest } = e;
  const at = source ? locate(files, source) : undefined;
  return at ? { ...rest, line: at.line, column: at.column } : rest;
}

const formatIp = (ip: Ipv4) => `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;

/** The API resource in NotFound messages for kept-whole objects (`networkpolicies.networking.k8s.io`). */
const OBJECT_RESOURCE: Record<string, string> = {
  NetworkPolicy: 'networkpolicies.networking.k8s.io',
  CiliumNetworkPolicy: 'ciliumnetworkpolicies.cilium.io',
  ConfigMap: 'configmaps',
  Service: 'services',
  Endpoints: 'endpoints',
  EndpointSlice: 'endpointslices.discovery.k8s.io',
};

/** `kubectl delete KIND NAME -n NS` for objects kept whole (NetworkPolicy, ConfigMap, ...). */
export function deleteObject(cluster: Cluster, kind: string, namespace: string, name: string): Result<Cluster> {
  const key = `${kind}/${namespace}/${name}`;
  if (!cluster.objects.has(key)) return fail(err(`Error from server (NotFound): ${OBJECT_RESOURCE[kind] ?? plural(kind)} "${name}" not found`, `${kind}/${namespace}/${name}`));
  const objects = new Map(cluster.objects);
  objects.delete(key);
  return ok({ ...cluster, objects });
}
