/**
 * Neighbour resolution (the kernel's neigh/ARP layer): the neighbour table first, then an
 * ARP request on the link, answered the way Linux answers it:
 * - a namespace answers for any of its own addresses (arp_ignore=0), with the MAC of the
 *   interface the request arrived on; a bridge port hands the request to its bridge, which
 *   answers for local addresses with the bridge MAC and floods it to its other ports;
 * - an interface with proxy_arp answers for an address it routes out of another interface
 *   (Calico's cali veths answering 169.254.1.1 with ee:ee:ee:ee:ee:ee);
 * - on the node network the owner of the address answers (cni/network.ts arpOnSegment; on
 *   the AWS VPC fabric also for ENI secondary IPs, and the VPC router for the gateway);
 * - a request flooded into weave's Open vSwitch datapath reaches every peer (weaveArp);
 * - NOARP devices (tunl0, WireGuard, cilium_host/cilium_net) need no resolution: L3
 *   devices carry no Ethernet header, NOARP Ethernet devices use their own MAC (arp_constructor).
 */
import { formatIpv4, type Ipv4 } from '../addressing/ipv4';
import { macFor } from '../addressing/mac';
import type { ClusterNetwork } from '../cni/network';
import { weaveArp } from '../cni/weave';
import type { Cluster } from '../model/cluster';
import type { Link, Netns } from '../model/netns';
import { indexOf, isLocalAddress } from './nsIndex';
import { renderNeigh } from './render';
import { lookupRoute } from './routeTable';

export interface NeighborAnswer {
  /** null: an L3 device, no Ethernet header. */
  mac: string | null;
  detail: string;
  /**
   * An ARP request went out on the link. False when the neighbour table already had the entry
   * (a PERMANENT one such as flannel's VTEP entries, a REACHABLE one) or the device needs none
   * (NOARP): nothing is sent, and the trace calls the hop `neigh`, not `arp`.
   */
  arp: boolean;
}

export type NeighborFailure = { fail: string; arp: boolean };

export interface ArpEnv {
  cluster: Cluster;
  network: ClusterNetwork;
}

/** Devices without an Ethernet header. */
export function isL3Device(link: Link): boolean {
  return link.kind === 'ipip' || link.kind === 'wireguard';
}

/** MAC the AWS VPC router answers with for a subnet's gateway (stable per cluster seed). */
export function vpcRouterMac(cluster: Cluster, segment: string): string {
  return macFor(cluster.config.seed, `vpc-router/${segment}`);
}

export function resolveNeighbor(env: ArpEnv, ns: Netns, link: Link, ip: Ipv4): NeighborAnswer | NeighborFailure {
  if (isL3Device(link)) return { mac: null, detail: `${link.name} is a ${link.kind} device (NOARP): no link-layer address`, arp: false };
  if (link.flags.includes('NOARP') || link.kind === 'loopback') return { mac: link.mac, detail: `${link.name} is NOARP: ${formatIpv4(ip)} uses the device's own address ${link.mac}`, arp: false };
  const entry = indexOf(ns).neigh.get(`${link.name}|${ip}`);
  if (entry && entry.mac && entry.state !== 'FAILED' && entry.state !== 'INCOMPLETE') return { mac: entry.mac, detail: `neighbour ${renderNeigh(entry)}${entry.state === 'PERMANENT' ? ' (a static entry: no ARP is sent)' : ''}`, arp: false };
  if (link.kind === 'vxlan') {
    if (link.vxlan?.external) return { mac: link.mac, detail: `${link.name} is external (collect metadata): the tunnel key comes from BPF`, arp: false };
    // nolearning and no l2miss/l3miss handling: an unresolved address stays unresolved.
    return { fail: `no neighbour entry for ${formatIpv4(ip)} on ${link.name} (nolearning VXLAN device: ARP is not answered)`, arp: false };
  }
  const who = arpRequest(env, ns, link, ip);
  if (!who) return { fail: `ARP for ${formatIpv4(ip)} on ${link.name}: no reply (FAILED)`, arp: true };
  return { mac: who.mac, detail: `ARP who-has ${formatIpv4(ip)} on ${link.name}: ${who.mac} (${who.by})`, arp: true };
}

interface ArpReply {
  mac: string;
  by: string;
}

/** Send an ARP request out of `link` and return who answers. */
function arpRequest(env: ArpEnv, ns: Netns, link: Link, ip: Ipv4): ArpReply | undefined {
  const seen = new Set<string>();
  if (link.kind === 'bridge') return floodBridge(env, ns, link, ip, undefined, seen);
  if (link.kind === 'veth' && link.peer) {
    const peerNs = env.network.get(link.peer.netns);
    const peer = peerNs && indexOf(peerNs).link.get(link.peer.name);
    return peerNs && peer ? answer(env, peerNs, peer, ip, seen) : undefined;
  }
  if (link.segment) {
    const seg = env.network.segments.find((s) => s.name === link.segment);
    const cloud = seg?.cloud?.network ?? 'VPC';
    if (seg?.fabric === 'vpc' && ip === seg.gateway) return { mac: vpcRouterMac(env.cluster, seg.name), by: `${cloud} router` };
    const owner = env.network.arpOnSegment(link.segment, ip);
    if (!owner) return undefined;
    const ownerIsNic = env.network.ownerOf(ip)?.netns === owner.netns;
    return { mac: owner.mac, by: `${owner.netns} ${owner.dev}${ownerIsNic ? '' : `, ${seg?.cloud?.provider === 'azure' ? 'a NIC' : 'an ENI'} secondary IP answered by the ${cloud}`}` };
  }
  return undefined;
}

/** A request arriving on `link` in `ns`. */
function answer(env: ArpEnv, ns: Netns, link: Link, ip: Ipv4, seen: Set<string>): ArpReply | undefined {
  const key = `${ns.id}|${link.name}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  if (link.master) {
    const master = indexOf(ns).link.get(link.master);
    if (master?.kind === 'bridge') return floodBridge(env, ns, master, ip, link, seen);
    if (master?.kind === 'openvswitch') return floodDatapath(env, ip);
    return undefined;
  }
  if (isLocalAddress(ns, ip)) return { mac: link.mac, by: `${ns.id} ${link.name}` };
  if (link.proxyArp) {
    const m = lookupRoute(ns, { dst: ip, iif: link.name });
    if (m && m.route.type === 'unicast' && m.route.dev !== link.name) return { mac: link.mac, by: `${ns.id} ${link.name} proxy_arp` };
  }
  return undefined;
}

/** The bridge answers for local addresses and floods the request to its other ports. */
function floodBridge(env: ArpEnv, ns: Netns, bridge: Link, ip: Ipv4, except: Link | undefined, seen: Set<string>): ArpReply | undefined {
  if (except && isLocalAddress(ns, ip)) return { mac: bridge.mac, by: `${ns.id} ${bridge.name}` };
  // Ports to other namespaces (pods) answer before the flood leaves the node through a datapath port.
  const ports = [...(indexOf(ns).ports.get(bridge.name) ?? [])].sort((a, b) => Number(a.peer?.netns === ns.id) - Number(b.peer?.netns === ns.id));
  for (const port of ports) {
    if (port === except || !port.peer) continue;
    const peerNs = port.peer.netns === ns.id ? ns : env.network.get(port.peer.netns);
    const peer = peerNs && indexOf(peerNs).link.get(port.peer.name);
    if (!peerNs || !peer) continue;
    const got = answer(env, peerNs, peer, ip, seen);
    if (got) return { mac: got.mac, by: `${got.by}, flooded by ${bridge.name}` };
  }
  return undefined;
}

/** Weave's datapath floods ARP to every peer; the owner of the address answers. */
function floodDatapath(env: ArpEnv, ip: Ipv4): ArpReply | undefined {
  const got = weaveArp(env.cluster, ip);
  if (!got) return undefined;
  return { mac: got.mac, by: `${got.label} on ${got.node}, flooded over the weave datapath` };
}
