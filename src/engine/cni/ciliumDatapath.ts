/**
 * Cilium's datapath: the eBPF programs the agent loads on the devices cilium.ts plumbs
 * (`Link.tcIngress` names them) and the ipcache they look addresses up in. Kept apart from the
 * plugin so drawing a cluster does not load them; only the forwarder (via
 * dataplane/bpfPrograms.ts) and the tests import this module.
 *
 * Invariant: programs read only the cluster; the ipcache index is built once per Cluster
 * object (WeakMap) so a program run is O(1) in cluster size.
 */
import { Cidr, formatIpv4, type Ipv4 } from '../addressing/ipv4';
import type { Cluster, NodeRec, PodRec } from '../model/cluster';
import type { PacketRepr } from '../model/packet';
import { ciliumIdentity, ciliumNodeCidr, ciliumRouterIp, IDENTITY } from './cilium';
import { CILIUM_WG } from './wireguard';
import type { BpfContext, BpfProgram, BpfVerdict } from './plugin';

/** What the ipcache (cilium_ipcache LPM map) returns for an address. */
export interface IpcacheEntry {
  /** The matching key, as `cilium map get cilium_ipcache` prints it. */
  prefix: string;
  identity: number;
  /** Node IP of the tunnel endpoint; absent for local and world entries. */
  tunnelEndpoint?: Ipv4;
  /** The pod behind a /32 endpoint entry. */
  pod?: PodRec;
  /** The node the address lives on. */
  node?: NodeRec;
}

interface Ipcache {
  pods: Map<Ipv4, PodRec>;
  nodeByName: Map<string, NodeRec>;
  nodeByIp: Map<Ipv4, NodeRec>;
  routerIps: Map<Ipv4, NodeRec>;
  /** Node pool CIDRs grouped by prefix length (longest first), keyed by network address. */
  cidrs: { prefix: number; byNet: Map<number, NodeRec> }[];
}

const ipcacheByCluster = new WeakMap<Cluster, Ipcache>();

function ipcacheOf(cluster: Cluster): Ipcache {
  let c = ipcacheByCluster.get(cluster);
  if (c) return c;
  const pods = new Map<Ipv4, PodRec>();
  for (const p of cluster.pods.values()) if (p.attachment && !p.hostNetwork) pods.set(p.attachment.ip, p);
  const nodeByName = new Map<string, NodeRec>();
  const nodeByIp = new Map<Ipv4, NodeRec>();
  const routerIps = new Map<Ipv4, NodeRec>();
  const byPrefix = new Map<number, Map<number, NodeRec>>();
  for (const n of cluster.nodes) {
    nodeByName.set(n.meta.name, n);
    nodeByIp.set(n.ip, n);
    const r = ciliumRouterIp(n);
    if (r !== null) routerIps.set(r, n);
    const cidr = ciliumNodeCidr(n);
    if (cidr) {
      let m = byPrefix.get(cidr.prefix);
      if (!m) byPrefix.set(cidr.prefix, (m = new Map()));
      m.set(cidr.network, n);
    }
  }
  const cidrs = [...byPrefix.entries()].sort((a, b) => b[0] - a[0]).map(([prefix, byNet]) => ({ prefix, byNet }));
  c = { pods, nodeByName, nodeByIp, routerIps, cidrs };
  ipcacheByCluster.set(cluster, c);
  return c;
}

/**
 * Longest-prefix lookup in the ipcache as the agent on `here` fills it: /32 entries for
 * endpoints, node IPs and router IPs, one entry per node pool CIDR (tunnel mode maps it to
 * the node), and `0.0.0.0/0` → world. `tunnel` decides whether remote entries carry a
 * tunnel endpoint (in native routing they do not).
 */
export function ipcacheLookup(cluster: Cluster, here: string, ip: Ipv4, tunnel: boolean): IpcacheEntry {
  const c = ipcacheOf(cluster);
  const remote = (n: NodeRec) => (tunnel && n.meta.name !== here ? { tunnelEndpoint: n.ip } : {});
  const pod = c.pods.get(ip);
  if (pod) {
    const node = c.nodeByName.get(pod.nodeName);
    return { prefix: `${formatIpv4(ip)}/32`, identity: ciliumIdentity(pod), pod, node, ...(node ? remote(node) : {}) };
  }
  // Node IPs are reached over the node network without encapsulation (we leave out the
  // tunnel endpoint Cilium records for them); router IPs live in the pool and tunnel.
  const nodeIp = c.nodeByIp.get(ip);
  if (nodeIp) return { prefix: `${formatIpv4(ip)}/32`, identity: nodeIp.meta.name === here ? IDENTITY.host : IDENTITY.remoteNode, node: nodeIp };
  const routerOf = c.routerIps.get(ip);
  if (routerOf) {
    const identity = routerOf.meta.name === here ? IDENTITY.host : IDENTITY.remoteNode;
    return { prefix: `${formatIpv4(ip)}/32`, identity, node: routerOf, ...remote(routerOf) };
  }
  for (const { prefix, byNet } of c.cidrs) {
    const net = new Cidr(ip, prefix).network;
    const n = byNet.get(net);
    if (n) return { prefix: `${formatIpv4(net)}/${prefix}`, identity: IDENTITY.world, node: n, ...remote(n) };
  }
  return { prefix: '0.0.0.0/0', identity: IDENTITY.world };
}

function describe(e: IpcacheEntry): string {
  const who = e.pod ? ` (${e.pod.meta.namespace ?? 'default'}/${e.pod.meta.name})` : '';
  const tun = e.tunnelEndpoint !== undefined ? `, tunnel endpoint ${formatIpv4(e.tunnelEndpoint)}` : '';
  return `ipcache ${e.prefix} → identity ${e.identity}${who}${tun}`;
}

/** Endpoint-map wording for a local pod: `lxcmap 10.0.1.23 → endpoint 1234 (lxc…)`. */
function endpointText(pod: PodRec): string {
  const a = pod.attachment!;
  const id = a.endpointId !== undefined ? `endpoint ${a.endpointId}` : 'endpoint';
  return `lxcmap ${formatIpv4(a.ip)} → ${id} (${pod.meta.namespace ?? 'default'}/${pod.meta.name}, ${a.hostIfname})`;
}

/**
 * Local delivery (bpf/lib/l3.h ipv4_local_delivery → ipv4_l3): TTL minus one, source MAC the
 * endpoint's host-side MAC (its "router" MAC), destination MAC the pod's eth0.
 */
function deliverLocal(pod: PodRec, packet: PacketRepr, decTtl: boolean): PacketRepr {
  const a = pod.attachment!;
  return { ...packet, eth: { src: a.hostMac, dst: a.podMac }, ip: decTtl ? { ...packet.ip, ttl: packet.ip.ttl - 1 } : packet.ip };
}

function srcIdentity(ctx: BpfContext, tunnel: boolean): number {
  return ipcacheLookup(ctx.cluster, ctx.netns.node ?? '', ctx.packet.ip.src, tunnel).identity;
}

/**
 * With WireGuard, traffic to a remote endpoint is redirected into cilium_wg0
 * (bpf/lib/wireguard.h wg_maybe_redirect_to_encrypt). Approximation: since 1.14 tunnel mode
 * encrypts the VXLAN packet (VXLAN inside WireGuard); we send the inner packet to the
 * WireGuard device directly, which is what native routing does.
 */
function wireguardVerdict(ctx: BpfContext, e: IpcacheEntry): BpfVerdict | undefined {
  if (!ctx.cluster.config.wireguard || !e.pod || !e.node || e.node.meta.name === ctx.netns.node) return undefined;
  return { kind: 'redirect', dev: CILIUM_WG.dev, detail: `${describe(e)}: encrypt, WireGuard peer ${formatIpv4(e.node.ip)}:${CILIUM_WG.port}` };
}

export function ciliumPrograms(tunnel: boolean): Record<string, BpfProgram> {
  const isLocal = (ctx: BpfContext, e: IpcacheEntry) => e.pod !== undefined && e.pod.nodeName === ctx.netns.node;

  /** A remote endpoint's packet: through WireGuard when enabled, else into the tunnel when the ipcache names its node; undefined leaves it to the host stack. */
  const toRemoteNode = (ctx: BpfContext, e: IpcacheEntry): BpfVerdict | undefined => {
    const wg = wireguardVerdict(ctx, e);
    if (wg) return wg;
    if (e.tunnelEndpoint === undefined) return undefined;
    const vni = srcIdentity(ctx, tunnel);
    return { kind: 'redirect', dev: 'cilium_vxlan', tunnelRemote: e.tunnelEndpoint, tunnelVni: vni, detail: `${describe(e)}: encapsulate (VNI = source identity ${vni})` };
  };

  /** bpf_lxc.c cil_from_container: tc ingress of the host-side veth, i.e. what the pod sends. */
  const fromContainer: BpfProgram = (ctx): BpfVerdict => {
    const here = ctx.netns.node ?? '';
    const e = ipcacheLookup(ctx.cluster, here, ctx.packet.ip.dst, tunnel);
    if (e.pod && isLocal(ctx, e)) {
      return { kind: 'redirect-peer', dev: e.pod.attachment!.hostIfname, detail: `${describe(e)}; ${endpointText(e.pod)}: local delivery`, packet: deliverLocal(e.pod, ctx.packet, true) };
    }
    const remote = toRemoteNode(ctx, e);
    if (remote) return remote;
    const why = e.pod ? 'native routing: no tunnel endpoint' : e.identity === IDENTITY.world ? 'world' : 'host/remote node';
    return { kind: 'pass', detail: `${describe(e)} (${why}): to the host stack` };
  };

  /** bpf_overlay.c cil_from_overlay: tc ingress of cilium_vxlan, after decapsulation. */
  const fromOverlay: BpfProgram = (ctx): BpfVerdict => {
    const e = ipcacheLookup(ctx.cluster, ctx.netns.node ?? '', ctx.packet.ip.dst, tunnel);
    if (e.pod && isLocal(ctx, e)) {
      return { kind: 'redirect-peer', dev: e.pod.attachment!.hostIfname, detail: `${endpointText(e.pod)}: deliver from tunnel`, packet: deliverLocal(e.pod, ctx.packet, true) };
    }
    return { kind: 'pass', detail: `${describe(e)}: not a local endpoint, to the host stack` };
  };

  /** bpf_host.c cil_from_netdev on eth0: native-routed traffic for local endpoints; tunnel packets go on to the stack for decapsulation. */
  const fromNetdev: BpfProgram = (ctx): BpfVerdict => {
    if (ctx.packet.encap.length > 0) return { kind: 'pass', detail: `${ctx.packet.encap[0].type} packet for this node: to the stack (cilium_vxlan decapsulates)` };
    const e = ipcacheLookup(ctx.cluster, ctx.netns.node ?? '', ctx.packet.ip.dst, tunnel);
    if (e.pod && isLocal(ctx, e)) {
      return { kind: 'redirect-peer', dev: e.pod.attachment!.hostIfname, detail: `${describe(e)}; ${endpointText(e.pod)}: local delivery`, packet: deliverLocal(e.pod, ctx.packet, true) };
    }
    return { kind: 'pass', detail: `${describe(e)}: to the host stack` };
  };

  /**
   * bpf_host.c cil_from_host, attached at cilium_host's tc *egress*. Our forwarder runs
   * ingress programs only, and a frame sent out of cilium_host arrives on its peer
   * cilium_net, so the program sits on cilium_net's ingress. The host stack already routed
   * (and decremented TTL), so local delivery only rewrites MACs.
   */
  const fromHost: BpfProgram = (ctx): BpfVerdict => {
    const here = ctx.netns.node ?? '';
    const e = ipcacheLookup(ctx.cluster, here, ctx.packet.ip.dst, tunnel);
    if (e.pod && isLocal(ctx, e)) {
      return { kind: 'redirect', dev: e.pod.attachment!.hostIfname, detail: `${describe(e)}; ${endpointText(e.pod)}: local delivery`, packet: deliverLocal(e.pod, ctx.packet, false) };
    }
    const remote = toRemoteNode(ctx, e);
    if (remote) return remote;
    if (e.node?.meta.name === here && !e.pod) {
      return { kind: 'drop', detail: `${describe(e)}: no local endpoint has ${formatIpv4(ctx.packet.ip.dst)} (DROP_UNROUTABLE)` };
    }
    return { kind: 'pass', detail: `${describe(e)}: to the host stack` };
  };

  return { cil_from_container: fromContainer, cil_from_overlay: fromOverlay, cil_from_netdev: fromNetdev, cil_from_host: fromHost };
}
