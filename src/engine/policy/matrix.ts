/**
 * The connectivity matrix: every pod × every pod on one protocol and port. Built for size
 * (1,000 × 1,000 under hundreds of policies): per policy rule, the pods each peer admits are a
 * bitset computed once; per isolated pod, its allowed peers for the port are the union of its
 * policies' matching rules — memoised by the set of selecting policies, so pods that share
 * policies share one row; a pair then costs two bit tests. It agrees with evaluateConnection
 * (the explainable path) on every pair; tests check that.
 */
import type { Cluster, PodRec } from '../model/cluster';
import { enforcementOf } from './enforcement';
import { peerMatches, portMatches } from './evaluate';
import { isPolicyPod, podKey, policyIndexOf, type Endpoint, type PolicyIndex } from './policyIndex';
import type { ConnProtocol, Direction, Policy, Rule } from './types';

export class Bits {
  readonly w: Uint32Array;
  constructor(n: number) {
    this.w = new Uint32Array((n + 31) >>> 5);
  }
  set(i: number) {
    this.w[i >>> 5] |= 1 << (i & 31);
  }
  has(i: number): boolean {
    return (this.w[i >>> 5] & (1 << (i & 31))) !== 0;
  }
  or(o: Bits) {
    for (let i = 0; i < this.w.length; i++) this.w[i] |= o.w[i];
  }
  orAnd(a: Bits, b: Bits) {
    for (let i = 0; i < this.w.length; i++) this.w[i] |= a.w[i] & b.w[i];
  }
  fill() {
    this.w.fill(0xffffffff);
  }
}

export interface MatrixOptions {
  /** Only pods of this namespace (rows and columns). */
  namespace?: string;
  proto: ConnProtocol;
  port?: number;
  /** What the policies say even when the CNI does not enforce them. */
  intent?: boolean;
}

export interface Matrix {
  pods: string[];
  proto: ConnProtocol;
  port?: number;
  /** `allowed[from * n + to]`: 1 allowed, 0 denied. */
  allowed: Uint8Array;
  /** The CNI does not enforce NetworkPolicy (and `intent` was not asked): everything is allowed. */
  notEnforced?: string;
}

export function matrixPods(cluster: Cluster, namespace?: string): PodRec[] {
  const pods = [...cluster.pods.values()].filter((p) => isPolicyPod(p) && (namespace === undefined || (p.meta.namespace ?? 'default') === namespace));
  return pods.sort((a, b) => (podKey(a) < podKey(b) ? -1 : podKey(a) > podKey(b) ? 1 : 0));
}

export function connectivityMatrix(cluster: Cluster, opts: MatrixOptions): Matrix {
  const pods = matrixPods(cluster, opts.namespace);
  const n = pods.length;
  const allowed = new Uint8Array(n * n);
  const e = enforcementOf(cluster);
  const base: Matrix = { pods: pods.map(podKey), proto: opts.proto, ...(opts.port !== undefined ? { port: opts.port } : {}), allowed };
  if (e.enforcer === 'none' && !opts.intent) {
    allowed.fill(1);
    return { ...base, notEnforced: e.description };
  }
  fillMatrix(allowed, matrixRows(cluster, pods, opts));
  return base;
}

/** The pair phase: two bit tests per pair (a pod always reaches itself). */
export function fillMatrix(allowed: Uint8Array, rows: { egress: (Bits | null)[]; ingress: (Bits | null)[] }): void {
  const { egress, ingress } = rows;
  const n = egress.length;
  for (let s = 0; s < n; s++) {
    const eg = egress[s];
    const off = s * n;
    for (let d = 0; d < n; d++) {
      const ing = ingress[d];
      allowed[off + d] = s === d || ((eg === null || eg.has(d)) && (ing === null || ing.has(s))) ? 1 : 0;
    }
  }
}

/** Per pod, the peers it may send to (egress) and receive from (ingress); null when not isolated. The matrix's precomputation, exposed for the benchmark. */
export function matrixRows(cluster: Cluster, pods: PodRec[], opts: MatrixOptions): { egress: (Bits | null)[]; ingress: (Bits | null)[] } {
  const idx = policyIndexOf(cluster);
  const eps: Endpoint[] = pods.map((p) => idx.podEndpoint(p));
  const b = new Builder(idx, pods, eps, opts.proto, opts.port);
  return { egress: pods.map((p) => b.row(p, 'Egress')), ingress: pods.map((p) => b.row(p, 'Ingress')) };
}

class Builder {
  private readonly peerSets = new Map<string, Bits>();
  private readonly rows = new Map<string, Bits>();
  private readonly all: Bits;
  constructor(
    private idx: PolicyIndex,
    private pods: PodRec[],
    private eps: Endpoint[],
    private proto: ConnProtocol,
    private port: number | undefined,
  ) {
    this.all = new Bits(pods.length);
    this.all.fill();
  }

  /** Pods a rule's peers admit (as seen by a policy in its namespace); `subject` matters only for entity peers. */
  private peersOf(policy: Policy, dir: Direction, ri: number, rule: Rule, subject: PodRec): Bits {
    if (rule.peers.length === 0) return this.all;
    const entity = rule.peers.some((p) => p.entity === 'host' || p.entity === 'remote-node');
    const key = `${policy.kind}/${policy.id}/${dir}/${ri}${entity ? `/${subject.nodeName}` : ''}`;
    let bits = this.peerSets.get(key);
    if (!bits) {
      bits = new Bits(this.pods.length);
      for (let i = 0; i < this.eps.length; i++) if (rule.peers.some((p) => peerMatches(this.idx, policy, p, this.eps[i], subject))) bits.set(i);
      this.peerSets.set(key, bits);
    }
    return bits;
  }

  /** Pods whose named port matches this rule's ports (egress: named ports resolve on the destination). */
  private destsWithPorts(policy: Policy, dir: Direction, ri: number, rule: Rule): Bits {
    const key = `ports/${policy.kind}/${policy.id}/${dir}/${ri}`;
    let bits = this.peerSets.get(key);
    if (!bits) {
      bits = new Bits(this.pods.length);
      for (let i = 0; i < this.pods.length; i++) if (rule.ports.some((s) => portMatches(s, this.proto, this.port, this.pods[i]))) bits.set(i);
      this.peerSets.set(key, bits);
    }
    return bits;
  }

  /** The peers `pod` may talk to in `dir`, or null when it is not isolated. */
  row(pod: PodRec, dir: Direction): Bits | null {
    const policies = this.idx.selecting(pod, dir);
    if (!policies.length) return null;
    // Ingress named ports resolve on the pod itself, so its port signature joins the key.
    const sig = dir === 'Ingress' ? pod.containers.map((c) => c.ports.map((p) => `${p.name}:${p.protocol}:${p.containerPort}`).join(',')).join(';') : '';
    const key = `${dir}|${policies.map((p) => `${p.kind}/${p.id}`).join(',')}|${sig}|${pod.nodeName}`;
    let bits = this.rows.get(key);
    if (bits) return bits;
    bits = new Bits(this.pods.length);
    for (const policy of policies) {
      const rules = dir === 'Ingress' ? policy.ingress : policy.egress;
      rules.forEach((rule, ri) => {
        if (rule.ports.length === 0) return bits!.or(this.peersOf(policy, dir, ri, rule, pod));
        if (dir === 'Ingress') {
          if (rule.ports.some((s) => portMatches(s, this.proto, this.port, pod))) bits!.or(this.peersOf(policy, dir, ri, rule, pod));
          return;
        }
        bits!.orAnd(this.peersOf(policy, dir, ri, rule, pod), this.destsWithPorts(policy, dir, ri, rule));
      });
    }
    this.rows.set(key, bits);
    return bits;
  }
}

export function isAllowed(m: Matrix, from: number, to: number): boolean {
  return m.allowed[from * m.pods.length + to] === 1;
}

/** `{port, protocol, pods, results: [{from, to, allowed}]}` (the CLI's --json contract). */
export function matrixJson(m: Matrix): { port: number | null; protocol: ConnProtocol; pods: string[]; results: { from: string; to: string; allowed: boolean }[]; enforced: boolean } {
  const results: { from: string; to: string; allowed: boolean }[] = [];
  for (let i = 0; i < m.pods.length; i++) for (let j = 0; j < m.pods.length; j++) results.push({ from: m.pods[i], to: m.pods[j], allowed: isAllowed(m, i, j) });
  return { port: m.port ?? null, protocol: m.proto, pods: m.pods, results, enforced: m.notEnforced === undefined };
}

/**
 * The truth table as upstream's e2e prints it (test/e2e/network/netpol/truthtable.go
 * PrettyPrint, tabs and all): a header `-` and the destinations, one row per source with `.`
 * allowed and `X` denied.
 */
export function matrixTable(m: Matrix): string {
  const lines = [['-\t', ...m.pods].join('\t')];
  for (let i = 0; i < m.pods.length; i++) lines.push([m.pods[i], ...m.pods.map((_, j) => `${isAllowed(m, i, j) ? '.' : 'X'}\t`)].join('\t'));
  return lines.join('\n') + '\n';
}
