/**
 * The Linux networking state the CNI plugins build: network namespaces with links,
 * addresses, routes, neighbour and FDB entries, sysctls, and the L2 segments that join
 * physical NICs. It is the only input of the forwarder (dataplane/forward.ts): a packet's
 * path falls out of these tables, never out of a list of canned paths.
 *
 * The names and column meanings follow iproute2 (`ip -d link`, `ip route`, `ip neigh`,
 * `bridge fdb`), so the shell can print them without translation.
 */
import type { Cidr, Ipv4 } from '../addressing/ipv4';
import type { NetnsId } from './ids';

export type LinkKind =
  | 'loopback'
  | 'ether' // a physical NIC (node eth0, an AWS ENI)
  | 'veth'
  | 'bridge'
  | 'vxlan'
  | 'ipip' // tunl0
  | 'wireguard'
  | 'dummy'
  | 'openvswitch'; // weave's `datapath`

export interface IfAddr {
  ip: Ipv4;
  prefix: number;
  scope: 'global' | 'link' | 'host';
  broadcast?: Ipv4;
}

export interface VxlanInfo {
  vni: number;
  /** UDP destination port (8472 Linux kernel default / flannel; 4789 IANA / calico). */
  port: number;
  local: Ipv4;
  /** Underlying device (`dev eth0`). */
  dev: string;
  learning: boolean;
  /** Cilium/weave external-control (collect metadata) devices: the remote comes from a BPF map / flow, not the FDB. */
  external?: boolean;
}

export interface WireguardPeer {
  /** A short stable stand-in for the peer's public key. */
  publicKey: string;
  endpoint: { ip: Ipv4; port: number };
  allowedIps: Cidr[];
}

export interface Link {
  ifindex: number;
  name: string;
  kind: LinkKind;
  mtu: number;
  mac: string;
  /** `UP`, `DOWN`, `UNKNOWN` as `ip link` prints `state`. */
  operState: 'UP' | 'DOWN' | 'UNKNOWN';
  /** `<BROADCAST,MULTICAST,UP,LOWER_UP>` flags, in iproute2's order. */
  flags: string[];
  addrs: IfAddr[];
  /** Bridge this link is a port of (`master cni0`). */
  master?: string;
  /** veth peer (`eth0@if7`); `netnsId` of the peer's namespace, shown as `link-netnsid`. */
  peer?: { netns: NetnsId; ifindex: number; name: string };
  /** A physical NIC attached to an L2 segment (the node network). */
  segment?: string;
  /** Extra IPs this NIC owns on its segment without them being configured on it (AWS ENI secondary IPs). */
  secondaryIps?: Ipv4[];
  vxlan?: VxlanInfo;
  ipip?: { local?: Ipv4; remote?: Ipv4 };
  wireguard?: { listenPort: number; peers: WireguardPeer[] };
  /** Per-interface sysctls that change forwarding: proxy_arp, hairpin (bridge port), rp_filter. */
  proxyArp?: boolean;
  hairpin?: boolean;
  /** BPF programs attached at tc ingress (`from-container` on lxc, weave's datapath flows...). */
  tcIngress?: string;
  /** qdisc for `ip link` output. */
  qdisc: string;
  /** `ip -d link` extra line, e.g. `veth`, `bridge stp_state 0 ...`. */
  txqlen?: number;
  /** A `link-netnsid` for veths whose peer lives elsewhere. */
  linkNetnsId?: number;
}

export type RouteType = 'unicast' | 'blackhole' | 'unreachable' | 'local' | 'broadcast';

export interface Route {
  type: RouteType;
  dst: Cidr;
  via?: Ipv4;
  dev?: string;
  /** kernel, boot (omitted by iproute2), static, bird, dhcp, or a number like '80' (Felix). */
  proto?: string;
  scope?: 'link' | 'host' | 'global';
  src?: Ipv4;
  onlink?: boolean;
  metric?: number;
  mtu?: number;
  /** Routing table: 'main' (the default) or 'local'; AWS VPC CNI uses numbered tables. */
  table?: string;
}

export interface Neighbor {
  ip: Ipv4;
  dev: string;
  mac: string | null;
  state: 'PERMANENT' | 'REACHABLE' | 'STALE' | 'NOARP' | 'FAILED' | 'INCOMPLETE';
  router?: boolean;
  /** Written by the plugin with its MAC (Azure CNI's 169.254.1.1 entry), not learned by ARP, though not PERMANENT. */
  programmed?: boolean;
}

export interface FdbEntry {
  mac: string;
  dev: string;
  /** VXLAN remote VTEP (`dst 192.168.1.12`). */
  dst?: Ipv4;
  /** `master cni0` for bridge-learned entries, `self` for entries on the device itself. */
  master?: string;
  self?: boolean;
  permanent: boolean;
  vlan?: number;
}

/** Policy routing rule (`ip rule`), used by AWS VPC CNI for secondary ENIs. */
export interface RouteRule {
  priority: number;
  from?: Cidr;
  to?: Cidr;
  iif?: string;
  /** `fwmark 0x100000/0x100000` (Calico's WireGuard rule); mask defaults to 0xffffffff. */
  fwmark?: { value: number; mask: number };
  /** `not` prefix: the selector is inverted (`not from all fwmark 0x100000/0x100000 lookup 1`). */
  not?: boolean;
  table: string;
}

export interface Netns {
  id: NetnsId;
  kind: 'node' | 'pod' | 'external';
  /** The Kubernetes node the namespace lives on. */
  node?: string;
  pod?: { namespace: string; name: string };
  hostname: string;
  links: Link[];
  /** All routes, every table; `table` undefined means main. Local-table routes are derived from addresses. */
  routes: Route[];
  rules: RouteRule[];
  neighbors: Neighbor[];
  fdb: FdbEntry[];
  /** `net.ipv4.ip_forward`, `net.bridge.bridge-nf-call-iptables`, ... as strings, like `sysctl -a`. */
  sysctl: Record<string, string>;
}

/** An L2 broadcast domain joining physical NICs: the node network, or an AWS VPC subnet. */
export interface Segment {
  name: string;
  cidr: Cidr;
  /**
   * `l2`: a switch; ARP is answered by whoever owns the IP.
   * `vpc`: a cloud network fabric (AWS VPC, GCP VPC, Azure VNet); it delivers by IP through its
   * route table (`FabricRoute`s: ENI secondary IPs, alias IP ranges, overlay ranges), not by MAC.
   */
  fabric: 'l2' | 'vpc';
  /** The cloud whose fabric this is, for `fabric: 'vpc'` (names the fabric in traces: "VPC fabric", "VNet fabric"). */
  cloud?: CloudFabric;
  gateway: Ipv4;
  /** Every (netns, link name) attached. */
  ports: { netns: NetnsId; dev: string }[];
}

/**
 * The cloud network a `vpc` segment stands for. `network` is what the cloud calls it (AWS and
 * GCP: VPC, Azure: VNet), `router` what answers for the subnet gateway.
 */
export interface CloudFabric {
  provider: 'aws' | 'gcp' | 'azure';
  network: 'VPC' | 'VNet';
}

/**
 * One entry of a cloud fabric's route table: where the cloud sends a packet for `dst`. Derived
 * from the cluster (CniPlugin.fabricRoutes: the node's pod IPs or pod range), never canned text.
 *
 * - `secondary-ip`: an address the NIC holds besides its primary (AWS ENI secondary IPs, Azure
 *   NIC IP configurations): the fabric answers ARP for it with the NIC's MAC.
 * - `alias-range`: a GCP alias IP range of the VM's NIC (a VPC-native node's pod range).
 * - `overlay-range`: a range the cloud routes to the node for the cluster only (Azure CNI
 *   Overlay): other VMs in the network have no route to it.
 */
export interface FabricRoute {
  dst: Cidr;
  /** The Kubernetes node (VM) the fabric delivers to, and its NIC. */
  node: string;
  dev: string;
  kind: 'secondary-ip' | 'alias-range' | 'overlay-range';
  /** `vpc`: any VM of the network reaches `dst`; `cluster`: only the cluster's nodes (overlay). */
  reach: 'vpc' | 'cluster';
}

/** How a trace names a fabric route: `alias range 10.4.1.0/24`, `secondary IP 10.1.0.45`. */
export function fabricRouteLabel(r: FabricRoute): string {
  const what = r.kind === 'secondary-ip' ? 'secondary IP' : r.kind === 'alias-range' ? 'alias range' : 'overlay range';
  return `${what} ${r.kind === 'secondary-ip' && r.dst.prefix === 32 ? r.dst.toString().slice(0, -3) : r.dst.toString()}`;
}

/**
 * The cluster's network as the forwarder sees it. Namespaces are materialized on demand
 * (a 5,000-node cluster has 150,000 pod namespaces and 25 million peer routes if built
 * eagerly), and cached, so the same id always returns the same object.
 */
export interface Network {
  get(id: NetnsId): Netns | undefined;
  /** All namespace ids in a stable order: node namespaces in node order, then pods. */
  ids(): NetnsId[];
  segments: Segment[];
  /** Find which namespace owns an address (node IP, pod IP, ENI secondary IP); used for ARP and for `trace TO=IP`. */
  ownerOf(ip: Ipv4): { netns: NetnsId; dev: string } | undefined;
  /**
   * The cloud fabric's route for `ip` (longest prefix), when the node network is a cloud fabric
   * and the cloud routes `ip` to a node; `from` says who sends (a cluster node, or another VM):
   * `cluster`-reach routes (overlays) are not offered to VMs outside the cluster.
   */
  fabricRoute?(ip: Ipv4, from?: 'cluster' | 'vpc'): FabricRoute | undefined;
}

/** Name of the node network segment (every node's eth0 is a port of it). */
export const NODE_SEGMENT = 'nodes';
