/**
 * The world outside the cluster as network namespaces (Netns kind 'external'), derived from
 * the cluster like the nodes' and pods' namespaces are, and forwarded through by the same
 * forwarder (routes, ARP, segments):
 *
 *   ext/client 198.51.100.10 ─┐                      ┌─ nodes segment (192.168.1.0/24): every node's eth0
 *   ext/internet .254 ────────┤ internet segment     │
 *     (8.8.8.8, 1.1.1.1, …)   └─ eth1 ext/gateway eth0 ─┘ 192.168.1.1 (the nodes' default route)
 *                                        eth2 203.0.113.254
 *                                          │ cloud-lb segment (203.0.113.0/24)
 *                              ext/lb/<ns>/<svc> 203.0.113.x (one per LoadBalancer Service)
 *
 * - ext/gateway routes between the three segments; on AWS (VPC fabric) it is the VPC router
 *   and answers ARP for the subnet gateway with the VPC router's MAC. It does not NAT: nodes'
 *   (and, masqueraded, pods') traffic reaches the Internet with the node address.
 * - ext/internet stands for the rest of the Internet: it owns a few public hosts (8.8.8.8, …) on
 *   `lo`, routes the cluster's ranges back to the gateway, and answers the rest unreachable.
 * - ext/lb/… is a cloud load balancer (external/cloudLb.ts); the DNAT to a node's NodePort is
 *   its netfilter hook (external/hooks.ts).
 * - ext/vm is a machine beside the nodes on the node network (`.5`, or the first free of `.2`–`.9`):
 *   on a cloud fabric, a VM in the same VPC/VNet. It routes everything but its subnet via the
 *   gateway, so it reaches a pod IP exactly where the fabric routes pod IPs to VMs (AWS secondary
 *   IPs, GKE alias ranges, Azure CNI) and not where only the cluster knows them (overlays, BGP).
 */
import { Cidr, type Ipv4 } from '../addressing/ipv4';
import { macFor } from '../addressing/mac';
import type { Cluster } from '../model/cluster';
import { netnsId, type NetnsId } from '../model/ids';
import { NODE_SEGMENT, type Link, type Netns, type Route, type Segment } from '../model/netns';
import { addr, loopback, UP_FLAGS } from '../cni/common';
import {
  CLIENT_IP,
  CLOUD_LB_CIDR,
  CLOUD_LB_SEGMENT,
  GATEWAY_CLOUD_IP,
  GATEWAY_INTERNET_IP,
  INTERNET_CIDR,
  INTERNET_ROUTER_IP,
  INTERNET_SEGMENT,
  PRIVATE_RANGES,
  PUBLIC_HOSTS,
} from './addresses';
import { cloudLoadBalancers } from './cloudLb';
import { pluginFor } from '../cni/registry';

/**
 * The VM's address: `.5` of the node network, or the first of `.2`–`.9` no node or pod holds
 * (nodes are numbered from `.10`, cni/../addressing/ipam/nodeIps.ts; VPC pod IPs are anywhere).
 */
function vmAddress(cluster: Cluster): Ipv4 {
  const net = cluster.config.nodeNetwork;
  const taken = new Set<Ipv4>(cluster.nodes.map((n) => n.ip));
  for (const p of cluster.pods.values()) if (p.attachment && net.contains(p.attachment.ip)) taken.add(p.attachment.ip);
  // Azure: .1–.3 are the subnet's gateway and DNS, and each azure-cni NIC holds its pods' addresses
  // from creation: the VM takes the first address no NIC holds, as a VM created after the nodes does.
  const first = pluginFor(cluster.config.cni).nodeAddressing?.firstHost;
  if (first !== undefined) {
    for (const n of cluster.nodes) for (const a of n.secondaryIps ?? []) taken.add(a);
    for (let k = first; k < net.size - 1; k++) if (!taken.has(net.nth(k))) return net.nth(k);
  }
  for (const k of [5, 2, 3, 4, 6, 7, 8, 9]) if (k < net.size - 1 && !taken.has(net.nth(k))) return net.nth(k);
  return net.nth(Math.min(5, net.size - 2));
}

export const GATEWAY_NETNS = netnsId.external('gateway');
export const CLIENT_NETNS = netnsId.external('client');
export const INTERNET_NETNS = netnsId.external('internet');
export const VM_NETNS = netnsId.external('vm');

export interface Station {
  netns: NetnsId;
  dev: string;
  mac: string;
}

export interface ExternalWorld {
  /** Built lazily per id. */
  get(id: NetnsId): Netns | undefined;
  /** Every external namespace id: client, internet, gateway, then the load balancers. */
  ids(): NetnsId[];
  /** The internet and cloud-lb segments (the gateway's port on the node segment is `gatewayPort`). */
  segments: Segment[];
  /** The gateway router's NIC on the node network. */
  gatewayPort: Station;
  /** Who owns an address outside the cluster (for `ownerOf`). */
  ownerOf(ip: Ipv4): { netns: NetnsId; dev: string } | undefined;
  /** External stations on the node network besides the gateway: the VM (ext/vm). */
  nodeNetworkStations: Station[];
  /** The station on one of the external segments (or the node network's VM) that answers ARP for `ip`. */
  arpOn(segment: string, ip: Ipv4): Station | undefined;
  /** The station on one of the external segments with this MAC. */
  portByMac(segment: string, mac: string): Station | undefined;
}

/** MAC the AWS VPC router answers with (the formula of dataplane/neighbor.ts vpcRouterMac). */
const vpcRouterMac = (cluster: Cluster, segment: string) => macFor(cluster.config.seed, `vpc-router/${segment}`);

function nic(name: string, ifindex: number, mac: string, ip: Ipv4, prefix: number, segment: string, mtu = 1500): Link {
  return { ifindex, name, kind: 'ether', mtu, mac, operState: 'UP', flags: UP_FLAGS, addrs: [addr(ip, prefix)], segment, qdisc: 'mq', txqlen: 1000 };
}

const connected = (c: Cidr, dev: string, src: Ipv4): Route => ({ type: 'unicast', dst: c, dev, proto: 'kernel', scope: 'link', src });
const DEFAULT = new Cidr(0, 0);

function netns(id: NetnsId, hostname: string, links: Link[], routes: Route[], forward: boolean): Netns {
  return { id, kind: 'external', hostname, links: [loopback(), ...links], routes, rules: [], neighbors: [], fdb: [], sysctl: { 'net.ipv4.ip_forward': forward ? '1' : '0' } };
}

const cache = new WeakMap<Cluster, ExternalWorld>();

export function externalWorld(cluster: Cluster): ExternalWorld {
  let w = cache.get(cluster);
  if (!w) {
    w = buildWorld(cluster);
    cache.set(cluster, w);
  }
  return w;
}

function buildWorld(cluster: Cluster): ExternalWorld {
  const seed = cluster.config.seed;
  const nodeNet = cluster.config.nodeNetwork;
  const gatewayIp = nodeNet.nth(1);
  const mac = (id: NetnsId, dev: string) => macFor(seed, `${id}/${dev}`);
  const vpc = pluginFor(cluster.config.cni).fabric === 'vpc';
  const vmIp = vmAddress(cluster);
  const gatewayMac = vpc ? vpcRouterMac(cluster, NODE_SEGMENT) : mac(GATEWAY_NETNS, 'eth0');

  const lbs = () => cloudLoadBalancers(cluster);

  const builders = new Map<NetnsId, () => Netns>([
    [
      CLIENT_NETNS,
      () => netns(CLIENT_NETNS, 'client', [nic('eth0', 2, mac(CLIENT_NETNS, 'eth0'), CLIENT_IP, INTERNET_CIDR.prefix, INTERNET_SEGMENT)], [
        { type: 'unicast', dst: DEFAULT, via: GATEWAY_INTERNET_IP, dev: 'eth0', proto: 'static' },
        connected(INTERNET_CIDR, 'eth0', CLIENT_IP),
      ], false),
    ],
    [
      INTERNET_NETNS,
      () => {
        const ns = netns(INTERNET_NETNS, 'internet', [nic('eth0', 2, mac(INTERNET_NETNS, 'eth0'), INTERNET_ROUTER_IP, INTERNET_CIDR.prefix, INTERNET_SEGMENT)], [
          // Nothing else on the Internet answers: an unknown public address is unreachable.
          { type: 'unreachable', dst: DEFAULT },
          connected(INTERNET_CIDR, 'eth0', INTERNET_ROUTER_IP),
          // The cluster's side: the node network and the load balancers are behind the gateway.
          { type: 'unicast', dst: nodeNet, via: GATEWAY_INTERNET_IP, dev: 'eth0', proto: 'static' },
          { type: 'unicast', dst: CLOUD_LB_CIDR, via: GATEWAY_INTERNET_IP, dev: 'eth0', proto: 'static' },
        ], true);
        // The public hosts live on lo (each a /32), so the router delivers their traffic to itself.
        ns.links[0] = { ...ns.links[0], addrs: [...ns.links[0].addrs, ...PUBLIC_HOSTS.map((ip) => ({ ip, prefix: 32, scope: 'global' as const }))] };
        // Private ranges are not routed on the Internet (the node network's longer route still wins).
        for (const c of PRIVATE_RANGES) ns.routes.push({ type: 'unreachable', dst: c });
        return ns;
      },
    ],
    [
      VM_NETNS,
      () => netns(VM_NETNS, 'vm', [nic('eth0', 2, mac(VM_NETNS, 'eth0'), vmIp, nodeNet.prefix, NODE_SEGMENT, cluster.config.nodeMtu)], [
        { type: 'unicast', dst: DEFAULT, via: gatewayIp, dev: 'eth0', proto: 'static' },
        connected(nodeNet, 'eth0', vmIp),
      ], false),
    ],
    [
      GATEWAY_NETNS,
      () =>
        netns(
          GATEWAY_NETNS,
          'gateway',
          [
            nic('eth0', 2, gatewayMac, gatewayIp, nodeNet.prefix, NODE_SEGMENT, cluster.config.nodeMtu),
            nic('eth1', 3, mac(GATEWAY_NETNS, 'eth1'), GATEWAY_INTERNET_IP, INTERNET_CIDR.prefix, INTERNET_SEGMENT),
            nic('eth2', 4, mac(GATEWAY_NETNS, 'eth2'), GATEWAY_CLOUD_IP, CLOUD_LB_CIDR.prefix, CLOUD_LB_SEGMENT),
          ],
          [
            { type: 'unicast', dst: DEFAULT, via: INTERNET_ROUTER_IP, dev: 'eth1', proto: 'static' },
            connected(INTERNET_CIDR, 'eth1', GATEWAY_INTERNET_IP),
            connected(nodeNet, 'eth0', gatewayIp),
            connected(CLOUD_LB_CIDR, 'eth2', GATEWAY_CLOUD_IP),
          ],
          true,
        ),
    ],
  ]);
  const lbBuilder = (id: NetnsId): (() => Netns) | undefined => {
    const lb = lbs().find((l) => l.netns === id);
    if (!lb) return undefined;
    return () =>
      netns(id, lb.name, [nic('eth0', 2, mac(id, 'eth0'), lb.ip, CLOUD_LB_CIDR.prefix, CLOUD_LB_SEGMENT)], [
        { type: 'unicast', dst: DEFAULT, via: GATEWAY_CLOUD_IP, dev: 'eth0', proto: 'static' },
        connected(CLOUD_LB_CIDR, 'eth0', lb.ip),
      ], true);
  };

  const built = new Map<NetnsId, Netns>();
  const get = (id: NetnsId): Netns | undefined => {
    const hit = built.get(id);
    if (hit) return hit;
    const make = builders.get(id) ?? lbBuilder(id);
    if (!make) return undefined;
    const ns = make();
    built.set(id, ns);
    return ns;
  };

  const station = (id: NetnsId, dev: string): Station | undefined => {
    const ns = get(id);
    const link = ns?.links.find((l) => l.name === dev);
    return link ? { netns: id, dev, mac: link.mac } : undefined;
  };

  // Who is on which external segment, by address.
  let stations: Map<string, Map<Ipv4, { netns: NetnsId; dev: string }>> | undefined;
  const index = () => {
    if (!stations) {
      const internet = new Map<Ipv4, { netns: NetnsId; dev: string }>([
        [CLIENT_IP, { netns: CLIENT_NETNS, dev: 'eth0' }],
        [INTERNET_ROUTER_IP, { netns: INTERNET_NETNS, dev: 'eth0' }],
        [GATEWAY_INTERNET_IP, { netns: GATEWAY_NETNS, dev: 'eth1' }],
      ]);
      const cloud = new Map<Ipv4, { netns: NetnsId; dev: string }>([[GATEWAY_CLOUD_IP, { netns: GATEWAY_NETNS, dev: 'eth2' }]]);
      for (const lb of lbs()) if (!cloud.has(lb.ip)) cloud.set(lb.ip, { netns: lb.netns, dev: 'eth0' });
      stations = new Map([
        [INTERNET_SEGMENT, internet],
        [CLOUD_LB_SEGMENT, cloud],
        [NODE_SEGMENT, new Map([[vmIp, { netns: VM_NETNS, dev: 'eth0' }]])],
      ]);
    }
    return stations;
  };
  const publicHosts = new Set(PUBLIC_HOSTS);

  const segments: Segment[] = [
    { name: INTERNET_SEGMENT, cidr: INTERNET_CIDR, fabric: 'l2', gateway: GATEWAY_INTERNET_IP, ports: [{ netns: CLIENT_NETNS, dev: 'eth0' }, { netns: INTERNET_NETNS, dev: 'eth0' }, { netns: GATEWAY_NETNS, dev: 'eth1' }] },
    {
      name: CLOUD_LB_SEGMENT,
      cidr: CLOUD_LB_CIDR,
      fabric: 'l2',
      gateway: GATEWAY_CLOUD_IP,
      get ports() {
        return [{ netns: GATEWAY_NETNS, dev: 'eth2' }, ...lbs().map((lb) => ({ netns: lb.netns, dev: 'eth0' }))];
      },
    },
  ];

  return {
    get,
    ids: () => [CLIENT_NETNS, INTERNET_NETNS, GATEWAY_NETNS, VM_NETNS, ...lbs().map((lb) => lb.netns)],
    segments,
    gatewayPort: { netns: GATEWAY_NETNS, dev: 'eth0', mac: gatewayMac },
    nodeNetworkStations: [{ netns: VM_NETNS, dev: 'eth0', mac: mac(VM_NETNS, 'eth0') }],
    ownerOf(ip) {
      if (ip === gatewayIp) return { netns: GATEWAY_NETNS, dev: 'eth0' };
      if (publicHosts.has(ip)) return { netns: INTERNET_NETNS, dev: 'lo' };
      for (const seg of index().values()) {
        const s = seg.get(ip);
        if (s) return s;
      }
      return undefined;
    },
    arpOn(segment, ip) {
      const s = index().get(segment)?.get(ip);
      return s ? station(s.netns, s.dev) : undefined;
    },
    portByMac(segment, mac) {
      const seg = segment === NODE_SEGMENT ? { ports: [{ netns: VM_NETNS, dev: 'eth0' }] } : segments.find((s) => s.name === segment);
      for (const p of seg?.ports ?? []) {
        const s = station(p.netns as NetnsId, p.dev);
        if (s && s.mac === mac) return s;
      }
      return undefined;
    },
  };
}
