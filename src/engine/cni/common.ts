/**
 * Building blocks every plugin shares: the loopback device, the node's NIC on the node
 * network with its connected and default routes, a pod's eth0 joined to its host end, and
 * the sysctls a kubeadm node runs with. Plugin modules add what is specific to them.
 */
import { Cidr, type Ipv4 } from '../addressing/ipv4';
import type { NodeRec, PodRec } from '../model/cluster';
import { netnsId } from '../model/ids';
import { NODE_SEGMENT, type IfAddr, type Link, type Netns, type Route } from '../model/netns';
import type { PlumbContext } from './plugin';

export const UP_FLAGS = ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'];

export function loopback(): Link {
  return {
    ifindex: 1,
    name: 'lo',
    kind: 'loopback',
    mtu: 65536,
    mac: '00:00:00:00:00:00',
    operState: 'UNKNOWN',
    flags: ['LOOPBACK', 'UP', 'LOWER_UP'],
    addrs: [{ ip: 0x7f000001, prefix: 8, scope: 'host' }],
    qdisc: 'noqueue',
  };
}

export function addr(ip: Ipv4, prefix: number, scope: IfAddr['scope'] = 'global'): IfAddr {
  const c = new Cidr(ip, prefix);
  return { ip, prefix, scope, ...(prefix < 31 ? { broadcast: c.broadcast } : {}) };
}

/** A kubeadm node's sysctls that matter to forwarding (kubeadm preflight requires ip_forward=1 and bridge-nf-call-iptables=1). */
export function nodeSysctls(): Record<string, string> {
  return {
    'net.ipv4.ip_forward': '1',
    'net.bridge.bridge-nf-call-iptables': '1',
    'net.bridge.bridge-nf-call-ip6tables': '1',
    'net.ipv4.conf.all.rp_filter': '0',
    'net.ipv4.conf.all.proxy_arp': '0',
  };
}

/**
 * A node namespace with `lo` (1) and `eth0` (2) on the node network, the connected route,
 * and the default route via the node network's gateway (`.1`).
 */
export function baseNodeNetns(ctx: PlumbContext, node: NodeRec): Netns {
  const id = netnsId.node(node.meta.name);
  const net = ctx.config.nodeNetwork;
  const eth0: Link = {
    ifindex: 2,
    name: 'eth0',
    kind: 'ether',
    mtu: ctx.config.nodeMtu,
    mac: node.macs.eth0 ?? ctx.mac(id, 'eth0'),
    operState: 'UP',
    flags: UP_FLAGS,
    addrs: [addr(node.ip, net.prefix)],
    segment: NODE_SEGMENT,
    qdisc: 'mq',
    txqlen: 1000,
  };
  const routes: Route[] = [
    { type: 'unicast', dst: new Cidr(0, 0), via: net.nth(1), dev: 'eth0', proto: 'static' },
    { type: 'unicast', dst: net, dev: 'eth0', proto: 'kernel', scope: 'link', src: node.ip },
  ];
  return {
    id,
    kind: 'node',
    node: node.meta.name,
    hostname: node.meta.name,
    links: [loopback(), eth0],
    routes,
    rules: [],
    neighbors: [],
    fdb: [],
    sysctl: nodeSysctls(),
  };
}

/** The host end of a pod's veth pair, for the node namespace. */
export function hostVeth(pod: PodRec, extra: Partial<Link> = {}): Link {
  const a = pod.attachment!;
  return {
    ifindex: a.hostIfindex,
    name: a.hostIfname,
    kind: 'veth',
    mtu: a.mtu,
    mac: a.hostMac,
    operState: 'UP',
    flags: UP_FLAGS,
    addrs: [],
    peer: { netns: netnsId.pod(pod.meta.namespace ?? 'default', pod.meta.name), ifindex: a.podIfindex, name: 'eth0' },
    qdisc: 'noqueue',
    ...extra,
  };
}

/** A pod namespace with `lo` and `eth0` (the veth peer of the host end), address and the given routes. */
export function basePodNetns(pod: PodRec, routes: Route[], neighbors: Netns['neighbors'] = []): Netns {
  const a = pod.attachment!;
  const ns = pod.meta.namespace ?? 'default';
  const eth0: Link = {
    ifindex: a.podIfindex,
    name: 'eth0',
    kind: 'veth',
    mtu: a.mtu,
    mac: a.podMac,
    operState: 'UP',
    flags: UP_FLAGS,
    addrs: [addr(a.ip, a.prefix)],
    peer: { netns: netnsId.node(pod.nodeName), ifindex: a.hostIfindex, name: a.hostIfname },
    linkNetnsId: 0,
    qdisc: 'noqueue',
  };
  return {
    id: netnsId.pod(ns, pod.meta.name),
    kind: 'pod',
    node: pod.nodeName,
    pod: { namespace: ns, name: pod.meta.name },
    hostname: pod.hostname ?? pod.meta.name,
    links: [loopback(), eth0],
    routes,
    rules: [],
    neighbors,
    fdb: [],
    sysctl: { 'net.ipv4.ip_forward': '1' },
  };
}

/** Pods on a node that sit on the pod network (have a veth), in creation order. */
export function podNetworkPods(ctx: PlumbContext, node: string): PodRec[] {
  return ctx.podsOn(node).filter((p) => !p.hostNetwork && p.attachment);
}

/**
 * Sorts routes the way `ip route` lists one table: by destination address, then prefix
 * length (the kernel walks its FIB trie in key order). Routes of other tables keep their
 * relative order after the main table. Sorts in place and returns the array.
 */
export function sortRoutesKernelOrder(routes: Route[]): Route[] {
  const rank = (r: Route) => (r.table === undefined || r.table === 'main' ? 0 : 1);
  return routes.sort((a, b) => rank(a) - rank(b) || a.dst.network - b.dst.network || a.dst.prefix - b.dst.prefix);
}

/**
 * A value derived once per cluster object (e.g. every node's VTEP MAC), so building one
 * node's namespace on a 5,000-node cluster does not redo per-node hashing for every peer.
 * The cache is keyed by the cluster object, so a changed cluster recomputes.
 */
export function perCluster<T extends object>(cache: WeakMap<object, T>, cluster: object, build: () => T): T {
  let v = cache.get(cluster);
  if (!v) {
    v = build();
    cache.set(cluster, v);
  }
  return v;
}
