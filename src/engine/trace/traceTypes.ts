/**
 * What a trace returns: hops in order, each saying where the packet is (node, network
 * namespace, device), what happened there and why (the route, FDB entry or rule used),
 * and the packet as it is at that point. The JSON shape is the CLI's `--json` contract.
 */
import type { DnsMessageView, PacketRepr } from '../model/packet';

export type HopAction =
  | 'send' // the sending socket emits the packet
  | 'route' // a routing decision (the `detail` names the route line)
  | 'arp' // neighbour resolution by an ARP request on the link
  | 'neigh' // neighbour resolution from the table (a PERMANENT or cached entry, a NOARP device): nothing sent
  | 'xmit' // leaves a device
  | 'veth' // crosses a veth pair
  | 'bridge' // bridge forwarding (FDB lookup)
  | 'encap'
  | 'decap'
  | 'wire' // crosses the node network
  | 'bpf' // an eBPF program decided (cilium, weave flows)
  | 'netfilter' // an iptables/nftables/IPVS hook matched
  | 'icmp-error' // the hop generated an ICMP error
  | 'deliver'
  | 'drop';

export interface EncapView {
  type: 'vxlan' | 'ipip' | 'wireguard' | 'geneve';
  src: string;
  dst: string;
  dstPort?: number;
  vni?: number;
}

/** The packet as the JSON output and the UI show it. */
export interface PacketView {
  src: string;
  dst: string;
  proto: 'icmp' | 'tcp' | 'udp';
  srcPort?: number;
  dstPort?: number;
  ttl: number;
  /** Bytes on the wire at this hop (outer IP length + Ethernet when on a link). */
  size: number;
  encap?: EncapView;
}

/**
 * What a netfilter hook or an eBPF program decided at a hop, as data (lesson checks and the
 * predictions read these, never `detail`). Present on `netfilter` hops and on `bpf` drops.
 */
export interface HopDecision {
  /** The netfilter hook point (PREROUTING … POSTROUTING), the tc program's name, or `mtu` (a frame too big, dropped silently). */
  hook: string;
  /** Who decided: the netfilter provider (`kube-proxy/iptables`, `calico-felix`, …) or `tc`. */
  by: string;
  verdict: 'drop' | 'rewrite';
  /** The destination before and after, when the hook translated it (`IP` or `IP:port`). */
  dnat?: { from: string; to: string };
  /** The source before and after, when the hook translated it. */
  snat?: { from: string; to: string };
  /** Chains the decision walked (iptables `KUBE-SERVICES → KUBE-SVC-… → KUBE-SEP-…`, nft chains), outermost first. */
  chains?: string[];
  /** NetworkPolicies (`namespace/name`) that decided a policy verdict. */
  policies?: string[];
}

export interface TraceHop {
  node: string | null;
  netns: string;
  device: string;
  action: HopAction;
  detail: string;
  packet: PacketView;
  /** A netfilter/eBPF decision's facts (additive; absent on other hops). */
  decision?: HopDecision;
  /** The full packet (all layers), for the inspector; omitted from `--json`. */
  repr?: PacketRepr;
  /**
   * On a `wire` hop across a cloud fabric (AWS VPC, GCP VPC, Azure VNet): the fabric route that
   * delivered the packet — `{network: 'VPC', route: '10.4.1.0/24', kind: 'alias-range', node: 'gke-…-2', dev: 'eth0'}`.
   * Part of the `--json` form.
   */
  fabric?: FabricHop;
}

/** The cloud fabric's route a packet took (model/netns.ts FabricRoute, as text). */
export interface FabricHop {
  network: 'VPC' | 'VNet';
  /** The route's destination: a CIDR (`10.4.1.0/24`, `192.168.1.201/32`). */
  route: string;
  kind: 'secondary-ip' | 'alias-range' | 'overlay-range';
  /** The node the fabric delivered to, and its NIC. */
  node: string;
  dev: string;
}

export type Verdict = 'delivered' | 'dropped' | 'unreachable';

export interface TraceLeg {
  verdict: Verdict;
  reason?: string;
  /**
   * What the verdict alone would hide: on a delivered request, that NetworkPolicies select an
   * end but the CNI does not enforce them ("NetworkPolicy deny-web selects web-1 but flannel
   * does not enforce NetworkPolicy"). Shown after the verdict by the CLI and the app.
   */
  note?: string;
  hops: TraceHop[];
}

export interface TraceResult extends TraceLeg {
  reply?: TraceLeg;
}

export interface TraceRequest {
  /** `[ns/]pod`, `node/NAME`. */
  from: string;
  /** `[ns/]pod`, `node/NAME` or an IPv4 address. */
  to: string;
  proto: 'icmp' | 'tcp' | 'udp';
  port?: number;
  /** ICMP/UDP/TCP payload size in bytes (ping -s); default 56 for ICMP. */
  size?: number;
  /** Payload size of the reply (a DNS answer is larger than its question); default: the request's. */
  replySize?: number;
  /** The DNS message the request carries, and the one its reply carries (the inspector shows them). */
  dns?: DnsMessageView;
  replyDns?: DnsMessageView;
  /** Set the Don't Fragment bit (ping -M do). Linux sets DF on TCP and on ping by default (PMTU discovery). */
  df?: boolean;
  ttl?: number;
  /**
   * TCP/UDP source port; absent: the first ephemeral port for this request (a hash of it). The
   * shell gives each further connection of a session a new one, as connect() does.
   */
  srcPort?: number;
}
