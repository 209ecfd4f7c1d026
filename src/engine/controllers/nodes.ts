/**
 * Nodes: add and delete (the app's edits, `kubectl apply` of a Node), and node maintenance as
 * kubectl drives it: cordon/uncordon set spec.unschedulable, and the node lifecycle controller
 * adds or removes the `node.kubernetes.io/unschedulable:NoSchedule` taint (TaintNodeByCondition);
 * drain cordons, then evicts the node's pods through kubectl's filters
 * (k8s.io/kubectl/pkg/drain/filters.go) and their controllers recreate them on other nodes.
 */
import { NodeIpAllocator } from '../addressing/ipam/nodeIps';
import type { Ipv4 } from '../addressing/ipv4';
import { nodeRecord, podKeyOf, setupNodes } from '../model/build';
import type { Cluster, NodeRec, NodeRole, PodRec, Taint } from '../model/cluster';
import { fail, ok, type Result, type ScenarioError } from '../model/source';
import { kubeadmTaints } from '../scenario/nodeFit';
import type { NodeDecl, PodDecl } from '../scenario/types';
import { Change, FILE, alreadyExists, err, finishPods, notFound, uuid } from './change';
import { EventLog } from './events';
import { controllerOf, daemonRunsOn, fromTemplate, ownedPods, ownerExists, replacement } from './owners';
import { daemonPod, daemonPodNames } from '../scenario/expand';
import { regeneratedOnReload } from '../scenario/serialize';
import { replaceDeleted } from './pods';

export interface DrainOptions {
  ignoreDaemonSets?: boolean;
  /** Pods have no volumes in podpath, so no pod uses emptyDir and this flag changes nothing. */
  deleteEmptyDirData?: boolean;
  force?: boolean;
}

/** What drain did, in kubectl's order: the pods it evicted (namespace/name). */
export interface DrainResult {
  cluster: Cluster;
  evicted: string[];
  /** DaemonSet-managed pods left in place (`Warning: ignoring DaemonSet-managed Pods: …`). */
  ignoredDaemonSetPods: string[];
  /** False when the node was already cordoned (`node/NAME already cordoned`). */
  cordoned: boolean;
  /**
   * kubectl's warnings, each `MESSAGE: ns/pod, ns/pod` (PodDeleteList.Warnings; kubectl prints
   * them joined by "; " after `Warning: `): ignored DaemonSet pods, unmanaged pods deleted with --force.
   */
  warnings: string[];
}

/** The taint the node lifecycle controller keeps on a node with spec.unschedulable (v1.TaintNodeUnschedulable). */
export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

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
  const log = new EventLog(change);
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
  for (const n of cluster.nodes) for (const a of n.secondaryIps ?? []) taken.add(a);
  const na = session.plugin.nodeAddressing;
  const alloc = new NodeIpAllocator(cluster.config.nodeNetwork, taken, na?.firstHost);
  const r = ip !== undefined ? alloc.keep(ip) : alloc.next(na?.holdsPodIps ? rec.capacityPods : 0);
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
  // The DaemonSet controller creates a pod for the new node.
  const decls: PodDecl[] = [];
  for (const w of cluster.workloads.values()) {
    if (w.kind !== 'DaemonSet') continue;
    const ns = w.meta.namespace ?? 'default';
    if (!daemonRunsOn(change, w, decl.name)) continue;
    const sibling = ownedPods(cluster.pods, ns, 'DaemonSet', w.meta.name)[0];
    let d: PodDecl;
    if (sibling) d = replacement(change, sibling, { kind: 'DaemonSet', name: w.meta.name }, '');
    else {
      const t = fromTemplate(change, w, { kind: 'DaemonSet', name: w.meta.name, uid: w.meta.uid }, '');
      if (!t.ok) return t;
      d = t.value;
    }
    // A pod a reload makes again gets the name the reload gives it (system DaemonSets are not written).
    if (regeneratedOnReload(w)) {
      const runs = change.nodes.filter((n) => daemonRunsOn(change, w, n.meta.name)).map((n) => n.meta.name);
      const name = daemonPodNames(cluster.config.seed, ns, w.meta.name, 0, runs).get(decl.name);
      if (name && !change.pods.has(`${ns}/${name}`)) d = { ...d, meta: { ...d.meta, name } };
    }
    d = daemonPod(d, decl.name);
    log.normal({ kind: 'DaemonSet', namespace: ns, name: w.meta.name }, 'SuccessfulCreate', `Created pod: ${d.meta.name}`, 'daemonset-controller');
    decls.push(d);
  }
  return finishPods(change, decls);
}

export function deleteNode(cluster: Cluster, name: string): Result<Cluster> {
  const node = cluster.nodes.find((n) => n.meta.name === name);
  if (!node) return fail(notFound('Node', name));
  const change = new Change(cluster);
  const log = new EventLog(change);
  const gone: PodRec[] = [];
  for (const [key, p] of cluster.pods) {
    if (p.nodeName !== name) continue;
    change.removePod(key);
    // PodGC removes pods bound to a deleted node; ReplicaSets replace theirs on other nodes.
    if (controllerOf(p)?.kind === 'ReplicaSet') gone.push(p);
  }
  const draft = change.draft(name)!;
  change.session.ipam.dropNode(draft);
  change.session.forgetNode(name);
  change.nodes = change.nodes.filter((n) => n.meta.name !== name);
  return finishPods(change, replaceDeleted(change, log, gone));
}

/** The node with spec.unschedulable and the taint as the node lifecycle controller keeps them. */
function withUnschedulable(n: NodeRec, unschedulable: boolean): NodeRec {
  const taints = (n.taints ?? []).filter((t) => !(t.key === UNSCHEDULABLE_TAINT.key && t.effect === UNSCHEDULABLE_TAINT.effect));
  if (unschedulable) taints.push({ ...UNSCHEDULABLE_TAINT });
  const out: NodeRec = { ...n };
  if (taints.length) out.taints = taints;
  else delete out.taints;
  if (unschedulable) out.unschedulable = true;
  else delete out.unschedulable;
  return out;
}

/**
 * `kubectl cordon` (unschedulable true) / `uncordon` (false). Setting what the node already has
 * returns the same cluster (kubectl: `node/NAME already cordoned`). The kubelet records
 * NodeNotSchedulable / NodeSchedulable on the Node.
 */
export function cordonNode(cluster: Cluster, name: string, unschedulable: boolean): Result<Cluster> {
  const n = cluster.nodes.find((x) => x.meta.name === name);
  if (!n) return fail(notFound('Node', name));
  if (!!n.unschedulable === unschedulable) return ok(cluster);
  const change = new Change(cluster);
  const log = new EventLog(change);
  const reason = unschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable';
  // The kubelet's nodeRef carries the node name as its uid (kubelet.go nodeRef).
  log.normal({ kind: 'Node', name, uid: name }, reason, `Node ${name} status is now: ${reason}`, 'kubelet', name);
  change.nodes = cluster.nodes.map((x) => (x === n ? withUnschedulable(n, unschedulable) : x));
  // Uncordoned: the scheduler takes the Pending pods again.
  if (!unschedulable) change.requeue();
  return ok(change.commit());
}

const isFinished = (p: PodRec) => p.phase === 'Succeeded' || p.phase === 'Failed';
/** Static pods' mirror pods: owned by their Node (and annotated kubernetes.io/config.mirror). */
const isMirror = (p: PodRec) => 'kubernetes.io/config.mirror' in p.meta.annotations || controllerOf(p)?.kind === 'Node';

// k8s.io/kubectl/pkg/drain/filters.go (v1.31): PodDeleteList.errors() writes "cannot delete %s"
// before each message, so the unmanaged one reads "cannot delete cannot delete Pods …" as kubectl
// v1.31 prints it.
const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';

type Verdict = { delete: boolean; error?: string; warning?: string };

/** drain.Helper's filters in their order (daemonSet, mirror, localStorage, unreplicated); the first that keeps the pod decides. */
function filterPod(cluster: Cluster, p: PodRec, o: DrainOptions): Verdict {
  const ns = p.meta.namespace ?? 'default';
  const ctl = controllerOf(p);
  let verdict: Verdict = { delete: true };
  if (ctl?.kind === 'DaemonSet' && !isFinished(p)) {
    if (!ownerExists(cluster, ns, 'DaemonSet', ctl.name)) {
      const notFoundMsg = `daemonsets.apps "${ctl.name}" not found`;
      if (!o.force) return { delete: false, error: notFoundMsg };
      verdict = { delete: true, warning: notFoundMsg };
    } else if (!o.ignoreDaemonSets) return { delete: false, error: DAEMONSET_FATAL };
    else return { delete: false, warning: DAEMONSET_WARNING };
  }
  if (isMirror(p)) return { delete: false };
  if (isFinished(p) || ctl) return verdict;
  if (o.force) return { delete: true, warning: UNMANAGED_WARNING };
  return { delete: false, error: UNMANAGED_FATAL };
}

/** Messages with the pods they name, in order of first appearance: `MESSAGE: ns/a, ns/b`. */
function grouped(items: [string, string][], prefix = ''): string[] {
  const by = new Map<string, string[]>();
  for (const [msg, pod] of items) by.set(msg, [...(by.get(msg) ?? []), pod]);
  return [...by].map(([msg, pods]) => `${prefix}${msg}: ${pods.join(', ')}`);
}

/**
 * `kubectl drain NAME`: cordon, then evict every pod the filters allow, in the order the API
 * lists them (namespace, name). Refused as kubectl refuses (one error per filter message, e.g.
 * `cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-x`);
 * on refusal nothing is evicted (kubectl has cordoned the node already: call cordonNode first
 * to show that). Evicted pods' controllers create replacements, scheduled on other nodes.
 */
export function drainNode(cluster: Cluster, name: string, options: DrainOptions): Result<DrainResult> {
  const n = cluster.nodes.find((x) => x.meta.name === name);
  if (!n) return fail(notFound('Node', name));
  const cordoned = cordonNode(cluster, name, true);
  if (!cordoned.ok) return cordoned;
  const base = cordoned.value;
  const onNode = [...base.pods.values()]
    .filter((p) => p.nodeName === name)
    .sort((a, b) => cmp(a.meta.namespace ?? 'default', b.meta.namespace ?? 'default') || cmp(a.meta.name, b.meta.name));
  const errors: [string, string][] = [];
  const warnings: [string, string][] = [];
  const ignored: string[] = [];
  const evict: PodRec[] = [];
  for (const p of onNode) {
    const v = filterPod(base, p, options);
    const id = podKeyOf(p);
    if (v.error) errors.push([v.error, id]);
    if (v.warning) warnings.push([v.warning, id]);
    if (v.warning === DAEMONSET_WARNING) ignored.push(id);
    if (v.delete) evict.push(p);
  }
  if (errors.length) return fail(grouped(errors, 'cannot delete ').map((message) => err(message, `Node/${name}`)[0]));
  const change = new Change(base);
  const log = new EventLog(change);
  for (const p of evict) {
    change.removePod(podKeyOf(p));
    log.killed(p);
  }
  // An evicted DaemonSet pod is an orphan's (its DaemonSet is gone): nothing replaces it.
  const replaced = replaceDeleted(change, log, evict.filter((p) => controllerOf(p)?.kind === 'ReplicaSet'));
  const done = finishPods(change, replaced);
  if (!done.ok) return done;
  return ok({ cluster: done.value, evicted: evict.map(podKeyOf), ignoredDaemonSetPods: ignored, cordoned: base !== cluster, warnings: grouped(warnings) });
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
