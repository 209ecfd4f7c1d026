/**
 * Flannel's data plane: flanneld's backend on the node (VXLAN `flannel.1`, or host-gw
 * routes) plus what the flannel CNI plugin's delegate (the `bridge` plugin with host-local
 * IPAM) builds per pod: the `cni0` bridge, `veth…` host ends, the pod's eth0 and routes.
 *
 * Invariants:
 * - every other node with a lease (spec.podCIDR) gets exactly one route, and with VXLAN one
 *   neighbour and one FDB entry (flannel programs no L2/L3-miss handling);
 * - `cni0` exists only once a pod-network pod exists on the node (the bridge plugin creates it
 *   on the first CNI ADD), and so does its connected route;
 * - VtepMACs are stable per node: the `flannel.alpha.coreos.com/backend-data` annotation,
 *   else NodeRec.macs['flannel.1'], else a MAC derived from the seed;
 * - building a node is one pass over the cluster's nodes (per-node facts are cached per cluster).
 *
 * Sources (flannel-io/flannel @ v0.28.x unless noted):
 * - pkg/backend/vxlan/{vxlan.go,vxlan_network.go,device.go}: device `flannel.<VNI>`, VNI 1, dstport 0 → kernel
 *   default 8472, nolearning, MTU = ext MTU − 50, address `<lease network>/32`, per remote lease
 *   `neigh … PERMANENT`, `fdb … dst <public ip> self permanent`, route `… via <net> dev flannel.1 onlink`.
 * - pkg/backend/hostgw/hostgw.go: `<remote lease> via <remote public ip> dev <ext iface>`.
 * - Documentation/kube-flannel.yml (v0.26.1): cni-conf.json, DaemonSet kube-flannel-ds in kube-flannel.
 * - pkg/subnet/subnet.go WriteSubnetFile: /run/flannel/subnet.env.
 * - flannel-io/cni-plugin flannel_linux.go: delegate ipam host-local, ranges [[{subnet}]], routes [{dst: Network}];
 *   containernetworking/plugins bridge.go: isDefaultGateway → `default via .1`, IPAM routes without gw use the
 *   gateway (pkg/ipam ConfigureIface), hairpinMode → bridge port hairpin on, veth name `veth` + 8 hex.
 */
import { Cidr, formatIpv4, type Ipv4 } from '../addressing/ipv4';
import type { ClusterConfig, NodeRec } from '../model/cluster';
import { netnsId } from '../model/ids';
import type { FdbEntry, Link, Neighbor, Netns, Route } from '../model/netns';
import { addr, baseNodeNetns, basePodNetns, hostVeth, perCluster, podNetworkPods, sortRoutesKernelOrder, UP_FLAGS } from './common';
import type { CniPlugin, PlumbContext } from './plugin';

export const FLANNEL_VXLAN = {
  dev: 'flannel.1',
  vni: 1,
  /** Linux kernel default VXLAN port, used when the backend's Port is 0 (Documentation/backends.md). */
  port: 8472,
  /** encapOverhead in pkg/backend/vxlan/vxlan.go (= Linux VXLAN_HEADROOM over IPv4). */
  overhead: 50,
} as const;

export const FLANNEL_BRIDGE = 'cni0';
export const BACKEND_DATA_ANNOTATION = 'flannel.alpha.coreos.com/backend-data';

/** What flanneld learns about every node from the API (its lease). */
interface Lease {
  node: NodeRec;
  subnet: Cidr;
  publicIp: Ipv4;
  vtepMac: string;
}

type Leases = { leases: Lease[]; byName: Map<string, Lease> };
/** Separate caches so a host-gw cluster never pays for VtepMACs it does not use. */
const leaseCache = { vxlan: new WeakMap<object, Leases>(), hostGw: new WeakMap<object, Leases>() };

function vtepMacOf(ctx: PlumbContext, node: NodeRec): string {
  const data = node.meta.annotations?.[BACKEND_DATA_ANNOTATION];
  if (data) {
    try {
      const parsed = JSON.parse(data) as { VtepMAC?: unknown };
      if (typeof parsed.VtepMAC === 'string' && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(parsed.VtepMAC)) return parsed.VtepMAC.toLowerCase();
    } catch {
      // A malformed annotation is ignored, as flanneld regenerates the device MAC then.
    }
  }
  return node.macs[FLANNEL_VXLAN.dev] ?? ctx.mac(netnsId.node(node.meta.name), FLANNEL_VXLAN.dev);
}

/** Every node's lease in node order (nodes without spec.podCIDR hold no lease), once per cluster. */
function leasesOf(ctx: PlumbContext, withMacs: boolean): Leases {
  return perCluster(withMacs ? leaseCache.vxlan : leaseCache.hostGw, ctx.cluster, () => {
    const leases: Lease[] = [];
    for (const node of ctx.cluster.nodes) {
      if (!node.podCIDR) continue;
      leases.push({ node, subnet: node.podCIDR, publicIp: node.ip, vtepMac: withMacs ? vtepMacOf(ctx, node) : '' });
    }
    return { leases, byName: new Map(leases.map((l) => [l.node.meta.name, l] as [string, Lease])) };
  });
}

/** The VtepMAC flanneld uses for a node (what its `flannel.1` has and what peers point their FDB at). */
export function flannelVtepMac(ctx: PlumbContext, node: NodeRec): string {
  return leasesOf(ctx, true).byName.get(node.meta.name)?.vtepMac ?? vtepMacOf(ctx, node);
}

function flannelVxlanLink(config: ClusterConfig, node: NodeRec, subnet: Cidr, mac: string): Link {
  return {
    ifindex: 3,
    name: FLANNEL_VXLAN.dev,
    kind: 'vxlan',
    mtu: config.nodeMtu - FLANNEL_VXLAN.overhead,
    mac,
    // A VXLAN device has no carrier of its own: iproute2 prints `state UNKNOWN`.
    operState: 'UNKNOWN',
    flags: UP_FLAGS,
    addrs: [addr(subnet.network, 32)],
    vxlan: { vni: FLANNEL_VXLAN.vni, port: FLANNEL_VXLAN.port, local: node.ip, dev: 'eth0', learning: false },
    qdisc: 'noqueue',
  };
}

function buildNode(vxlan: boolean) {
  return (ctx: PlumbContext, node: NodeRec): Netns => {
    const ns = baseNodeNetns(ctx, node);
    const subnet = node.podCIDR;
    // Without a lease flanneld exits ("failed to acquire lease") and programs nothing.
    if (!subnet) return ns;
    const config = ctx.config;
    const { leases } = leasesOf(ctx, vxlan);
    const nsId = netnsId.node(node.meta.name);

    if (vxlan) ns.links.push(flannelVxlanLink(config, node, subnet, flannelVtepMac(ctx, node)));

    // cni0 and the pods' host ends: only once the bridge plugin has run for a pod.
    const pods = podNetworkPods(ctx, node.meta.name);
    if (pods.length > 0) {
      const gw = subnet.nth(1);
      const bridgeMac = node.macs[FLANNEL_BRIDGE] ?? ctx.mac(nsId, FLANNEL_BRIDGE);
      ns.links.push({
        ifindex: vxlan ? 4 : 3,
        name: FLANNEL_BRIDGE,
        kind: 'bridge',
        mtu: plugin(vxlan).podMtu(config),
        mac: bridgeMac,
        operState: 'UP',
        flags: UP_FLAGS,
        addrs: [addr(gw, subnet.prefix)],
        qdisc: 'noqueue',
        txqlen: 1000,
      });
      ns.routes.push({ type: 'unicast', dst: subnet, dev: FLANNEL_BRIDGE, proto: 'kernel', scope: 'link', src: gw });
      // The bridge's own entries (`bridge fdb show`), as the kernel adds them for a VLAN-unaware bridge.
      ns.fdb.push(
        { mac: bridgeMac, dev: FLANNEL_BRIDGE, vlan: 1, master: FLANNEL_BRIDGE, permanent: true },
        { mac: bridgeMac, dev: FLANNEL_BRIDGE, master: FLANNEL_BRIDGE, permanent: true },
      );
      for (const pod of pods) {
        const a = pod.attachment!;
        ns.links.push(hostVeth(pod, { master: FLANNEL_BRIDGE, hairpin: true }));
        ns.fdb.push(
          // Learned from the pod's first frame; not permanent.
          { mac: a.podMac, dev: a.hostIfname, master: FLANNEL_BRIDGE, permanent: false },
          { mac: a.hostMac, dev: a.hostIfname, vlan: 1, master: FLANNEL_BRIDGE, permanent: true },
          { mac: a.hostMac, dev: a.hostIfname, master: FLANNEL_BRIDGE, permanent: true },
        );
      }
    }

    // One pass over the other leases.
    const routes: Route[] = ns.routes;
    const neighbors: Neighbor[] = ns.neighbors;
    const fdb: FdbEntry[] = ns.fdb;
    for (const lease of leases) {
      if (lease.node.meta.name === node.meta.name) continue;
      if (vxlan) {
        neighbors.push({ ip: lease.subnet.network, dev: FLANNEL_VXLAN.dev, mac: lease.vtepMac, state: 'PERMANENT' });
        fdb.push({ mac: lease.vtepMac, dev: FLANNEL_VXLAN.dev, dst: lease.publicIp, self: true, permanent: true });
        routes.push({ type: 'unicast', dst: lease.subnet, via: lease.subnet.network, dev: FLANNEL_VXLAN.dev, onlink: true });
      } else {
        routes.push({ type: 'unicast', dst: lease.subnet, via: lease.publicIp, dev: 'eth0' });
      }
    }
    sortRoutesKernelOrder(routes);
    return ns;
  };
}

function buildPod(ctx: PlumbContext, pod: Parameters<CniPlugin['buildPod']>[1]): Netns {
  const a = pod.attachment!;
  const subnet = ctx.node(pod.nodeName)?.podCIDR ?? new Cidr(a.ip, a.prefix);
  const gw = subnet.nth(1);
  // isDefaultGateway adds the default route; the delegate's IPAM route {dst: FLANNEL_NETWORK} has no gw,
  // so it goes via the IPAM gateway too; the kernel adds the connected route for eth0's address.
  const routes: Route[] = [
    { type: 'unicast', dst: new Cidr(0, 0), via: gw, dev: 'eth0' },
    { type: 'unicast', dst: ctx.config.podCIDR, via: gw, dev: 'eth0' },
    { type: 'unicast', dst: new Cidr(a.ip, a.prefix), dev: 'eth0', proto: 'kernel', scope: 'link', src: a.ip },
  ];
  return basePodNetns(pod, sortRoutesKernelOrder(routes));
}

/** Documentation/kube-flannel.yml `cni-conf.json`, copied verbatim by the install-cni init container. */
export const FLANNEL_CONFLIST = `{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "flannel",
      "delegate": {
        "hairpinMode": true,
        "isDefaultGateway": true
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    }
  ]
}
`;

/** /run/flannel/subnet.env as WriteSubnetFile writes it (FLANNEL_SUBNET carries the gateway address). */
export function flannelSubnetEnv(config: ClusterConfig, subnet: Cidr, mtu: number): string {
  return (
    `FLANNEL_NETWORK=${config.podCIDR.toString()}\n` +
    `FLANNEL_SUBNET=${formatIpv4(subnet.nth(1))}/${subnet.prefix}\n` +
    `FLANNEL_MTU=${mtu}\n` +
    `FLANNEL_IPMASQ=true\n`
  );
}

/**
 * `ls /opt/cni/bin` on a kubeadm node: the kubernetes-cni package (containernetworking/plugins release
 * tarball, LICENSE and README.md included) plus `flannel` from the install-cni-plugin init container.
 */
export const FLANNEL_BINARIES = [
  'LICENSE', 'README.md', 'bandwidth', 'bridge', 'dhcp', 'dummy', 'firewall', 'flannel', 'host-device', 'host-local',
  'ipvlan', 'loopback', 'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tap', 'tuning', 'vlan', 'vrf',
];

function make(mode: 'flannel' | 'flannel-host-gw'): CniPlugin {
  const vxlan = mode === 'flannel';
  return {
    mode,
    ipam: 'host-local',
    usesNodePodCIDR: true,
    // FLANNEL_MTU: ext MTU − 50 with VXLAN; host-gw adds no header.
    podMtu: (config) => config.nodeMtu - (vxlan ? FLANNEL_VXLAN.overhead : 0),
    podPrefix: (config) => config.nodeCIDRMaskSize,
    // containernetworking/plugins pkg/ip RandomVethName: "veth" + 4 random bytes in hex.
    hostIfname: (_pod, rng) => 'veth' + rng.hex(8),
    buildNode: buildNode(vxlan),
    buildPod,
    nodeFiles(ctx, node) {
      const files: Record<string, string> = { '/etc/cni/net.d/10-flannel.conflist': FLANNEL_CONFLIST };
      const mtu = ctx.config.nodeMtu - (vxlan ? FLANNEL_VXLAN.overhead : 0);
      if (node.podCIDR) files['/run/flannel/subnet.env'] = flannelSubnetEnv(ctx.config, node.podCIDR, mtu);
      return files;
    },
    binaries: FLANNEL_BINARIES,
    daemonSet: { name: 'kube-flannel-ds', namespace: 'kube-flannel', image: 'docker.io/flannel/flannel:v0.26.1', containerName: 'kube-flannel' },
    fabric: 'l2',
  };
}

export const flannelPlugin: CniPlugin = make('flannel');
export const flannelHostGwPlugin: CniPlugin = make('flannel-host-gw');

function plugin(vxlan: boolean): CniPlugin {
  return vxlan ? flannelPlugin : flannelHostGwPlugin;
}
