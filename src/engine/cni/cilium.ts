/**
 * Cilium: what the agent and cilium-cni plumb on a node (the eBPF programs the devices name
 * in `tcIngress` live in ciliumDatapath.ts). Two modes share the module:
 * - `cilium`: tunnel routing over VXLAN (`cilium_vxlan`, external/collect-metadata, UDP 8472);
 * - `cilium-native`: native routing with autoDirectNodeRoutes (`<remote CIDR> via <node IP> dev eth0`).
 *
 * Node: `cilium_net@cilium_host` / `cilium_host@cilium_net` (NOARP veth pair; cilium_host
 * holds the router IP as /32 scope link), `cilium_vxlan` in tunnel mode, `cilium_wg0` with
 * WireGuard, one `lxc<12 hex>` per endpoint and no bridge. Pod: eth0 /32 with
 * `default via <router IP> dev eth0 mtu <route MTU>` and `<router IP> dev eth0 scope link`.
 *
 * MTUs (pkg/mtu): devices (lxc, pod eth0, cilium_host) keep the node MTU; the *route* MTU
 * subtracts the tunnel overhead (50, ci-03) and the WireGuard overhead (80), so a tunnel-mode
 * pod shows `eth0 mtu 1500` and `default via ... mtu 1450`, as on a real node.
 *
 * Invariant: builders read only the cluster.
 */
import { Cidr, type Ipv4 } from '../addressing/ipv4';
import type { ClusterConfig, NodeRec, PodRec } from '../model/cluster';
import type { Link, Neighbor, Netns, Route } from '../model/netns';
import { fnv32a, sha256Hex } from '../util/hash';
import { addr, baseNodeNetns, basePodNetns, hostVeth, podNetworkPods, sortRoutesKernelOrder, UP_FLAGS } from './common';
import { CILIUM_WG, wireguardDevice } from './wireguard';
import type { CniPlugin, PlumbContext } from './plugin';

/** pkg/defaults TunnelPortVXLAN (ci-02): Cilium's VXLAN port is the Linux default 8472, not IANA 4789. */
export const CILIUM_VXLAN_PORT = 8472;
/** pkg/mtu TunnelOverhead (ci-03): outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14. */
export const CILIUM_TUNNEL_OVERHEAD = 50;
/** pkg/mtu WireguardOverhead: sized for an IPv6 outer header (40) + UDP 8 + WireGuard 32. */
export const CILIUM_WIREGUARD_OVERHEAD = CILIUM_WG.overhead;
/** pkg/wireguard/types ListenPort. */
export const CILIUM_WIREGUARD_PORT = CILIUM_WG.port;

/** Reserved security identities (pkg/identity/numericidentity.go). */
export const IDENTITY = { host: 1, world: 2, health: 4, remoteNode: 6 } as const;
/** Cluster-local identities start here (pkg/identity MinimalAllocationIdentity). */
const MIN_ALLOC_IDENTITY = 256;
const MAX_ALLOC_IDENTITY = 65535;

/** The standard plugins of the kubernetes-cni package that kubeadm nodes carry in /opt/cni/bin. */
const STANDARD_CNI_BINARIES = ['bandwidth', 'bridge', 'dhcp', 'dummy', 'firewall', 'host-device', 'host-local', 'ipvlan', 'loopback', 'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tap', 'tuning', 'vlan', 'vrf'];

type CiliumNode = NodeRec & { routerIp?: Ipv4 };

/** The node's cluster-pool CIDR (CiliumNode spec.ipam.podCIDRs[0]): H2 records it as podCIDR or the first block. */
export function ciliumNodeCidr(node: NodeRec): Cidr | null {
  return node.podCIDR ?? node.blocks[0] ?? null;
}

/** cilium_host's address (CiliumInternalIP), allocated from the node's pool CIDR; `.1` of it when IPAM did not record one. */
export function ciliumRouterIp(node: NodeRec): Ipv4 | null {
  const r = (node as CiliumNode).routerIp;
  if (typeof r === 'number') return r;
  const c = ciliumNodeCidr(node);
  return c ? c.nth(1) : null;
}

/** MTU on the routes cilium-cni and the agent install (pkg/mtu GetRouteMTU). */
export function ciliumRouteMtu(config: ClusterConfig, tunnel: boolean): number {
  return config.nodeMtu - (tunnel ? CILIUM_TUNNEL_OVERHEAD : 0) - (config.wireguard ? CILIUM_WIREGUARD_OVERHEAD : 0);
}

/**
 * Host-side device name (pkg/datapath/connector Endpoint2IfName): `lxc` + sha256(id)[:12]
 * (ci-04). Since Cilium 1.15 cilium-cni passes `<containerID>:<ifname>` as the id
 * (plugins/cilium-cni/cmd/cmd.go: `cniID := ep.ContainerID + ":" + ep.ContainerInterfaceName`),
 * so the name follows the sandbox container id, not the numeric endpoint id.
 */
export function ciliumHostIfname(containerId: string, ifname = 'eth0'): string {
  return 'lxc' + sha256Hex(`${containerId}:${ifname}`).slice(0, 12);
}

/** Labels Cilium leaves out of a security identity (pkg/labels/filter.go default excludes). */
const IGNORED_LABELS = new Set(['pod-template-hash', 'controller-revision-hash', 'pod-template-generation', 'statefulset.kubernetes.io/pod-name']);

/**
 * Security identity of a pod. Cilium allocates identities in the order label sets are first
 * seen; we derive one from the label set (namespace + labels, as `k8s:` labels) so the same
 * labels always give the same number and pods of one Deployment share it. Approximation:
 * the numbers differ from a real cluster's, the sharing does not.
 */
export function ciliumIdentity(pod: PodRec): number {
  const labels = Object.keys(pod.meta.labels)
    .filter((k) => !IGNORED_LABELS.has(k))
    .sort()
    .map((k) => `k8s:${k}=${pod.meta.labels[k]}`);
  const key = `k8s:io.kubernetes.pod.namespace=${pod.meta.namespace ?? 'default'};${labels.join(';')}`;
  return MIN_ALLOC_IDENTITY + (fnv32a(key) % (MAX_ALLOC_IDENTITY - MIN_ALLOC_IDENTITY + 1));
}

const NOARP_FLAGS = ['BROADCAST', 'MULTICAST', 'NOARP', 'UP', 'LOWER_UP'];

/**
 * The agent's `cilium_net@cilium_host` / `cilium_host@cilium_net` NOARP veth pair at ifindexes
 * `first` and `first + 1`; cilium_host holds the router IP (`scope`: `link` as cilium-native
 * plumbs it, `global` as GKE Dataplane V2 shows its 169.254.4.6/32).
 */
export function ciliumHostPair(ctx: PlumbContext, nsId: Netns['id'], router: Ipv4 | null, mtu: number, first = 3, scope: 'link' | 'global' = 'link'): Link[] {
  return [
    {
      ifindex: first,
      name: 'cilium_net',
      kind: 'veth',
      mtu,
      mac: ctx.mac(nsId, 'cilium_net'),
      operState: 'UP',
      flags: NOARP_FLAGS,
      addrs: [],
      peer: { netns: nsId, ifindex: first + 1, name: 'cilium_host' },
      tcIngress: 'cil_from_host',
      qdisc: 'noqueue',
      txqlen: 1000,
    },
    {
      ifindex: first + 1,
      name: 'cilium_host',
      kind: 'veth',
      mtu,
      mac: ctx.mac(nsId, 'cilium_host'),
      operState: 'UP',
      flags: NOARP_FLAGS,
      addrs: router !== null ? [addr(router, 32, scope)] : [],
      peer: { netns: nsId, ifindex: first, name: 'cilium_net' },
      qdisc: 'noqueue',
      txqlen: 1000,
    },
  ];
}

function buildNode(tunnel: boolean) {
  return (ctx: PlumbContext, node: NodeRec) => {
    const ns = baseNodeNetns(ctx, node);
    const config = ctx.config;
    const router = ciliumRouterIp(node);
    const eth0 = ns.links[1];
    eth0.tcIngress = 'cil_from_netdev';
    const mtu = config.nodeMtu;
    const links: Link[] = ciliumHostPair(ctx, ns.id, router, mtu);
    if (tunnel) {
      // `ip -d link show cilium_vxlan`: vxlan external id 0 ... dstport 8472 nolearning.
      links.push({
        ifindex: 5,
        name: 'cilium_vxlan',
        kind: 'vxlan',
        mtu,
        mac: node.macs.cilium_vxlan ?? ctx.mac(ns.id, 'cilium_vxlan'),
        operState: 'UNKNOWN',
        flags: UP_FLAGS,
        addrs: [],
        vxlan: { vni: 0, port: CILIUM_VXLAN_PORT, local: node.ip, dev: 'eth0', learning: false, external: true },
        tcIngress: 'cil_from_overlay',
        qdisc: 'noqueue',
        txqlen: 1000,
      });
    }
    if (config.wireguard) {
      // cilium_wg0 (pkg/wireguard/agent): one peer per other node, allowed IPs its pool CIDR; no address.
      links.push(
        wireguardDevice(ctx.cluster, node, {
          name: CILIUM_WG.dev,
          ifindex: 6,
          listenPort: CILIUM_WG.port,
          mtu: mtu - CILIUM_WG.overhead,
          allowedIpsOf: (n) => {
            const c = ciliumNodeCidr(n);
            return c ? [c] : [];
          },
        }),
      );
    }
    for (const pod of podNetworkPods(ctx, node.meta.name)) links.push(hostVeth(pod, { tcIngress: 'cil_from_container' }));
    ns.links.push(...links);

    // Routes the agent installs (pkg/datapath/linux/node.go), all with proto kernel
    // (linux_defaults.RTProto = RTPROT_KERNEL).
    const routes: Route[] = [];
    const routeMtu = ciliumRouteMtu(config, tunnel);
    for (const n of ctx.cluster.nodes) {
      const cidr = ciliumNodeCidr(n);
      if (!cidr || router === null) continue;
      if (n === node) {
        routes.push({ type: 'unicast', dst: cidr, via: router, dev: 'cilium_host', proto: 'kernel', src: router });
      } else if (tunnel) {
        routes.push({ type: 'unicast', dst: cidr, via: router, dev: 'cilium_host', proto: 'kernel', src: router, mtu: routeMtu });
      } else {
        // autoDirectNodeRoutes: createDirectRouteSpec, Gw = the remote node IP on the shared L2.
        routes.push({ type: 'unicast', dst: cidr, via: n.ip, dev: 'eth0', proto: 'kernel' });
      }
    }
    if (router !== null) routes.push({ type: 'unicast', dst: Cidr.host(router), dev: 'cilium_host', proto: 'kernel', scope: 'link' });
    ns.routes.push(...routes);
    sortRoutesKernelOrder(ns.routes);
    return ns;
  };
}

function buildPod(tunnel: boolean) {
  return (ctx: PlumbContext, pod: PodRec) => {
    const node = ctx.node(pod.nodeName);
    const router = node ? ciliumRouterIp(node) : null;
    const a = pod.attachment!;
    const routes: Route[] = [];
    const neighbors: Neighbor[] = [];
    if (router !== null) {
      // cilium-cni (plugins/cilium-cni/cmd/interface.go): a /32 link route to the router and the default via it with the route MTU.
      routes.push({ type: 'unicast', dst: new Cidr(0, 0), via: router, dev: 'eth0', mtu: ciliumRouteMtu(ctx.config, tunnel) });
      routes.push({ type: 'unicast', dst: Cidr.host(router), dev: 'eth0', scope: 'link' });
      // cil_from_container answers ARP for the router IP with the lxc device's MAC (bpf_lxc.c tail_handle_arp).
      neighbors.push({ ip: router, dev: 'eth0', mac: a.hostMac, state: 'REACHABLE' });
    }
    return basePodNetns(pod, routes, neighbors);
  };
}

function make(mode: 'cilium' | 'cilium-native'): CniPlugin {
  const tunnel = mode === 'cilium';
  return {
    mode,
    ipam: 'cilium-cluster-pool',
    usesNodePodCIDR: false,
    // Device MTU: the node's; the overheads go on the routes (see ciliumRouteMtu).
    podMtu: (config) => config.nodeMtu,
    // pkg/defaults ContainerIPv4Mask: endpoints get /32 (ci-05).
    podPrefix: () => 32,
    hostIfname: (pod) => ciliumHostIfname(pod.containerId),
    buildNode: buildNode(tunnel),
    buildPod: buildPod(tunnel),
    nodeFiles: () => ({
      // Written by the agent (cni-config manager) once it is ready; `05-` sorts it before other CNIs' files.
      '/etc/cni/net.d/05-cilium.conflist':
        '{\n  "cniVersion": "0.3.1",\n  "name": "cilium",\n  "plugins": [\n    {\n       "type": "cilium-cni",\n       "enable-debug": false,\n       "log-file": "/var/run/cilium/cilium-cni.log"\n    }\n  ]\n}\n',
    }),
    binaries: [...STANDARD_CNI_BINARIES, 'cilium-cni'].sort(),
    daemonSet: { name: 'cilium', namespace: 'kube-system', image: 'quay.io/cilium/cilium:v1.16.5', containerName: 'cilium-agent' },
    fabric: 'l2',
  };
}

export const ciliumPlugin: CniPlugin = make('cilium');
export const ciliumNativePlugin: CniPlugin = make('cilium-native');
