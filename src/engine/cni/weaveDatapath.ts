/**
 * Weave's fast datapath: the ODP flows the weave router installs in the `datapath` Open vSwitch
 * bridge, modelled as the programs `weave_odp` (vethwe-datapath ingress) and `weave_odp_vxlan`
 * (vxlan-6784 ingress) that weave.ts names in `Link.tcIngress`. Kept apart from the plugin so
 * drawing a cluster does not load them; the forwarder reaches them via dataplane/bpfPrograms.ts.
 */
import { formatIpv4 } from '../addressing/ipv4';
import type { BpfContext, BpfProgram, BpfVerdict } from './plugin';
import { WEAVE_VXLAN_PORT, weaveIndexOf, weaveShortId, type WeaveStation } from './weave';

function flowTarget(ctx: BpfContext): { st: WeaveStation; key: string } | undefined {
  const idx = weaveIndexOf(ctx.cluster);
  const mac = ctx.packet.eth?.dst;
  const byMac = mac ? idx.byMac.get(mac) : undefined;
  if (byMac) return { st: byMac, key: `EthernetFlowKey{dst: ${mac}}` };
  const byIp = idx.byIp.get(ctx.packet.ip.dst);
  // Approximation: a frame without a resolved MAC is matched by the owner of its destination IP.
  if (byIp) return { st: byIp, key: `EthernetFlowKey{dst: ${byIp.mac}} (owner of ${formatIpv4(ctx.packet.ip.dst)})` };
  return undefined;
}

/** ODP flow lookup for frames the weave bridge hands to the datapath. */
export const weaveOdp: BpfProgram = (ctx): BpfVerdict => {
  const t = flowTarget(ctx);
  if (!t) return { kind: 'drop', detail: `no ODP flow for ${ctx.packet.eth?.dst ?? formatIpv4(ctx.packet.ip.dst)}: upcall to the weave router, no peer has it` };
  if (t.st.nodeName === ctx.netns.node) {
    return { kind: 'redirect', dev: 'vethwe-datapath', detail: `${t.key} → ${t.st.label} is local: OutputAction{vport: 1} back to the bridge` };
  }
  const idx = weaveIndexOf(ctx.cluster);
  const here = idx.nodeByName.get(ctx.netns.node ?? '');
  const peer = idx.nodeByName.get(t.st.nodeName);
  if (!here || !peer) return { kind: 'drop', detail: `${t.key}: peer ${t.st.nodeName} unknown` };
  // fastdp tunnel id: source peer short id << 12 | destination peer short id (router/fastdp.go).
  const vni = (weaveShortId(here.meta.name) << 12) | weaveShortId(peer.meta.name);
  return {
    kind: 'redirect',
    dev: `vxlan-${WEAVE_VXLAN_PORT}`,
    tunnelRemote: peer.ip,
    tunnelVni: vni,
    detail: `ODP flow ${t.key} → ${t.st.label} on peer ${peer.meta.name}: SetTunnelAction{id: ${vni.toString(16).padStart(16, '0')}, ipv4src: ${formatIpv4(here.ip)}, ipv4dst: ${formatIpv4(peer.ip)}}, OutputAction{vport: 2} (vxlan-${WEAVE_VXLAN_PORT})`,
  };
};

/** ODP flow lookup for frames arriving from a peer over vxlan-6784. */
export const weaveOdpVxlan: BpfProgram = (ctx): BpfVerdict => {
  const t = flowTarget(ctx);
  if (t && t.st.nodeName === ctx.netns.node) {
    return { kind: 'redirect', dev: 'vethwe-datapath', detail: `ODP flow TunnelFlowKey, ${t.key} → ${t.st.label}: OutputAction{vport: 1} (vethwe-datapath)` };
  }
  return { kind: 'drop', detail: `no ODP flow for ${ctx.packet.eth?.dst ?? formatIpv4(ctx.packet.ip.dst)} from the tunnel: not a local pod` };
};

/** The programs by the names weave.ts attaches them under. */
export const weavePrograms: Record<string, BpfProgram> = { weave_odp: weaveOdp, weave_odp_vxlan: weaveOdpVxlan };
