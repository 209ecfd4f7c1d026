/**
 * One command's working state (`Change`): the cluster it started from, copies of what it changed,
 * the seeded random source and the address allocators; `commit` assembles the new Cluster. Every
 * controller and kubectl verb in this folder creates, schedules and removes pods through it, so
 * the scheduler, the CNI's IPAM and the events they record are one code path.
 */
import { AddressingSession } from '../addressing/ipam/session';
import type { Ipv4 } from '../addressing/ipv4';
import { schedulePods } from '../scenario/schedule';
import type { PodDecl } from '../scenario/types';
import { K8S_NAME_ALPHABET, Rng } from '../sim/rng';
import { podKeyOf, podRecord } from '../model/build';
import type { Cluster, ManifestRec, NamespaceRec, NodeRec, PodRec, WorkloadRec } from '../model/cluster';
import { fail, ok, type Result, type ScenarioError } from '../model/source';

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
 * random source and the address allocators. `commit` assembles the new Cluster.
 */
export class Change {
  readonly rng: Rng;
  private sessionCache?: AddressingSession;
  readonly pods: Map<string, PodRec>;
  private readonly nodeDrafts = new Map<string, NodeRec>();
  nodes: NodeRec[];
  workloads: Map<string, WorkloadRec>;
  objects: Map<string, ManifestRec>;
  namespaces: Map<string, NamespaceRec>;

  constructor(readonly base: Cluster) {
    this.rng = new Rng(base.rngState);
    this.pods = new Map(base.pods);
    this.nodes = base.nodes;
    this.workloads = base.workloads;
    this.objects = base.objects;
    this.namespaces = base.namespaces;
  }

  get session(): AddressingSession {
    this.sessionCache ??= AddressingSession.fromCluster(this.base, this.rng);
    return this.sessionCache;
  }

  node(name: string): NodeRec | undefined {
    return this.nodeDrafts.get(name) ?? this.nodes.find((n) => n.meta.name === name);
  }

  /** A copy of a node the allocators may change. */
  draft(name: string): NodeRec | undefined {
    const d = this.nodeDrafts.get(name);
    if (d) return d;
    const n = this.nodes.find((x) => x.meta.name === name);
    if (!n) return undefined;
    const copy: NodeRec = { ...n, blocks: [...n.blocks], macs: { ...n.macs } };
    this.nodeDrafts.set(name, copy);
    this.nodes = this.nodes.map((x) => (x === n ? copy : x));
    return copy;
  }

  podCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const p of this.pods.values()) if (p.nodeName) counts.set(p.nodeName, (counts.get(p.nodeName) ?? 0) + 1);
    return counts;
  }

  /** Schedule pods without a node over the current nodes. */
  schedule(pods: PodDecl[]): Result<PodDecl[]> {
    if (pods.every((p) => p.nodeName)) return ok(pods);
    const counts = this.podCounts();
    return schedulePods(
      pods,
      this.nodes.map((n) => ({ name: n.meta.name, role: n.role, capacityPods: n.capacityPods, podCount: counts.get(n.meta.name) ?? 0 })),
    );
  }

  /** Create pods (sandbox + CNI ADD), in order. */
  createPods(decls: PodDecl[]): Result<PodRec[]> {
    const out: PodRec[] = [];
    for (const decl of decls) {
      const rec = podRecord(decl);
      const key = podKeyOf(rec);
      if (this.pods.has(key)) return fail(alreadyExists('Pod', rec.meta.name));
      if (rec.nodeName && !this.node(rec.nodeName)) return fail(err(`spec.nodeName: Not found: "${rec.nodeName}"`, `Pod/${key}`));
      Object.assign(rec, this.session.sandbox(rec, this.rng.int(2 ** 30)));
      const r = this.attach(rec, decl.podIP);
      if (!r.ok) return r;
      this.pods.set(key, rec);
      out.push(rec);
    }
    return ok(out);
  }

  attach(rec: PodRec, podIP?: Ipv4): Result<void> {
    if (rec.hostNetwork || !rec.nodeName) return ok(undefined);
    const node = this.draft(rec.nodeName)!;
    if (podIP !== undefined) {
      const r = this.session.ipam.reserve(node, podIP);
      if (!r.ok) return fail(err(r.message, `Pod/${podKeyOf(rec)}`, 'status.podIP'));
    }
    const a = this.session.attach(rec, node, podIP);
    if (!a.ok) return fail(err(a.message, `Pod/${podKeyOf(rec)}`));
    rec.attachment = a.value;
    return ok(undefined);
  }

  /** CNI DEL and removal. */
  removePod(key: string): PodRec | undefined {
    const p = this.pods.get(key);
    if (!p) return undefined;
    if (p.attachment && p.nodeName) this.session.release(p, this.draft(p.nodeName));
    this.pods.delete(key);
    return p;
  }

  commit(over: Partial<Cluster> = {}): Cluster {
    const ipam = this.sessionCache ? this.sessionCache.exportState(this.base.ipam.nextEndpointId) : this.base.ipam;
    return {
      ...this.base,
      nodes: this.nodes,
      pods: this.pods,
      workloads: this.workloads,
      objects: this.objects,
      namespaces: this.namespaces,
      ipam,
      rngState: this.rng.state,
      ...over,
    };
  }
}

export function finishPods(change: Change, decls: PodDecl[]): Result<Cluster> {
  const s = change.schedule(decls);
  if (!s.ok) return s;
  const c = change.createPods(s.value);
  if (!c.ok) return c;
  return ok(change.commit());
}

