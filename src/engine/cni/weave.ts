/**
 * Weave Net (weave-kube + the weave-net CNI plugin) with the fast datapath: every pod sits on
 * one flat L2 network, the IP allocation range (10.32.0.0/12 by default), bridged on each
 * node by the `weave` Linux bridge, which hands non-local frames to the Open vSwitch kernel
 * datapath (`datapath`) over the `vethwe-bridge`/`vethwe-datapath` pair; ODP flows the
 * weave router installs send them over VXLAN (`vxlan-6784`, UDP 6784) to the peer node.
 *
 * Node (as `ip link` shows it on a weave node, e.g. networkop/tkng content/cni/weave.md):
 *   datapath (openvswitch), weave (bridge, holds the node's bridge IP /12), vethwe-datapath@vethwe-bridge
 *   (master datapath), vethwe-bridge@vethwe-datapath (master weave), vxlan-6784 (master datapath),
 *   one `vethwepl<container id[:7]>` per pod (master weave), all at MTU 1376 (WEAVE_MTU default).
 * Route: `10.32.0.0/12 dev weave proto kernel scope link src <bridge IP>`.
 * Pod: eth0 `<ip>/12`, `default via <bridge IP> dev eth0`,
 *   `10.32.0.0/12 dev eth0 proto kernel scope link src <ip>` (plugin/net/cni.go setupRoutes).
 *
 * Modelling of the ODP flows (weaveDatapath.ts; an approximation, documented in README.md): the `weave_odp`
 * program on vethwe-datapath's ingress maps a destination MAC (or, when the frame has none,
 * the destination IP) to the peer node holding that pod and redirects to vxlan-6784 with the
 * node as tunnel remote; `weave_odp_vxlan` on vxlan-6784 outputs arriving frames to
 * vethwe-datapath. The bridge FDB is shown converged (every remote pod MAC learned on
 * vethwe-bridge). ARP between pods crosses the ODP flood; the forwarder answers it for the
 * owner of a pod IP (see `weaveArp`). Sleeve (the UDP 6784 fallback) and encryption are not modelled.
 */
import { Cidr, type Ipv4 } from '../addressing/ipv4';
import type { Cluster, NodeRec, PodRec } from '../model/cluster';
import type { FdbEntry, Link, Route } from '../model/netns';
import { macFor } from '../addressing/mac';
import { fnv32a } from '../util/hash';
import { addr, baseNodeNetns, basePodNetns, hostVeth, perCluster, podNetworkPods, sortRoutesKernelOrder, UP_FLAGS } from './common';
import type { CniPlugin, PlumbContext } from './plugin';

/** WEAVE_MTU default (weave docs "Configuring the MTU"; observed on vethwe-* and pod eth0). */
export const WEAVE_MTU = 1376;
/** Fast datapath VXLAN port: the weave control port 6783 + 1 (vport name `vxlan-6784`). */
export const WEAVE_VXLAN_PORT = 6784;
/** ODP vxlan vports are created at the maximum MTU. */
const VXLAN_VPORT_MTU = 65535;

const IF = { datapath: 3, weave: 4, vethweDatapath: 5, vethweBridge: 6, vxlan: 7 } as const;

const STANDARD_CNI_BINARIES = ['bandwidth', 'bridge', 'dhcp', 'dummy', 'firewall', 'host-device', 'host-local', 'ipvlan', 'loopback', 'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tap', 'tuning', 'vlan', 'vrf'];
/** weave-kube's launch.sh copies its plugin as weave-plugin-<version> and links weave-net and weave-ipam to it. */
const WEAVE_VERSION = '2.8.1';

/**
 * Host end of a pod's veth: `vethwepl` + the first 7 characters of the sandbox container id
 * (net/attach.go: vethwe + "pl" + id truncated to fit IFNAMSIZ-1 = 15; observed names such
 * as vethwepl551c56d and vethwepl6be12f5).
 */
export function weaveHostIfname(containerId: string): string {
  return 'vethwepl' + containerId.slice(0, 7);
}

type WeaveNode = NodeRec & { bridgeIp?: Ipv4 };

/**
 * The `weave` bridge's address: weave allocates it from the node's share of the range
 * ("weave:expose", plugin/net/cni.go). Read from the node record (`bridgeIp`) when IPAM
 * recorded it; otherwise the start of the node's range (never the range's own network address).
 */
export function weaveBridgeIp(node: NodeRec, range: Cidr): Ipv4 | null {
  const r = (node as WeaveNode).bridgeIp;
  if (typeof r === 'number') return r;
  const own = node.blocks[0] ?? node.podCIDR;
  if (!own) return null;
  return own.network === range.network ? own.nth(1) : own.network;
}

/** A weave peer's 12-bit short id (router/peer.go PeerShortID); stable per node name here. */
export function weaveShortId(node: string): number {
  return fnv32a(`weave-peer:${node}`) & 0xfff;
}

/** A station on the weave network: a pod's eth0, or a node's `weave` bridge (weave expose). */
export interface WeaveStation {
  mac: string;
  nodeName: string;
  /** `default/web-1`, or `weave bridge of node-2`. */
  label: string;
  pod?: PodRec;
}

export interface WeaveIndex {
  nodeByName: Map<string, NodeRec>;
  byMac: Map<string, WeaveStation>;
  byIp: Map<Ipv4, WeaveStation>;
  /** Every node's bridge station (for the converged FDB). */
  bridges: WeaveStation[];
}

const indexCache = new WeakMap<object, WeaveIndex>();

/** The `weave` bridge's MAC, as PlumbContext.mac derives it for the device. */
function weaveBridgeMac(cluster: Cluster, node: string): string {
  return macFor(cluster.config.seed, `node/${node}/weave`);
}

/** Who is where on the weave network, built once per cluster (the plumbing's FDB and the ODP flows both read it). */
export function weaveIndexOf(cluster: Cluster): WeaveIndex {
  return perCluster(indexCache, cluster, () => {
    const byMac = new Map<string, WeaveStation>();
    const byIp = new Map<Ipv4, WeaveStation>();
    const bridges: WeaveStation[] = [];
    for (const n of cluster.nodes) {
      const ip = weaveBridgeIp(n, cluster.config.podCIDR);
      if (ip === null) continue;
      const st: WeaveStation = { mac: weaveBridgeMac(cluster, n.meta.name), nodeName: n.meta.name, label: `weave bridge of ${n.meta.name}` };
      bridges.push(st);
      byMac.set(st.mac, st);
      byIp.set(ip, st);
    }
    for (const p of cluster.pods.values()) {
      if (p.hostNetwork || !p.attachment) continue;
      const st: WeaveStation = { mac: p.attachment.podMac, nodeName: p.nodeName, label: podName(p), pod: p };
      byMac.set(st.mac, st);
      byIp.set(p.attachment.ip, st);
    }
    return { nodeByName: new Map(cluster.nodes.map((n) => [n.meta.name, n] as [string, NodeRec])), byMac, byIp, bridges };
  });
}

/**
 * Who answers ARP on the weave network: the pod that owns the IP, or the node whose `weave`
 * bridge holds it (weave expose), wherever they run (the datapath floods ARP requests to every peer).
 */
export function weaveArp(cluster: Cluster, ip: Ipv4): { mac: string; pod?: PodRec; node: string; label: string } | undefined {
  const st = weaveIndexOf(cluster).byIp.get(ip);
  return st ? { mac: st.mac, ...(st.pod ? { pod: st.pod } : {}), node: st.nodeName, label: st.label } : undefined;
}

function podName(p: PodRec): string {
  return `${p.meta.namespace ?? 'default'}/${p.meta.name}`;
}

function buildNode(ctx: PlumbContext, node: NodeRec) {
  const ns = baseNodeNetns(ctx, node);
  const range = ctx.config.podCIDR;
  const bridgeIp = weaveBridgeIp(node, range);
  const flags = UP_FLAGS;
  const dev = (ifindex: number, name: string, kind: Link['kind'], extra: Partial<Link> = {}): Link => ({
    ifindex,
    name,
    kind,
    mtu: WEAVE_MTU,
    mac: ctx.mac(ns.id, name),
    operState: 'UP',
    flags,
    addrs: [],
    qdisc: 'noqueue',
    txqlen: 1000,
    ...extra,
  });
  const links: Link[] = [
    dev(IF.datapath, 'datapath', 'openvswitch', { operState: 'UNKNOWN' }),
    dev(IF.weave, 'weave', 'bridge', { addrs: bridgeIp !== null ? [addr(bridgeIp, range.prefix)] : [] }),
    dev(IF.vethweDatapath, 'vethwe-datapath', 'veth', { master: 'datapath', peer: { netns: ns.id, ifindex: IF.vethweBridge, name: 'vethwe-bridge' }, tcIngress: 'weave_odp' }),
    dev(IF.vethweBridge, 'vethwe-bridge', 'veth', { master: 'weave', peer: { netns: ns.id, ifindex: IF.vethweDatapath, name: 'vethwe-datapath' } }),
    dev(IF.vxlan, `vxlan-${WEAVE_VXLAN_PORT}`, 'vxlan', {
      mtu: VXLAN_VPORT_MTU,
      operState: 'UNKNOWN',
      master: 'datapath',
      vxlan: { vni: 0, port: WEAVE_VXLAN_PORT, local: node.ip, dev: 'eth0', learning: false, external: true },
      tcIngress: 'weave_odp_vxlan',
    }),
  ];
  const pods = podNetworkPods(ctx, node.meta.name);
  // 10-weave.conflist sets hairpinMode, so pod ports reflect frames back (a pod reaching itself via a Service).
  for (const pod of pods) links.push(hostVeth(pod, { master: 'weave', hairpin: true }));
  ns.links.push(...links);

  const routes: Route[] = [];
  if (bridgeIp !== null) routes.push({ type: 'unicast', dst: range, dev: 'weave', proto: 'kernel', scope: 'link', src: bridgeIp });
  ns.routes.push(...routes);
  sortRoutesKernelOrder(ns.routes);

  // `bridge fdb show br weave`, converged: each port's own MAC, local pods on their ports,
  // every remote pod learned behind vethwe-bridge (the datapath side). O(pods in the cluster).
  // (Pushed one by one: a spread of 150,000 entries would overflow the call stack.)
  const fdb: FdbEntry[] = ns.fdb;
  for (const l of links) if (l.master === 'weave') fdb.push({ mac: l.mac, dev: l.name, master: 'weave', permanent: true });
  for (const pod of pods) fdb.push({ mac: pod.attachment!.podMac, dev: pod.attachment!.hostIfname, master: 'weave', permanent: false });
  for (const pod of ctx.cluster.pods.values()) {
    if (pod.nodeName === node.meta.name || pod.hostNetwork || !pod.attachment) continue;
    fdb.push({ mac: pod.attachment.podMac, dev: 'vethwe-bridge', master: 'weave', permanent: false });
  }
  // Other nodes' bridges (weave expose) are stations on the network too, learned the same way.
  for (const b of weaveIndexOf(ctx.cluster).bridges) {
    if (b.nodeName !== node.meta.name) fdb.push({ mac: b.mac, dev: 'vethwe-bridge', master: 'weave', permanent: false });
  }
  return ns;
}

function buildPod(ctx: PlumbContext, pod: PodRec) {
  const a = pod.attachment!;
  const node = ctx.node(pod.nodeName);
  const range = ctx.config.podCIDR;
  const gw = node ? weaveBridgeIp(node, range) : null;
  const routes: Route[] = [];
  if (gw !== null) routes.push({ type: 'unicast', dst: new Cidr(0, 0), via: gw, dev: 'eth0' });
  routes.push({ type: 'unicast', dst: new Cidr(a.ip, a.prefix), dev: 'eth0', proto: 'kernel', scope: 'link', src: a.ip });
  if (gw !== null && !new Cidr(a.ip, a.prefix).contains(gw)) {
    // setupRoutes: a bridge IP outside the pod's subnet gets its own link route.
    routes.push({ type: 'unicast', dst: Cidr.host(gw), dev: 'eth0', scope: 'link' });
  }
  return basePodNetns(pod, sortRoutesKernelOrder(routes));
}

export const weavePlugin: CniPlugin = {
  mode: 'weave',
  ipam: 'weave',
  usesNodePodCIDR: false,
  podMtu: () => WEAVE_MTU,
  // Pods take the prefix of the whole allocation range: one flat subnet (10.44.0.7/12).
  podPrefix: (config) => config.podCIDR.prefix,
  hostIfname: (pod) => weaveHostIfname(pod.containerId),
  buildNode,
  buildPod,
  nodeFiles: () => ({
    // Written by weave-kube's launch.sh.
    '/etc/cni/net.d/10-weave.conflist':
      '{\n    "cniVersion": "0.3.0",\n    "name": "weave",\n    "plugins": [\n        {\n            "name": "weave",\n            "type": "weave-net",\n            "hairpinMode": true\n        },\n        {\n            "type": "portmap",\n            "capabilities": {"portMappings": true},\n            "snat": true\n        }\n    ]\n}\n',
  }),
  binaries: [...STANDARD_CNI_BINARIES, 'weave-ipam', 'weave-net', `weave-plugin-${WEAVE_VERSION}`].sort(),
  daemonSet: { name: 'weave-net', namespace: 'kube-system', image: `weaveworks/weave-kube:${WEAVE_VERSION}`, containerName: 'weave' },
  fabric: 'l2',
};
