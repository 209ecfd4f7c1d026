/**
 * One command's working state (`Change`): the cluster it started from, copies of what it changed,
 * the seeded random source and the address allocators; `commit` assembles the new Cluster. Every
 * controller and kubectl verb in this folder creates, schedules and removes pods through it, so
 * the scheduler, the CNI's IPAM and the events they record are one code path.
 *
 * What the cluster cannot do is state, never a refusal (as at load, model/build.ts): a pod no
 * node fits stays Pending (FailedScheduling), a pod bound beyond its node's max-pods is Failed
 * (OutOfpods), a pod whose node has no free address stays ContainerCreating
 * (FailedCreatePodSandBox). When a pod goes or the nodes change, `commit` gives the stuck pods
 * another try, as the scheduler's requeue and kubelet's sandbox retries do: a freed address
 * unsticks a ContainerCreating pod on its node, a freed slot lets a Pending pod be scheduled.
 */
import { AddressingSession } from '../addressing/ipam/session';
import type { Ipv4 } from '../addressing/ipv4';
import { Placement, schedNode } from '../scenario/schedule';
import type { PodDecl } from '../scenario/types';
import { K8S_NAME_ALPHABET, Rng } from '../sim/rng';
import { needsAddress, podDeclOf, podKeyOf, podRecord, stuckInContainerCreating } from '../model/build';
import type { Cluster, EventRec, ManifestRec, NamespaceRec, NodeRec, PodRec, WorkloadRec } from '../model/cluster';
import { EventRecorder, scheduled, statusEvent, type NewEvent } from '../model/events';
import { fail, ok, type Result, type ScenarioError } from '../model/source';
import { recordPodChanges } from '../model/lineage';
import { PMap, PVec } from '../util/persistent';
import { countPods, handOn, indexNodes, PodDraft, takeRuntime, type Runtime } from './runtime';
// A cycle (rollout.ts builds on Change), safe because neither module uses the other at load time.
import { progressRollouts } from './rollout';

/** A pod the controllers retry at commit: ContainerCreating (no address yet) or Pending without a node. */
const isStuck = (p: PodRec) => p.status?.reason === 'ContainerCreating' || (p.status?.reason === 'Unschedulable' && !p.nodeName);

/** The stuck pods' keys (O(pods): only when no runtime was handed on). */
function stuckKeys(pods: PMap<PodRec>): Set<string> {
  const out = new Set<string>();
  for (const [k, p] of pods) if (isStuck(p)) out.add(k);
  return out;
}

/** A loaded cluster's pods (a Map) as a persistent map, converted once whatever the number of commands started from it. */
const converted = new WeakMap<ReadonlyMap<string, PodRec>, PMap<PodRec>>();
function persistentPods(pods: ReadonlyMap<string, PodRec>): PMap<PodRec> {
  if (pods instanceof PMap) return pods;
  let p = converted.get(pods);
  if (!p) converted.set(pods, (p = PMap.from(pods)));
  return p;
}

/** Whether two node records differ in a field the scheduler reads. */
const schedDiffers = (n: NodeRec, b: NodeRec) => n.meta !== b.meta || n.taints !== b.taints || n.unschedulable !== b.unschedulable || n.capacityPods !== b.capacityPods;

/** Bound on settle → rollout rounds in one commit (each round either finishes or moves a rollout on). */
const MAX_SETTLE_ROUNDS = 64;

export const FILE = 'kubectl';
const RESOURCE: Record<string, string> = {
  Pod: 'pods',
  Node: 'nodes',
  Namespace: 'namespaces',
  Deployment: 'deployments.apps',
  ReplicaSet: 'replicasets.apps',
  DaemonSet: 'daemonsets.apps',
  Service: 'services',
};
export const plural = (kind: string) => RESOURCE[kind] ?? `${kind.toLowerCase()}s`;

export function err(message: string, object?: string, field?: string): ScenarioError[] {
  return [{ file: FILE, ...(object ? { object } : {}), ...(field ? { field } : {}), message }];
}
export const notFound = (kind: string, name: string) => err(`Error from server (NotFound): ${plural(kind)} "${name}" not found`, `${kind}/${name}`);
export const alreadyExists = (kind: string, name: string) => err(`Error from server (AlreadyExists): ${plural(kind)} "${name}" already exists`, `${kind}/${name}`);

/** A uid as the API server makes them (UUID v4 text), from the seeded source. */
export function uuid(rng: Rng): string {
  const h = rng.hex(32);
  const v = '89ab'[rng.int(4)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** generateName's random suffix (apiserver names: 5 characters of the k8s alphabet). */
export const suffix = (rng: Rng) => rng.string(5, K8S_NAME_ALPHABET);

/**
 * Working state of one command: the cluster it started from, copies of what it changed, the
 * random source and the address allocators. `commit` assembles the new Cluster. What it costs
 * does not grow with the cluster: the pods are a persistent map, and the allocators, pod counts
 * and scheduler index come from the command before (runtime.ts) when this cluster was its result.
 */
export class Change {
  readonly rng: Rng;
  private sessionCache?: AddressingSession;
  readonly pods: PodDraft;
  /** Nodes an allocator or an edit copied in this change, by name. */
  private readonly nodeDrafts = new Map<string, NodeRec>();
  private nodeList: NodeRec[];
  /** `nodes` was replaced (nodes added, removed or edited by a command): placement and retries look again. */
  private nodesReplaced = false;
  private nodeIndex?: Map<string, number>;
  private counts?: Map<string, number>;
  private placement?: Placement;
  /** A node edit since the placement was built: the scheduler reads the nodes again. */
  private placementStale = false;
  private stuck?: Set<string>;
  workloads: Map<string, WorkloadRec>;
  objects: Map<string, ManifestRec>;
  namespaces: Map<string, NamespaceRec>;
  private recorder?: EventRecorder;
  /** A pod slot was freed or a requeue asked for: Pending pods get another try at commit. */
  private retry = false;
  /** Nodes where an address was freed: their ContainerCreating pods get another try at commit. */
  private readonly freedOn = new Set<string>();

  constructor(readonly base: Cluster) {
    const rt = takeRuntime(base);
    this.sessionCache = rt?.session;
    this.rng = rt?.session?.rng ?? new Rng(base.rngState);
    this.counts = rt?.counts;
    this.placement = rt?.placement;
    this.nodeIndex = rt?.nodeIndex;
    this.stuck = rt?.stuck;
    this.pods = new PodDraft(persistentPods(base.pods), (node, delta) => this.slots(node, delta));
    this.pods.onWrite = (key, rec) => this.noteStuck(key, rec);
    this.nodeList = base.nodes;
    this.workloads = base.workloads;
    this.objects = base.objects;
    this.namespaces = base.namespaces;
  }

  /** The nodes (in node order); assigning a new list tells the scheduler and the retries to look again. */
  get nodes(): NodeRec[] {
    return this.nodeList;
  }

  set nodes(list: NodeRec[]) {
    this.nodeList = list;
    this.nodesReplaced = true;
    this.placementStale = true;
    this.nodeIndex = undefined;
  }

  get session(): AddressingSession {
    this.sessionCache ??= AddressingSession.fromCluster(this.base, this.rng);
    return this.sessionCache;
  }

  private indexOf(name: string): number | undefined {
    this.nodeIndex ??= indexNodes(this.nodeList);
    return this.nodeIndex.get(name);
  }

  node(name: string): NodeRec | undefined {
    const i = this.indexOf(name);
    return i === undefined ? undefined : this.nodeList[i];
  }

  /** Put a copy of a node in the list (same position). */
  private install(name: string, copy: NodeRec): void {
    const i = this.indexOf(name)!;
    const list = this.nodeList.slice();
    list[i] = copy;
    this.nodeList = list;
    this.nodeDrafts.set(name, copy);
  }

  /** A copy of a node this command may change (what the scheduler reads included). */
  draft(name: string): NodeRec | undefined {
    this.placementStale = true;
    const d = this.nodeDrafts.get(name);
    if (d) return d;
    const n = this.node(name);
    if (!n) return undefined;
    const copy: NodeRec = { ...n, blocks: [...n.blocks], macs: { ...n.macs } };
    this.install(name, copy);
    return copy;
  }

  /** Pods holding a slot on each node (kubelet counts active pods: terminated ones hold none). */
  podCounts(): ReadonlyMap<string, number> {
    this.counts ??= countPods(this.pods.values());
    return this.counts;
  }

  private slots(node: string, delta: number): void {
    if (!this.counts) return; // counted from the pods when first needed
    const c = (this.counts.get(node) ?? 0) + delta;
    if (c) this.counts.set(node, c);
    else this.counts.delete(node);
    this.placement?.setCount(node, c);
  }

  private noteStuck(key: string, rec: PodRec | undefined): void {
    if (!this.stuck) return; // found from the pods when first needed
    if (rec && isStuck(rec)) this.stuck.add(key);
    else this.stuck.delete(key);
  }

  /** Free pod slots over all nodes (max-pods less the active pods): what a workload's expansion is bounded by. */
  freePods(): number {
    let free = 0;
    for (const n of this.nodes) free += n.capacityPods;
    for (const c of this.podCounts().values()) free -= c;
    return free;
  }

  /** Events recorded so far by this change (the base cluster's, then new ones). */
  get events(): PVec<EventRec> {
    return this.recorder ? this.recorder.events : (this.base.events ?? PVec.empty());
  }

  /** Record an event at the cluster's current time (aggregated as client-go's recorder does). */
  record(e: NewEvent): void {
    this.recorder ??= new EventRecorder(this.base.events);
    this.recorder.record(e, this.base.now);
  }

  /** Stuck pods get another try at commit (a node was uncordoned, relabelled, added …). */
  requeue(): void {
    this.retry = true;
  }

  /**
   * Schedule pods without a node over the current nodes, and run kubelet admission for those
   * bound by nodeName. Never fails: unplaced pods come back Pending with their FailedScheduling
   * status, rejected ones Failed/OutOfpods (their events are recorded by createPods).
   */
  schedule(pods: PodDecl[]): Result<PodDecl[]> {
    const counts = this.podCounts();
    if (!this.placement || this.placementStale) {
      this.placement = new Placement(this.nodes.map((n) => schedNode(n, 0)), (name) => counts.get(name) ?? 0);
      this.placementStale = false;
    }
    const copies = pods.map((p) => ({ ...p }));
    this.placement.place(copies);
    return ok(copies);
  }

  /**
   * Create pods (sandbox + CNI ADD), in order, recording their scheduling and kubelet events.
   * Fails only on what the API server refuses (a name taken, an unknown spec.nodeName) and on a
   * recorded status.podIP the node's IPAM cannot reserve.
   */
  createPods(decls: PodDecl[]): Result<PodRec[]> {
    const out: PodRec[] = [];
    for (const decl of decls) {
      const rec = podRecord(decl);
      const key = podKeyOf(rec);
      if (this.pods.has(key)) return fail(alreadyExists('Pod', rec.meta.name));
      if (rec.nodeName && !this.node(rec.nodeName)) return fail(err(`spec.nodeName: Not found: "${rec.nodeName}"`, `Pod/${key}`));
      Object.assign(rec, this.session.sandbox(rec, this.rng.int(2 ** 30)));
      if (decl.scheduled) this.record(scheduled(rec));
      const r = this.attach(rec, decl.podIP);
      if (!r.ok) return r;
      if (rec.status?.reason !== 'ContainerCreating') this.recordStatus(rec); // attach recorded its own
      this.pods.set(key, rec);
      out.push(rec);
    }
    return ok(out);
  }

  private recordStatus(rec: PodRec): void {
    const e = statusEvent(rec);
    if (e) this.record(e);
  }

  /**
   * CNI ADD for a scheduled pod on the pod network. When the node's IPAM has no address the pod
   * stays ContainerCreating (FailedCreatePodSandBox recorded) and this still succeeds; it fails
   * only when a recorded `podIP` cannot be reserved.
   */
  attach(rec: PodRec, podIP?: Ipv4): Result<void> {
    if (!needsAddress(rec)) return ok(undefined);
    // The allocators may change the node (a Calico block claimed): they get a copy, kept only if it changed.
    const current = this.node(rec.nodeName)!;
    const drafted = this.nodeDrafts.get(rec.nodeName) === current;
    const node = drafted ? current : { ...current };
    try {
      return this.attachOn(rec, node, podIP);
    } finally {
      if (!drafted && (Object.keys(node) as (keyof NodeRec)[]).some((k) => node[k] !== current[k])) this.install(rec.nodeName, node);
    }
  }

  private attachOn(rec: PodRec, node: NodeRec, podIP?: Ipv4): Result<void> {
    if (podIP !== undefined) {
      const r = this.session.ipam.reserve(node, podIP);
      if (!r.ok) return fail(err(r.message, `Pod/${podKeyOf(rec)}`, 'status.podIP'));
    }
    const a = this.session.attach(rec, node, podIP);
    if (!a.ok) {
      stuckInContainerCreating(rec, this.base.config.cni, a.message);
      this.recordStatus(rec);
      return ok(undefined);
    }
    rec.attachment = a.value;
    if (rec.status) {
      // The sandbox is up (at last, or on the node the pod was bound to by hand): the pod runs.
      delete rec.status;
      rec.phase = 'Running';
      rec.ready = true;
    }
    return ok(undefined);
  }

  /** CNI DEL and removal. Its address and slot are free again: stuck pods are retried at commit. */
  removePod(key: string): PodRec | undefined {
    const p = this.pods.get(key);
    if (!p) return undefined;
    if (p.attachment && p.nodeName) {
      this.session.release(p, this.node(p.nodeName));
      this.freedOn.add(p.nodeName);
    }
    this.pods.delete(key);
    this.retry = true;
    return p;
  }

  /**
   * The retries of the controllers that would run next: kubelet recreates the sandbox of each
   * ContainerCreating pod (in creation order, so the oldest gets a freed address first), then the
   * scheduler takes the Pending pods again (in creation order).
   */
  private settle(): void {
    const creating: PodRec[] = [];
    const pending: { key: string; rec: PodRec }[] = [];
    const pods = this.pods.map;
    this.stuck ??= stuckKeys(pods);
    // In creation order (the pods' order), so the oldest gets a freed address or slot first.
    const keys = [...this.stuck].sort((a, b) => pods.orderOf(a) - pods.orderOf(b));
    for (const key of keys) {
      const p = pods.get(key)!;
      if (p.status?.reason === 'ContainerCreating') {
        if (this.freedOn.has(p.nodeName)) creating.push(p);
      } else if (this.retry && p.status?.reason === 'Unschedulable' && !p.nodeName) pending.push({ key, rec: p });
    }
    for (const old of creating) {
      // A copy: the cluster this change started from keeps its pod as it was.
      const rec: PodRec = { ...old };
      this.attach(rec);
      if (rec.attachment) this.pods.set(podKeyOf(rec), rec);
    }
    if (!pending.length) return;
    const s = this.schedule(pending.map((p) => podDeclOf(p.rec)));
    if (!s.ok) return;
    s.value.forEach((decl, i) => {
      if (!decl.nodeName) return;
      const rec = podRecord(decl);
      Object.assign(rec, this.session.sandbox(rec, this.rng.int(2 ** 30)));
      this.record(scheduled(rec));
      this.attach(rec);
      if (rec.status?.reason !== 'ContainerCreating') this.recordStatus(rec);
      this.pods.set(pending[i].key, rec);
    });
  }

  /** Whether nodes came, went or changed what the scheduler reads (drafts the allocators made do not count). */
  private nodesChanged(): boolean {
    const before = this.base.nodes;
    if (this.nodeList === before) return false;
    if (!this.nodesReplaced) {
      // Only copies made in this change: compare those.
      for (const [name, d] of this.nodeDrafts) {
        const b = before[this.indexOf(name)!];
        if (!b || schedDiffers(d, b)) return true;
      }
      return false;
    }
    if (this.nodeList.length !== before.length) return true;
    return this.nodeList.some((n, i) => schedDiffers(n, before[i]));
  }

  commit(over: Partial<Cluster> = {}): Cluster {
    if (this.nodesChanged()) this.retry = true;
    // The scheduler's and kubelet's retries, then the deployment controller on unfinished rollouts
    // (new pods that now run let old ones go, which may free room for more): until nothing moves.
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      if (this.retry || this.freedOn.size) this.settle();
      this.retry = false;
      this.freedOn.clear();
      if (!progressRollouts(this)) break;
    }
    const ipam = this.sessionCache ? this.sessionCache.exportState(this.base.ipam.nextEndpointId) : this.base.ipam;
    const events = this.recorder?.events ?? this.base.events;
    const pods = this.pods.map;
    const next: Cluster = {
      ...this.base,
      nodes: this.nodes,
      pods,
      workloads: this.workloads,
      objects: this.objects,
      namespaces: this.namespaces,
      ipam,
      rngState: this.rng.state,
      ...(events?.length ? { events } : {}),
      ...over,
    };
    if (next.pods === pods) recordPodChanges(next, this.base, this.pods.touched);
    // The next command from `next` goes on with this one's allocators, counts and scheduler index.
    if (next.pods === pods && next.nodes === this.nodeList && next.config === this.base.config && next.rngState === this.rng.state && next.ipam === ipam) {
      const rt: Runtime = {
        ...(this.sessionCache ? { session: this.sessionCache } : {}),
        ...(this.counts ? { counts: this.counts } : {}),
        ...(this.placement && !this.placementStale ? { placement: this.placement } : {}),
        ...(this.stuck ? { stuck: this.stuck } : {}),
        ...(this.nodeIndex ? { nodeIndex: this.nodeIndex } : {}),
        nodes: this.nodeList,
      };
      handOn(next, rt);
    }
    return next;
  }
}

export function finishPods(change: Change, decls: PodDecl[]): Result<Cluster> {
  const s = change.schedule(decls);
  if (!s.ok) return s;
  const c = change.createPods(s.value);
  if (!c.ok) return c;
  return ok(change.commit());
}

