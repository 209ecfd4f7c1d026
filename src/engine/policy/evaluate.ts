/**
 * The verdict for one connection, with the reasons (networking.k8s.io/v1 semantics):
 * - a pod is isolated for a direction when some policy selecting it has that policyType;
 *   then only connections some rule of those policies allows pass (policies are a union);
 * - a rule matches when one of its peers (podSelector AND namespaceSelector within a peer; the
 *   peers ORed; an empty list = everyone) and one of its ports match (empty = every port);
 * - a connection needs the sender's egress and the receiver's ingress;
 * - a pod can always reach itself, and traffic between a pod and its own node is always
 *   allowed (kubernetes.io/docs/concepts/services-networking/network-policies: "traffic to and
 *   from the node where a Pod is running is always allowed");
 * - named ports resolve against the destination pod's container ports (name and protocol).
 * Replies of an allowed connection are the enforcement layer's business (conntrack), not this.
 */
import { formatIpv4 } from '../addressing/ipv4';
import type { PodRec } from '../model/cluster';
import { isPolicyPod, podKey, type Endpoint, type PolicyIndex } from './policyIndex';
import { formatSelector, selectorMatches } from '../model/labelSelector';
import type { ConnProtocol, Direction, Peer, Policy, PortSpec, Rule } from './types';

export interface RuleRef {
  policy: Policy;
  direction: Direction;
  /** Index in spec.ingress / spec.egress. */
  rule: number;
}

export interface SideVerdict {
  direction: Direction;
  /** The pod whose policies decide this side. */
  subject: PodRec;
  allowed: boolean;
  /** Policies selecting the subject for this direction (empty: not isolated). */
  policies: Policy[];
  allowedBy?: RuleRef;
  /** Why the side passes without a rule: `not isolated`, `own node`, `same pod`. */
  exemption?: 'not-isolated' | 'own-node' | 'same-pod';
}

export interface ConnectionVerdict {
  allowed: boolean;
  egress?: SideVerdict;
  ingress?: SideVerdict;
}

export function portText(proto: ConnProtocol, port?: number): string {
  return proto === 'ICMP' ? 'ICMP' : port === undefined ? proto : `${proto}/${port}`;
}

export function portMatches(spec: PortSpec, proto: ConnProtocol, port: number | undefined, dstPod: PodRec | undefined): boolean {
  if (proto === 'ICMP' || spec.protocol !== proto) return false;
  if (spec.port === undefined) return true;
  if (port === undefined) return false;
  if (typeof spec.port === 'number') return port >= spec.port && port <= (spec.endPort ?? spec.port);
  if (!dstPod) return false;
  for (const c of dstPod.containers) for (const p of c.ports) if (p.name === spec.port && p.protocol === proto && p.containerPort === port) return true;
  return false;
}

export function peerMatches(index: PolicyIndex, policy: Policy, peer: Peer, other: Endpoint, subject: PodRec): boolean {
  if (peer.entity !== undefined) {
    switch (peer.entity) {
      case 'all':
        return true;
      case 'world':
        return other.kind === 'external';
      case 'cluster':
        return other.kind !== 'external';
      case 'host':
        return other.kind === 'node' && other.node.meta.name === subject.nodeName;
      case 'remote-node':
        return other.kind === 'node' && other.node.meta.name !== subject.nodeName;
      default:
        return false;
    }
  }
  if (peer.ipBlock) {
    const b = peer.ipBlock;
    return b.cidr.contains(other.ip) && !b.except.some((e) => e.contains(other.ip));
  }
  if (other.kind !== 'pod') return false;
  const nsOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, index.nsLabels(other.namespace)) : other.namespace === policy.namespace;
  return nsOk && (!peer.podSelector || selectorMatches(peer.podSelector, other.pod.meta.labels));
}

export function ruleMatches(index: PolicyIndex, policy: Policy, rule: Rule, other: Endpoint, subject: PodRec, proto: ConnProtocol, port: number | undefined, dstPod: PodRec | undefined): boolean {
  if (rule.ports.length && !rule.ports.some((s) => portMatches(s, proto, port, dstPod))) return false;
  return rule.peers.length === 0 || rule.peers.some((p) => peerMatches(index, policy, p, other, subject));
}

/** One side: does `subject`'s policy for `direction` let it talk to `other`? */
export function evaluateSide(index: PolicyIndex, direction: Direction, subject: PodRec, other: Endpoint, proto: ConnProtocol, port?: number): SideVerdict {
  const policies = index.selecting(subject, direction);
  if (other.kind === 'pod' && other.pod === subject) return { direction, subject, allowed: true, policies, exemption: 'same-pod' };
  if (other.kind === 'node' && other.node.meta.name === subject.nodeName) return { direction, subject, allowed: true, policies, exemption: 'own-node' };
  if (!policies.length) return { direction, subject, allowed: true, policies, exemption: 'not-isolated' };
  const dstPod = direction === 'Ingress' ? subject : other.kind === 'pod' ? other.pod : undefined;
  for (const policy of policies) {
    const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
    for (let i = 0; i < rules.length; i++) {
      if (ruleMatches(index, policy, rules[i], other, subject, proto, port, dstPod)) return { direction, subject, allowed: true, policies, allowedBy: { policy, direction, rule: i } };
    }
  }
  return { direction, subject, allowed: false, policies };
}

/** Both sides of a connection from `src` to `dst`. */
export function evaluateConnection(index: PolicyIndex, src: Endpoint, dst: Endpoint, proto: ConnProtocol, port?: number): ConnectionVerdict {
  const v: ConnectionVerdict = { allowed: true };
  if (src.kind === 'pod') {
    v.egress = evaluateSide(index, 'Egress', src.pod, dst, proto, port);
    if (!v.egress.allowed) v.allowed = false;
  }
  if (dst.kind === 'pod') {
    v.ingress = evaluateSide(index, 'Ingress', dst.pod, src, proto, port);
    if (!v.ingress.allowed) v.allowed = false;
  }
  return v;
}

// ── words ─────────────────────────────────────────────────────────────────

const policyName = (p: Policy) => (p.kind === 'CiliumNetworkPolicy' ? `CiliumNetworkPolicy ${p.id}` : p.id);

export function peerText(p: Peer): string {
  if (p.entity !== undefined) return p.entity === 'none' ? 'nothing' : `entity ${p.entity}`;
  if (p.ipBlock) return `ipBlock ${p.ipBlock.cidr.toString()}${p.ipBlock.except.length ? ` except ${p.ipBlock.except.map(String).join(', ')}` : ''}`;
  const parts: string[] = [];
  if (p.namespaceSelector) parts.push(`namespaceSelector ${selectorText(p.namespaceSelector)}`);
  if (p.podSelector) parts.push(`podSelector ${selectorText(p.podSelector)}`);
  return parts.join(' AND ');
}

const selectorText = (s: Parameters<typeof formatSelector>[0]) => (formatSelector(s) === '<none>' ? '{}' : formatSelector(s));

export function portSpecText(s: PortSpec): string {
  if (s.port === undefined) return `${s.protocol} (any port)`;
  return `${s.protocol}/${s.port}${s.endPort !== undefined ? `-${s.endPort}` : ''}`;
}

/** `default/allow-web ingress rule 1 (from podSelector app=client; ports TCP/80)`. */
export function ruleText(ref: RuleRef): string {
  const rules = ref.direction === 'Ingress' ? ref.policy.ingress : ref.policy.egress;
  const r = rules[ref.rule];
  const dir = ref.direction === 'Ingress' ? 'from' : 'to';
  const peers = r.peers.length ? r.peers.map(peerText).join(' OR ') : `any ${ref.direction === 'Ingress' ? 'source' : 'destination'}`;
  const ports = r.ports.length ? r.ports.map(portSpecText).join(', ') : 'all';
  const l7 = r.http ? `; HTTP ${r.http.map((h) => `${h.method ?? '*'} ${h.path ?? '/*'}`).join(', ')} via proxy` : '';
  return `${policyName(ref.policy)} ${ref.direction.toLowerCase()} rule ${ref.rule + 1} (${dir} ${peers}; ports ${ports}${l7})`;
}

export function endpointText(e: Endpoint): string {
  if (e.kind === 'node') return `${e.name} (${formatIpv4(e.ip)})`;
  return e.name;
}

/** The sentence a trace hop and `policy explain` print for one side. */
export function sideText(side: SideVerdict, other: Endpoint, proto: ConnProtocol, port?: number): string {
  const who = podKey(side.subject);
  const prep = side.direction === 'Ingress' ? 'from' : 'to';
  switch (side.exemption) {
    case 'same-pod':
      return `${who} talks to itself: never isolated`;
    case 'own-node':
      return `${side.direction.toLowerCase()} ${prep} ${endpointText(other)}, ${who}'s own node: always allowed`;
    case 'not-isolated':
      return `no NetworkPolicy selects ${who} for ${side.direction}: not isolated, allowed`;
  }
  const by = side.policies.map(policyName).join(', ');
  if (side.allowedBy) return `${who} is selected by ${by} for ${side.direction}; allowed by ${ruleText(side.allowedBy)}`;
  return `selected by ${by} for ${side.direction}, and no rule allows ${portText(proto, port)} ${prep} ${endpointText(other)}`;
}

/** A one-line summary of a connection verdict. */
export function verdictText(v: ConnectionVerdict, src: Endpoint, dst: Endpoint, proto: ConnProtocol, port?: number): string[] {
  const lines: string[] = [];
  if (v.egress) lines.push(`egress of ${v.egress.subject ? podKey(v.egress.subject) : src.name}: ${sideText(v.egress, dst, proto, port)}`);
  else lines.push(`egress: ${endpointText(src)} is not a pod on the pod network: NetworkPolicy does not apply`);
  if (v.ingress) lines.push(`ingress of ${podKey(v.ingress.subject)}: ${sideText(v.ingress, src, proto, port)}`);
  else lines.push(`ingress: ${endpointText(dst)} is not a pod on the pod network: NetworkPolicy does not apply`);
  return lines;
}

export { isPolicyPod };
