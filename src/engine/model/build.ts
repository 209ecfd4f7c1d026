/**
 * Scenario → Cluster: the addresses the real allocators would hand out, in the order a cluster
 * comes up. Nodes join in node order (InternalIP, then spec.podCIDR from kube-controller-manager's
 * range allocator or the CNI's own node range, tunnel/router/bridge addresses); then pods get
 * their CNI ADD in creation order. Recorded addresses (status.addresses, spec.podCIDR,
 * status.podIP) are kept and marked used before anything is allocated, as the controllers do
 * when they start against an existing cluster. A pod whose CNI ADD fails (its node's range is
 * exhausted) is not an error: it stays Pending in ContainerCreating with kubelet's
 * FailedCreatePodSandBox event. The events of scheduling and admission are recorded here too
 * (model/events.ts), at each pod's creation time. Linear in nodes + pods.
 */
import { formatIpv4, type Ipv4 } from '../addressing/ipv4';
import { NodeIpAllocator } from '../addressing/ipam/nodeIps';
import { AddressingSession, NODE_SYSTEM } from '../addressing/ipam/session';
import type { NodeSetupOptions } from '../addressing/ipam/podIpam';
import { Rng } from '../sim/rng';
import { allocateServices } from '../services/allocate';
import { SETTLE_SECONDS, createdAt } from '../sim/clock';
import type { NodeDecl, PodDecl, Scenario } from '../scenario/types';
import type { Cluster, ClusterConfig, EventRec, ManifestRec, NamespaceRec, NodeRec, PodRec, WorkloadRec } from './cluster';
import { fail, ok, type Result, type ScenarioError, type SourceRef } from './source';
import { containerCreating, sandboxFailure, scheduledEvent, statusEvent, type NewEvent } from './events';

/** Salt so the allocators' random stream is not the loader's (which starts from the same seed). */
export const BUILD_RNG_SALT = 0x2545f491;
/** Salt of the Service allocators' stream (clusterIPs, nodePorts): editing pods does not move Service addresses. */
export const SERVICE_RNG_SALT = 0x5e41c3a7;

export const workloadKey = (w: Pick<WorkloadRec, 'kind' | 'meta'>) => `${w.kind}/${w.meta.namespace ?? 'default'}/${w.meta.name}`;
export const objectKeyOf = (o: Pick<ManifestRec, 'kind' | 'meta'>) => `${o.kind}/${o.meta.namespace ?? ''}/${o.meta.name}`;
export const podKeyOf = (p: Pick<PodRec, 'meta'>) => `${p.meta.namespace ?? 'default'}/${p.meta.name}`;

export function errorAt(source: SourceRef | undefined, object: string, field: string | undefined, message: string): ScenarioError {
  return { file: source?.file ?? '', object, ...(field ? { field } : {}), message, ...(source ? { source } : {}) };
}

const nodeObj = (name: string) => `Node/${name}`;
const podObj = (p: { meta: { namespace?: string; name: string } }) => `Pod/${p.meta.namespace ?? 'default'}/${p.meta.name}`;

/** A NodeRec before addresses: the scenario's facts plus the system fields. */
export function nodeRecord(decl: NodeDecl, keepPodCidr: boolean): NodeRec {
  return {
    kind: 'Node',
    meta: decl.meta,
    role: decl.role,
    ip: 0,
    podCIDR: keepPodCidr ? (decl.podCIDR ?? null) : null,
    capacityPods: decl.capacityPods ?? NODE_SYSTEM.capacityPods,
    blocks: [],
    macs: {},
    osImage: NODE_SYSTEM.osImage,
    kernelVersion: NODE_SYSTEM.kernelVersion,
    containerRuntime: NODE_SYSTEM.containerRuntime,
    ...(decl.taints ? { taints: decl.taints } : {}),
    ...(decl.unschedulable ? { unschedulable: true } : {}),
    ...(decl.source ? { source: decl.source } : {}),
  };
}

/** A PodRec before its sandbox and attachment exist. */
export function podRecord(decl: PodDecl): PodRec {
  const rec: PodRec = {
    kind: 'Pod',
    meta: decl.meta,
    nodeName: decl.nodeName,
    hostNetwork: decl.hostNetwork,
    containers: decl.containers,
    phase: decl.phase,
    ready: decl.ready,
    containerId: '',
    pid: 0,
  };
  if (decl.hostname !== undefined) rec.hostname = decl.hostname;
  if (decl.subdomain !== undefined) rec.subdomain = decl.subdomain;
  if (decl.restartPolicy !== undefined) rec.restartPolicy = decl.restartPolicy;
  if (decl.dns) rec.dns = decl.dns;
  if (decl.tolerations || decl.nodeSelector || decl.nodeAffinity) {
    rec.scheduling = {
      ...(decl.tolerations ? { tolerations: decl.tolerations } : {}),
      ...(decl.nodeSelector ? { nodeSelector: decl.nodeSelector } : {}),
      ...(decl.nodeAffinity ? { nodeAffinity: decl.nodeAffinity } : {}),
    };
  }
  if (decl.status) rec.status = decl.status;
  if (decl.source) rec.source = decl.source;
  return rec;
}

/** A PodRec back to what the scheduler reads (a Pending pod scheduled again). */
export function podDeclOf(rec: PodRec): PodDecl {
  const decl: PodDecl = { meta: rec.meta, nodeName: rec.nodeName, hostNetwork: rec.hostNetwork, containers: rec.containers, phase: rec.phase, ready: rec.ready };
  if (rec.hostname !== undefined) decl.hostname = rec.hostname;
  if (rec.subdomain !== undefined) decl.subdomain = rec.subdomain;
  if (rec.restartPolicy !== undefined) decl.restartPolicy = rec.restartPolicy;
  if (rec.dns) decl.dns = rec.dns;
  const s = rec.scheduling;
  if (s?.tolerations) decl.tolerations = s.tolerations;
  if (s?.nodeSelector) decl.nodeSelector = s.nodeSelector;
  if (s?.nodeAffinity) decl.nodeAffinity = s.nodeAffinity;
  if (rec.status) decl.status = rec.status;
  if (rec.source) decl.source = rec.source;
  return decl;
}

/** Pods whose sandbox needs an address: scheduled, on the pod network and not terminated. */
export const needsAddress = (rec: PodRec) => !rec.hostNetwork && rec.nodeName !== '' && rec.phase !== 'Failed' && rec.phase !== 'Succeeded';

/**
 * CNI ADD failed: kubelet keeps the pod Pending in ContainerCreating and records
 * FailedCreatePodSandBox with the plugin's error (it retries; a freed address unsticks it).
 */
export function stuckInContainerCreating(rec: PodRec, cni: ClusterConfig['cni'], cniError: string): void {
  rec.phase = 'Pending';
  rec.ready = false;
  delete rec.attachment;
  rec.status = containerCreating(sandboxFailure(cni, rec.containerId, cniError));
}

/** Node IPs: recorded ones kept (all first), the rest from `.10` in node order. */
export function assignNodeIps(nodes: { rec: NodeRec; decl: NodeDecl }[], alloc: NodeIpAllocator, errors: ScenarioError[], hold: (rec: NodeRec) => number = () => 0): void {
  for (const { rec, decl } of nodes) {
    if (decl.ip === undefined) continue;
    const r = alloc.keep(decl.ip);
    if (r.ok) rec.ip = r.ip;
    else errors.push(errorAt(decl.source, nodeObj(rec.meta.name), 'status.addresses', `Invalid value: "${formatIpv4(decl.ip)}": ${r.message}`));
  }
  for (const { rec, decl } of nodes) {
    if (decl.ip !== undefined) continue;
    const r = alloc.next(hold(rec));
    if (r.ok) rec.ip = r.ip;
    else errors.push(errorAt(decl.source, nodeObj(rec.meta.name), 'status.addresses', r.message));
  }
}

/**
 * Nodes join the pod network: recorded spec.podCIDRs are occupied before the range allocator
 * hands out the rest (range_allocator.go occupies existing nodes' CIDRs at startup). With
 * `deferNodeAddresses` the node-level addresses an IPAM takes from the pods' blocks wait for
 * `nodeAddresses` (buildCluster: after the recorded pod addresses are reserved).
 */
export function setupNodes(session: AddressingSession, nodes: { rec: NodeRec; decl?: NodeDecl }[], errors: ScenarioError[], opts: NodeSetupOptions = {}): void {
  const recordedFirst = session.plugin.usesNodePodCIDR;
  // Every node's own address is known before any NIC takes its pods' addresses (azure-cni).
  session.ipam.claimNodeIps?.(nodes.map((n) => n.rec.ip));
  const seen = new Map<string, string>();
  const order = recordedFirst ? [...nodes.filter((n) => n.rec.podCIDR), ...nodes.filter((n) => !n.rec.podCIDR)] : nodes;
  for (const { rec, decl } of order) {
    if (recordedFirst && rec.podCIDR) {
      const key = rec.podCIDR.toString();
      const other = seen.get(key);
      if (other !== undefined) {
        errors.push(errorAt(decl?.source, nodeObj(rec.meta.name), 'spec.podCIDR', `Invalid value: "${key}": already allocated to node ${other}`));
        continue;
      }
      seen.set(key, rec.meta.name);
    }
    const r = session.ipam.setupNode(rec, opts);
    if (!r.ok) errors.push(errorAt(decl?.source, nodeObj(rec.meta.name), r.field, r.message));
  }
  if (session.ipam.shareOf) {
    for (const { rec } of nodes) {
      const share = session.ipam.shareOf(rec.meta.name);
      if (share && !rec.blocks[0]?.equals(share)) rec.blocks = [share];
    }
  }
}

export function buildCluster(scenario: Scenario): Result<Cluster> {
  const config = scenario.config;
  const rng = new Rng((config.seed ^ BUILD_RNG_SALT) | 0);
  const session = AddressingSession.fresh(config, rng);
  const plugin = session.plugin;
  const errors: ScenarioError[] = [];

  // Nodes.
  const keepPodCidr = plugin.ipam !== 'cilium-cluster-pool';
  const nodes = scenario.nodes.map((decl) => ({ rec: nodeRecord(decl, keepPodCidr), decl }));
  const byName = new Map<string, NodeRec>();
  for (const { rec, decl } of nodes) {
    if (byName.has(rec.meta.name)) errors.push(errorAt(decl.source, nodeObj(rec.meta.name), 'metadata.name', `Duplicate value: "${rec.meta.name}"`));
    byName.set(rec.meta.name, rec);
  }
  const na = plugin.nodeAddressing;
  assignNodeIps(nodes, new NodeIpAllocator(config.nodeNetwork, new Set(), na?.firstHost), errors, na?.holdsPodIps ? (rec) => rec.capacityPods : undefined);
  for (const { rec } of nodes) rec.macs = session.nodeMacs(rec.meta.name);
  if (errors.length) return fail(errors);
  setupNodes(session, nodes, errors, { deferNodeAddresses: true });
  if (errors.length) return fail(errors);

  // Pods: sandboxes in creation order; recorded IPs reserved before any allocation, the
  // nodes' own addresses (Calico's tunnel) next, from what the recorded pods left free.
  const pods = new Map<string, PodRec>();
  const recs: { rec: PodRec; decl: PodDecl }[] = [];
  for (const decl of scenario.pods) {
    const rec = podRecord(decl);
    const key = podKeyOf(rec);
    if (pods.has(key)) {
      errors.push(errorAt(decl.source, podObj(rec), 'metadata.name', `pods "${rec.meta.name}" already exists`));
      continue;
    }
    if (rec.nodeName && !byName.has(rec.nodeName)) {
      errors.push(errorAt(decl.source, podObj(rec), 'spec.nodeName', `Not found: "${rec.nodeName}"`));
      continue;
    }
    Object.assign(rec, session.sandbox(rec));
    pods.set(key, rec);
    recs.push({ rec, decl });
  }
  for (const { rec, decl } of recs) {
    if (decl.podIP === undefined || !needsAddress(rec)) continue;
    const r = session.ipam.reserve(byName.get(rec.nodeName)!, decl.podIP);
    if (!r.ok) errors.push(errorAt(decl.source, podObj(rec), 'status.podIP', r.message));
  }
  if (errors.length) return fail(errors);
  for (const { rec, decl } of nodes) {
    const r = session.ipam.nodeAddresses?.(rec);
    if (r && !r.ok) errors.push(errorAt(decl.source, nodeObj(rec.meta.name), r.field, r.message));
  }
  if (errors.length) return fail(errors);
  // Each pod's events are about that pod alone and differ in reason, so none is counted with
  // another (what EventRecorder would do): they are appended as they come, without its index.
  const events: EventRec[] = [];
  const add = (e: NewEvent, at: number) => events.push({ ...e, firstTimestamp: at, lastTimestamp: at, count: 1 });
  for (const { rec, decl } of recs) {
    const created = createdAt(rec.meta);
    if (decl.scheduled) events.push(scheduledEvent(rec, created));
    if (needsAddress(rec)) {
      const a = session.attach(rec, byName.get(rec.nodeName)!, decl.podIP);
      if (a.ok) rec.attachment = a.value;
      else stuckInContainerCreating(rec, config.cni, a.message);
    }
    const e = statusEvent(rec);
    if (e) add(e, created);
  }

  // Services: clusterIPs, nodePorts and load-balancer addresses, in creation order.
  const services = allocateServices(scenario.objects, config, new Rng((config.seed ^ SERVICE_RNG_SALT) | 0));
  if (services.errors.length) return fail(services.errors);

  return ok({
    config,
    namespaces: new Map<string, NamespaceRec>(scenario.namespaces.map((n) => [n.meta.name, n])),
    nodes: nodes.map((n) => n.rec),
    pods,
    workloads: new Map(scenario.workloads.map((w) => [workloadKey(w), w])),
    objects: new Map(services.objects.map((o) => [objectKeyOf(o), o])),
    ipam: session.exportState(),
    rngState: rng.state,
    now: settledClock(scenario),
    ...(events.length ? { events } : {}),
  });
}

/** The cluster is looked at a few minutes after its newest object was created. */
function settledClock(scenario: Scenario): number {
  let newest = 0;
  for (const list of [scenario.namespaces, scenario.nodes, scenario.pods, scenario.workloads, scenario.objects]) {
    for (const o of list) newest = Math.max(newest, createdAt(o.meta));
  }
  return newest + SETTLE_SECONDS;
}

/** `10.244.1.2` (re-exported for tests and messages). */
export const ipText = (ip: Ipv4) => formatIpv4(ip);
