/**
 * Cilium's policy enforcement inside its eBPF programs (bpf/bpf_lxc.c): the sender's egress
 * policy runs in `cil_from_container` at its lxc device before the packet is forwarded, the
 * receiver's ingress policy runs in the endpoint's policy tail call just before delivery
 * (ipv4_local_delivery → tail_ipv4_policy), whichever program delivers it (from_container for a
 * local peer, from_overlay / from_netdev for a remote one, from_host from the node). A denied
 * packet is dropped with DROP_POLICY ("Policy denied"), as `cilium monitor` and Hubble report.
 *
 * Stateful: the connection-tracking map lets replies of allowed connections through (CT_REPLY).
 * The programs see only the packet, so a reply is recognised as Cilium's CT lookup would find
 * it: TCP without a bare SYN, ICMP other than an echo request, and UDP answering from the port
 * an allowed request went to (the reverse flow is allowed). Traffic from the local host is
 * allowed (agent default --allow-localhost=auto).
 */
import type { BpfContext, BpfProgram, BpfVerdict } from '../cni/plugin';
import type { PacketRepr } from '../model/packet';
import type { PodRec } from '../model/cluster';
import { evaluateConnection, evaluateSide, ruleText, sideText, type RuleRef } from './evaluate';
import { proxyPortOf } from './l7http';
import { connOf, podOfHostIf } from './packetConn';
import { policyIndexOf, type PolicyIndex } from './policyIndex';

const EPHEMERAL = [32768, 60999] as const;

function isReply(idx: PolicyIndex, p: PacketRepr): boolean {
  const l4 = p.l4;
  if (l4.proto === 'icmp') return l4.type !== 8;
  if (l4.proto === 'tcp') return l4.flags !== 'S';
  if (l4.dstPort < EPHEMERAL[0] || l4.dstPort > EPHEMERAL[1] || (l4.srcPort >= EPHEMERAL[0] && l4.srcPort <= EPHEMERAL[1])) return false;
  return evaluateConnection(idx, idx.endpointOfIp(p.ip.dst), idx.endpointOfIp(p.ip.src), 'UDP', l4.srcPort).allowed;
}

const endpointName = (pod: PodRec) => `endpoint ${pod.attachment?.endpointId ?? '?'} (${pod.meta.namespace ?? 'default'}/${pod.meta.name})`;

/** The destination endpoint a verdict delivers to, when it is a local lxc. */
function deliveredTo(ctx: BpfContext, v: BpfVerdict): PodRec | undefined {
  if (v.kind !== 'redirect' && v.kind !== 'redirect-peer') return undefined;
  if (!v.dev.startsWith('lxc')) return undefined;
  return podOfHostIf(ctx.cluster, ctx.netns.node, v.dev);
}

function enforce(name: string, ctx: BpfContext, v: BpfVerdict): BpfVerdict {
  if (v.kind === 'drop') return v;
  const idx = policyIndexOf(ctx.cluster);
  if (!idx.policies.length) return v;
  const p = ctx.packet;
  if (p.encap.length) return v;
  if (isReply(idx, p)) return v;
  const { proto, port } = connOf(p);
  const notes: string[] = [];
  if (name === 'cil_from_container') {
    const src = podOfHostIf(ctx.cluster, ctx.netns.node, ctx.link.name);
    if (src) {
      const dst = idx.endpointOfIp(p.ip.dst);
      const side = evaluateSide(idx, 'Egress', src, dst, proto, port);
      if (!side.allowed) return { kind: 'drop', detail: `Policy denied (DROP_POLICY) by egress policy of ${endpointName(src)}: ${sideText(side, dst, proto, port)}`, policies: side.policies.map((x) => x.id) };
      if (side.allowedBy) notes.push(`egress policy of ${endpointName(src)}: allowed by ${ruleText(side.allowedBy)}${proxyNote(side.allowedBy, src, port)}`);
    }
  }
  const dstPod = deliveredTo(ctx, v);
  if (dstPod) {
    const srcEp = idx.endpointOfIp(p.ip.src);
    const side = evaluateSide(idx, 'Ingress', dstPod, srcEp, proto, port);
    if (!side.allowed) return { kind: 'drop', detail: `Policy denied (DROP_POLICY) by ingress policy of ${endpointName(dstPod)}: ${sideText(side, srcEp, proto, port)}`, policies: side.policies.map((x) => x.id) };
    if (side.allowedBy) {
      notes.push(`ingress policy of ${endpointName(dstPod)}: allowed by ${ruleText(side.allowedBy)}${proxyNote(side.allowedBy, dstPod, port)}`);
    }
  }
  return notes.length ? { ...v, detail: `${v.detail}; policy: ${notes.join('; ')}` } : v;
}

/**
 * An allowing rule with L7 rules: the program redirects the connection to the node's proxy
 * (Envoy) on the redirect's proxy port (Hubble: to-proxy; `cilium monitor`: "to-proxy").
 */
function proxyNote(ref: RuleRef, subject: PodRec, port: number | undefined): string {
  const rule = (ref.direction === 'Ingress' ? ref.policy.ingress : ref.policy.egress)[ref.rule];
  if (!rule.http || port === undefined) return '';
  return ` (L7 rules: redirected to the proxy, Envoy on to-proxy port ${proxyPortOf(subject.attachment?.endpointId, ref.direction, port)})`;
}

/** Wrap Cilium's programs so each applies the endpoints' policy to what it would forward. */
export function withEndpointPolicy(programs: Record<string, BpfProgram>): Record<string, BpfProgram> {
  const out: Record<string, BpfProgram> = {};
  for (const [name, prog] of Object.entries(programs)) out[name] = (ctx) => enforce(name, ctx, prog(ctx));
  return out;
}
