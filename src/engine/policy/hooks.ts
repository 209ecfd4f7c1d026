/**
 * NetworkPolicy as netfilter hooks, where each CNI's agent really enforces it (see
 * enforcement.ts). Cilium enforces in its eBPF programs instead (ciliumBpf.ts).
 *
 * - calico-felix: node FORWARD; in-interface cali* → `cali-fw-<iface>` (the pod's egress),
 *   out-interface cali* → `cali-tw-<iface>` (the pod's ingress). Host → local pod traffic goes
 *   through OUTPUT, which Felix does not police (felix/rules/static.go: "We don't currently
 *   police host -> endpoint according to the endpoint's ingress policy").
 * - aws-network-policy-agent: node FORWARD on the pod's eni* host veth (its tc programs).
 * - azure-npm: node FORWARD on the pod's azv* host veth (AZURE-NPM chains).
 * - weave-npc: node FORWARD on the `weave` bridge, bridged frames included (br_netfilter,
 *   physdev match): WEAVE-NPC-EGRESS for the sending pod, WEAVE-NPC for the receiving one
 *   (weaveNpc.ts renders the chains).
 * - not enforced (flannel, aws-vpc without the controller): a note on the receiving side when a
 *   policy selects either end, saying plainly that nothing enforces it.
 *
 * Replies (the trace's reply leg) belong to an allowed connection: conntrack ESTABLISHED,
 * accepted before any policy (cali-tw/fw's first rule, weave-npc's first FORWARD rule).
 * An allowed packet that a policy had to decide gets a hop naming the rule (a rewrite with the
 * packet unchanged, so the forwarder records it).
 */
import type { NetfilterHook, NetfilterProvider, NfContext, NfVerdict } from '../dataplane/netfilter';
import type { PodRec } from '../model/cluster';
import type { PacketRepr } from '../model/packet';
import { registerIptablesContributor } from '../kubeproxy/contributors';
import { calicoEndpointChain, calicoIptablesContributor } from './calicoIptables';
import { enforcementOf } from './enforcement';
import { evaluateSide, sideText, type SideVerdict } from './evaluate';
import { connOf, podOfHostIf } from './packetConn';
import { isPolicyPod, policyIndexOf, type Endpoint, type PolicyIndex } from './policyIndex';
import { WEAVE_BRIDGE, weaveHostIf, weaveNpcDropRule, weaveNpcIptablesContributor, weaveNpcWhere } from './weaveNpc';

const ACCEPT: NfVerdict = { kind: 'accept' };

interface Check {
  side: SideVerdict;
  text: string;
  chain: string;
}

function check(idx: PolicyIndex, dir: 'Ingress' | 'Egress', pod: PodRec, other: Endpoint, p: PacketRepr, chain: (pod: PodRec, dir: 'Ingress' | 'Egress') => string): Check {
  const { proto, port } = connOf(p);
  const side = evaluateSide(idx, dir, pod, other, proto, port);
  return { side, text: sideText(side, other, proto, port), chain: chain(pod, dir) };
}

/** Run the egress check of `from` and the ingress check of `to` (either may be absent), in that order. */
function decide(ctx: NfContext, from: PodRec | undefined, to: PodRec | undefined, chain: (pod: PodRec, dir: 'Ingress' | 'Egress') => string, verdictWord: string | ((dir: 'Ingress' | 'Egress') => string)): NfVerdict {
  if (ctx.leg === 'reply' || (!from && !to)) return ACCEPT;
  const p = ctx.packet;
  if (p.encap.length) return ACCEPT;
  const idx = policyIndexOf(ctx.cluster);
  if (!idx.policies.length) return ACCEPT;
  const notes: string[] = [];
  for (const [dir, pod, otherIp] of [['Egress', from, p.ip.dst], ['Ingress', to, p.ip.src]] as const) {
    if (!pod) continue;
    const c = check(idx, dir, pod, idx.endpointOfIp(otherIp), p, chain);
    if (!c.side.policies.length) continue;
    if (!c.side.allowed) return { kind: 'drop', detail: `${c.chain}: ${c.text} → ${typeof verdictWord === 'string' ? verdictWord : verdictWord(dir)}` };
    notes.push(`${c.chain}: ${c.text}`);
  }
  return notes.length ? { kind: 'rewrite', packet: p, detail: `${notes.join('; ')} → ACCEPT` } : ACCEPT;
}

/**
 * A FORWARD hook on the node that decides by the pods behind host veths named `prefix…`: the
 * sender's egress where it enters from its veth, the receiver's ingress where it leaves by its.
 */
function hostVethHook(name: string, prefix: string, chain: (pod: PodRec, dir: 'Ingress' | 'Egress') => string, verdictWord: string | ((dir: 'Ingress' | 'Egress') => string)): NetfilterHook {
  return {
    name,
    hooks: ['FORWARD'],
    run(ctx) {
      if (ctx.netns.kind !== 'node') return ACCEPT;
      const node = ctx.netns.node;
      const from = ctx.inDev?.name.startsWith(prefix) ? podOfHostIf(ctx.cluster, node, ctx.inDev.name) : undefined;
      const to = ctx.outDev?.name.startsWith(prefix) ? podOfHostIf(ctx.cluster, node, ctx.outDev.name) : undefined;
      return decide(ctx, from, to, chain, verdictWord);
    },
  };
}

/** Felix's workload interfaces: `cali…` with Calico's CNI, `azv…` in policy-only mode beside Azure CNI (FELIX_INTERFACEPREFIX). */
const calicoHook = (prefix: string) => hostVethHook('calico-felix', prefix, (pod, dir) => calicoEndpointChain(pod, dir), 'DROP ("Drop if no policies passed packet")');

/** Azure NPM: FORWARD → AZURE-NPM → AZURE-NPM-INGRESS/EGRESS, denied traffic ends in the *-DROPS chains (npm/util/const.go). */
const azureNpmHook = hostVethHook(
  'azure-npm',
  'azv',
  (_pod, dir) => `AZURE-NPM-${dir === 'Ingress' ? 'INGRESS' : 'EGRESS'}`,
  (dir) => `DROP (AZURE-NPM-${dir === 'Ingress' ? 'INGRESS' : 'EGRESS'}-DROPS)`,
);

/** The VPC CNI's network policy agent: eBPF on the pod's eni* host veth. */
const awsHook = hostVethHook('aws-network-policy-agent', 'eni', (pod, dir) => `eBPF ${dir === 'Egress' ? 'tc ingress' : 'tc egress'} on ${pod.attachment!.hostIfname} (${dir.toLowerCase()} policy map)`, 'DENY');

/** The pod a pod-namespace hook runs in (the not-enforced note). */
function podOfNetns(ctx: NfContext): PodRec | undefined {
  const p = ctx.netns.pod;
  return p ? ctx.cluster.pods.get(`${p.namespace}/${p.name}`) : undefined;
}

/**
 * weave-npc: weave's pod traffic crosses the `weave` bridge; br_netfilter runs FORWARD on the
 * bridged frame (physdev in/out = the pods' vethwepl ports), and routed traffic in or out of
 * the bridge device hits the same FORWARD jumps. The sending node checks the sender's egress
 * (frames from the peer port vethwe-bridge RETURN), the receiving node the receiver's ingress
 * (frames out of the peer port are ACCEPTed), so each side is decided where its pod lives.
 */
const weaveHook: NetfilterHook = {
  name: 'weave-npc',
  hooks: ['FORWARD'],
  run(ctx) {
    if (ctx.netns.kind !== 'node') return ACCEPT;
    const viaIn = ctx.inDev?.name === WEAVE_BRIDGE;
    const viaOut = ctx.outDev?.name === WEAVE_BRIDGE;
    if (!viaIn && !viaOut) return ACCEPT;
    const node = ctx.netns.node;
    const idx = policyIndexOf(ctx.cluster);
    const localPod = (ip: number) => {
      const ep = idx.endpointOfIp(ip);
      return ep.kind === 'pod' && ep.pod.nodeName === node && isPolicyPod(ep.pod) ? ep.pod : undefined;
    };
    const from = viaIn ? localPod(ctx.packet.ip.src) : undefined;
    const to = viaOut ? localPod(ctx.packet.ip.dst) : undefined;
    const bridged = ctx.bridged === true;
    const chain = (pod: PodRec, dir: 'Ingress' | 'Egress') => weaveNpcWhere(dir, weaveHostIf(pod), bridged);
    return decide(ctx, from, to, chain, (dir) => `DROP (${weaveNpcDropRule(dir)})`);
  },
};

function notEnforcedHook(description: string): NetfilterHook {
  return {
    name: 'network-policy (not enforced)',
    hooks: ['INPUT'],
    run(ctx) {
      if (ctx.leg === 'reply' || ctx.netns.kind !== 'pod') return ACCEPT;
      const dst = podOfNetns(ctx);
      if (!dst) return ACCEPT;
      const idx = policyIndexOf(ctx.cluster);
      const p = ctx.packet;
      const { proto, port } = connOf(p);
      const srcEp = idx.endpointOfIp(p.ip.src);
      const sides: SideVerdict[] = [];
      if (srcEp.kind === 'pod') sides.push(evaluateSide(idx, 'Egress', srcEp.pod, idx.podEndpoint(dst), proto, port));
      sides.push(evaluateSide(idx, 'Ingress', dst, srcEp, proto, port));
      const selected = sides.filter((s) => s.policies.length);
      if (!selected.length) return ACCEPT;
      const words = selected.map((s) => `${sideText(s, s.direction === 'Ingress' ? srcEp : idx.podEndpoint(dst), proto, port)}${s.allowed ? '' : ' (would be dropped)'}`);
      return { kind: 'rewrite', packet: p, detail: `NOT ENFORCED: ${words.join('; ')}. But ${description}.` };
    },
  };
}

export const networkPolicyProvider: NetfilterProvider = (cluster) => {
  let any = false;
  for (const o of cluster.objects.values()) if (o.kind === 'NetworkPolicy' || o.kind === 'CiliumNetworkPolicy') any = true;
  if (!any) return [];
  const e = enforcementOf(cluster);
  switch (e.enforcer) {
    case 'calico-felix':
      return [calicoHook(cluster.config.cni.startsWith('azure') ? 'azv' : 'cali')];
    case 'azure-npm':
      return [azureNpmHook];
    case 'aws-network-policy-agent':
      return [awsHook];
    case 'weave-npc':
      return [weaveHook];
    case 'cilium-ebpf':
      return [];
    default:
      return [notEnforcedHook(e.description)];
  }
};

// Felix's chains show in `iptables-save -t filter` on Calico nodes.
registerIptablesContributor(calicoIptablesContributor);
// weave-npc's WEAVE-NPC chains on weave nodes.
registerIptablesContributor(weaveNpcIptablesContributor);
