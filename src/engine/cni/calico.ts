/**
 * Calico's data plane in its three encapsulation modes: BGP without encapsulation
 * (`calico`), IP-in-IP (`calico-ipip`, tunl0) and VXLAN (`calico-vxlan`, vxlan.calico),
 * each optionally with WireGuard (config.wireguard, see wireguard.ts).
 *
 * What the real components program on a node:
 * - the CNI plugin: per pod a `cali<11 hex>` veth with MAC ee:ee:ee:ee:ee:ee, proxy_arp on,
 *   no bridge and no address, and a `<pod ip> dev cali… scope link` route; in the pod a /32
 *   on eth0 and routes via the fake gateway 169.254.1.1;
 * - BIRD (calico, calico-ipip): `blackhole <own block> proto bird` and one `proto bird` route
 *   per block of every other node (via eth0, or via tunl0 onlink with IPIP);
 * - Felix (calico-vxlan, where calico_backend is `vxlan` and BIRD does not run): the
 *   blackholes with proto 80, per remote block `<block> via <its VTEP ip> dev vxlan.calico
 *   onlink`, and per remote VTEP a permanent neighbour and FDB entry.
 *
 * Invariants: one pass over the cluster's nodes per node build; per-node derived facts (VTEP
 * MACs, tunnel addresses) are cached per cluster; routes come out in `ip route` order.
 *
 * Sources (projectcalico/calico @ v3.3x): libcalico-go conversion VethNameForWorkload (cali + sha1[:11]);
 * cni-plugin/pkg/dataplane/linux/dataplane_linux.go (host MAC, sysctls, pod routes);
 * felix/dataplane/linux/dataplanedefs (tunl0, vxlan.calico, DefaultRouteProto 80), felix/config/config_params.go
 * (VXLANPort 4789, VXLANVNI 4096); felix/dataplane/linux/int_dataplane.go determinePodMTU (IPIP 20, VXLAN 50,
 * WireGuard 60; the pod MTU is the smallest enabled tunnel MTU); felix/dataplane/linux/route_mgr.go
 * (blackholes with proto 80) and vxlan_mgr.go (route via the remote VTEP, no protocol → DeviceRouteProtocol,
 * RTPROT_BOOT, which iproute2 omits); felix/routetable ensureL2Dataplane (neighbour + FDB NTF_SELF permanent);
 * confd bird_aggr.cfg (static blackhole per block); manifests/calico.yaml (cni_network_config, veth_mtu 0) and
 * cni-plugin/pkg/install/install.go (placeholders, calico-kubeconfig template).
 */
import { Cidr, formatIpv4, type Ipv4 } from '../addressing/ipv4';
import { CALICO_HOST_MAC } from '../addressing/mac';
import type { ClusterConfig, NodeRec, PodRec } from '../model/cluster';
import { netnsId } from '../model/ids';
import type { Link, Netns, Route } from '../model/netns';
import { sha1Hex, sha256Hex } from '../util/hash';
import { addr, baseNodeNetns, basePodNetns, hostVeth, perCluster, podNetworkPods, sortRoutesKernelOrder, UP_FLAGS } from './common';
import type { CniPlugin, PlumbContext } from './plugin';
import { addCalicoWireguard, base64, CALICO_WG } from './wireguard';

export type CalicoMode = 'calico' | 'calico-ipip' | 'calico-vxlan';

export const CALICO_IPIP = { dev: 'tunl0', overhead: 20 } as const;
export const CALICO_VXLAN = { dev: 'vxlan.calico', vni: 4096, port: 4789, overhead: 50 } as const;
/** The fake next hop every Calico pod routes through; the host veth answers its ARP by proxy_arp. */
export const CALICO_GATEWAY = 0xa9fe0101; // 169.254.1.1
/** Felix's route protocol for routes it owns (dataplanedefs.DefaultRouteProto). */
export const FELIX_PROTO = '80';

/** `cali` + first 11 hex characters of SHA-1("<namespace>.<pod>") (libcalico-go VethNameForWorkload). */
/**
 * The Calico CNI plugin's host end of a pod's veth (cni-plugin dataplane_linux.go: the /32 link
 * route and configureSysctls: proxy_arp, proxy_delay 0, forwarding, route_localnet).
 */
export function addCalicoHostVeth(ns: Netns, pod: PodRec): void {
  const a = pod.attachment!;
  ns.links.push(hostVeth(pod, { proxyArp: true }));
  ns.routes.push({ type: 'unicast', dst: Cidr.host(a.ip), dev: a.hostIfname, scope: 'link' });
  ns.sysctl[`net.ipv4.conf.${a.hostIfname}.proxy_arp`] = '1';
  ns.sysctl[`net.ipv4.conf.${a.hostIfname}.forwarding`] = '1';
  ns.sysctl[`net.ipv4.conf.${a.hostIfname}.route_localnet`] = '1';
  ns.sysctl[`net.ipv4.neigh.${a.hostIfname}.proxy_delay`] = '0';
}

export function calicoVethName(namespace: string, pod: string): string {
  return 'cali' + sha1Hex(`${namespace}.${pod}`).slice(0, 11);
}

/** Overhead of the encapsulation a mode uses (0 for plain BGP). */
export function calicoEncapOverhead(mode: CalicoMode): number {
  return mode === 'calico-ipip' ? CALICO_IPIP.overhead : mode === 'calico-vxlan' ? CALICO_VXLAN.overhead : 0;
}

/**
 * Felix's pod MTU: the smallest MTU among the enabled tunnels (IPIP, VXLAN, WireGuard), each
 * being host MTU − its overhead; the host MTU when none is enabled.
 */
export function calicoPodMtu(mode: CalicoMode, config: ClusterConfig): number {
  const overhead = Math.max(calicoEncapOverhead(mode), config.wireguard ? CALICO_WG.overhead : 0);
  return config.nodeMtu - overhead;
}

/** Optional addresses H2's Calico IPAM may record on the node (read defensively). */
type NodeTunnelFields = { tunnelIp?: Ipv4; wireguardIp?: Ipv4 };

/**
 * The node's tunnel address (tunl0 / vxlan.calico): NodeRec.tunnelIp when IPAM recorded one,
 * else ordinal 0 of its first block (calico-node claims it at startup, before any pod).
 */
export function calicoTunnelIp(node: NodeRec): Ipv4 | undefined {
  const rec = (node as NodeRec & NodeTunnelFields).tunnelIp;
  if (typeof rec === 'number') return rec;
  return node.blocks?.[0]?.network;
}

/**
 * The WireGuard interface address: NodeRec.wireguardIp, else the next ordinal after the
 * tunnel address when the mode has a tunnel, else ordinal 0 of the first block.
 */
export function calicoWireguardIp(mode: CalicoMode, node: NodeRec): Ipv4 | undefined {
  const rec = (node as NodeRec & NodeTunnelFields).wireguardIp;
  if (typeof rec === 'number') return rec;
  const block = node.blocks?.[0];
  if (!block) return undefined;
  return mode === 'calico' ? block.network : block.nth(1);
}

interface Vtep {
  node: NodeRec;
  tunnelIp: Ipv4;
  mac: string;
}

const vtepCache = new WeakMap<object, Vtep[]>();

/** Every node's VXLAN VTEP (nodes without a block have none yet), once per cluster. */
function vtepsOf(ctx: PlumbContext): Vtep[] {
  return perCluster(vtepCache, ctx.cluster, () => {
    const out: Vtep[] = [];
    for (const node of ctx.cluster.nodes) {
      const tunnelIp = calicoTunnelIp(node);
      if (tunnelIp === undefined) continue;
      out.push({ node, tunnelIp, mac: calicoVtepMac(ctx, node) });
    }
    return out;
  });
}

/** The MAC Felix gives vxlan.calico (Node.spec.ipv4VXLANTunnelMACAddr), stable per node. */
export function calicoVtepMac(ctx: PlumbContext, node: NodeRec): string {
  return node.macs[CALICO_VXLAN.dev] ?? ctx.mac(netnsId.node(node.meta.name), CALICO_VXLAN.dev);
}

function tunnelLink(mode: CalicoMode, ctx: PlumbContext, node: NodeRec, ifindex: number, tunnelIp: Ipv4 | undefined): Link | undefined {
  const addrs = tunnelIp !== undefined ? [addr(tunnelIp, 32)] : [];
  if (mode === 'calico-ipip') {
    return {
      ifindex,
      name: CALICO_IPIP.dev,
      kind: 'ipip',
      mtu: ctx.config.nodeMtu - CALICO_IPIP.overhead,
      // `link/ipip 0.0.0.0 brd 0.0.0.0`: the kernel's fallback tunnel has no hardware address.
      mac: '',
      operState: 'UNKNOWN',
      flags: ['NOARP', 'UP', 'LOWER_UP'],
      addrs,
      ipip: {},
      qdisc: 'noqueue',
      txqlen: 1000,
    };
  }
  if (mode === 'calico-vxlan') {
    return {
      ifindex,
      name: CALICO_VXLAN.dev,
      kind: 'vxlan',
      mtu: ctx.config.nodeMtu - CALICO_VXLAN.overhead,
      mac: calicoVtepMac(ctx, node),
      operState: 'UNKNOWN',
      flags: UP_FLAGS,
      addrs,
      vxlan: { vni: CALICO_VXLAN.vni, port: CALICO_VXLAN.port, local: node.ip, dev: 'eth0', learning: false },
      qdisc: 'noqueue',
    };
  }
  return undefined;
}

function buildNode(mode: CalicoMode) {
  return (ctx: PlumbContext, node: NodeRec): Netns => {
    const ns = baseNodeNetns(ctx, node);
    const name = node.meta.name;
    let ifindex = 3;
    const tunnelIp = calicoTunnelIp(node);
    const tunnel = tunnelLink(mode, ctx, node, ifindex, tunnelIp);
    if (tunnel) {
      ns.links.push(tunnel);
      ifindex++;
    }
    if (ctx.config.wireguard) {
      addCalicoWireguard(ctx.cluster, ns, node, { ifindex: ifindex++, address: calicoWireguardIp(mode, node) });
    }

    // Local pods: the CNI plugin's veth and /32 route.
    for (const pod of podNetworkPods(ctx, name)) addCalicoHostVeth(ns, pod);

    // Own blocks: BIRD's static blackhole, or Felix's in VXLAN mode (no BIRD there).
    const bhProto = mode === 'calico-vxlan' ? FELIX_PROTO : 'bird';
    for (const block of node.blocks ?? []) ns.routes.push({ type: 'blackhole', dst: block, proto: bhProto });

    // Other nodes' blocks: one pass.
    if (mode === 'calico-vxlan') {
      for (const vtep of vtepsOf(ctx)) {
        const n = vtep.node;
        if (n.meta.name === name) continue;
        ns.neighbors.push({ ip: vtep.tunnelIp, dev: CALICO_VXLAN.dev, mac: vtep.mac, state: 'PERMANENT' });
        ns.fdb.push({ mac: vtep.mac, dev: CALICO_VXLAN.dev, dst: n.ip, self: true, permanent: true });
        for (const block of n.blocks) {
          ns.routes.push({ type: 'unicast', dst: block, via: vtep.tunnelIp, dev: CALICO_VXLAN.dev, onlink: true });
        }
      }
    } else {
      const ipip = mode === 'calico-ipip';
      for (const n of ctx.cluster.nodes) {
        if (n.meta.name === name) continue;
        for (const block of n.blocks ?? []) {
          ns.routes.push(
            ipip
              ? { type: 'unicast', dst: block, via: n.ip, dev: CALICO_IPIP.dev, proto: 'bird', onlink: true }
              : { type: 'unicast', dst: block, via: n.ip, dev: 'eth0', proto: 'bird' },
          );
        }
      }
    }
    sortRoutesKernelOrder(ns.routes);
    return ns;
  };
}

function buildPod(mode: CalicoMode) {
  return (_ctx: PlumbContext, pod: PodRec): Netns => {
    const routes: Route[] = [
      { type: 'unicast', dst: new Cidr(0, 0), via: CALICO_GATEWAY, dev: 'eth0' },
      { type: 'unicast', dst: Cidr.host(CALICO_GATEWAY), dev: 'eth0', scope: 'link' },
    ];
    const ns = basePodNetns(pod, routes);
    // With the ipip module loaded, the kernel creates its fallback device tunl0 in every new
    // namespace (net.core.fb_tunnels_only_for_init_net=0): pods show `2: tunl0@NONE: <NOARP> … state DOWN`.
    if (mode === 'calico-ipip' && pod.attachment!.podIfindex !== 2) {
      ns.links.splice(1, 0, {
        ifindex: 2,
        name: CALICO_IPIP.dev,
        kind: 'ipip',
        mtu: 1480,
        mac: '',
        operState: 'DOWN',
        flags: ['NOARP'],
        addrs: [],
        ipip: {},
        qdisc: 'noop',
        txqlen: 1000,
      });
    }
    return ns;
  };
}

/**
 * /etc/cni/net.d/10-calico.conflist: manifests/calico.yaml `cni_network_config` after install-cni's
 * substitutions (nodename, CNI_MTU from veth_mtu "0" = let Felix decide, kubeconfig path). Written as is,
 * without a trailing newline (the ConfigMap uses `|-`).
 */
export function calicoConflist(nodeName: string): string {
  return `{
  "name": "k8s-pod-network",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "calico",
      "log_level": "info",
      "log_file_path": "/var/log/calico/cni/cni.log",
      "datastore_type": "kubernetes",
      "nodename": "${nodeName}",
      "mtu": 0,
      "ipam": {
          "type": "calico-ipam"
      },
      "policy": {
          "type": "k8s"
      },
      "kubernetes": {
          "kubeconfig": "/etc/cni/net.d/calico-kubeconfig"
      }
    },
    {
      "type": "portmap",
      "snat": true,
      "capabilities": {"portMappings": true}
    }
  ]
}`;
}

function b64text(text: string): string {
  return base64(new TextEncoder().encode(text));
}

/**
 * /etc/cni/net.d/calico-kubeconfig as install.go writeKubeconfig renders it: the in-cluster API
 * (`https://[<kubernetes Service IP>]:443`, brackets included), the CA and the calico-cni-plugin token.
 * The CA and token are deterministic stand-ins derived from the cluster seed (no real secrets).
 */
export function calicoKubeconfig(config: ClusterConfig): string {
  const h = sha256Hex(`${config.seed}:${config.name}:calico-cni-plugin`);
  const ca = b64text(`-----BEGIN CERTIFICATE-----\n${b64text(h.repeat(8)).slice(0, 64)}\n-----END CERTIFICATE-----\n`);
  const jwtHeader = b64text('{"alg":"RS256","kid":"' + h.slice(0, 43) + '"}').replace(/=+$/, '');
  const jwtBody = b64text('{"iss":"https://kubernetes.default.svc.cluster.local","sub":"system:serviceaccount:kube-system:calico-cni-plugin"}').replace(/=+$/, '');
  const token = `${jwtHeader}.${jwtBody}.${b64text(h).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}`;
  return `# Kubeconfig file for Calico CNI plugin.
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://[${formatIpv4(config.serviceCIDR.nth(1))}]:443
    certificate-authority-data: ${ca}
users:
- name: calico
  user:
    token: ${token}
contexts:
- name: calico-context
  context:
    cluster: local
    user: calico
current-context: calico-context`;
}

/**
 * `ls /opt/cni/bin` on a kubeadm node running Calico: the kubernetes-cni package plus what install-cni
 * copies from the calico/cni image (calico, calico-ipam, install, and its bundled flannel/host-local/...).
 */
export const CALICO_BINARIES = [
  'LICENSE', 'README.md', 'bandwidth', 'bridge', 'calico', 'calico-ipam', 'dhcp', 'dummy', 'firewall', 'flannel',
  'host-device', 'host-local', 'install', 'ipvlan', 'loopback', 'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tap',
  'tuning', 'vlan', 'vrf',
];

function make(mode: CalicoMode): CniPlugin {
  return {
    mode,
    ipam: 'calico-ipam',
    usesNodePodCIDR: false,
    podMtu: (config) => calicoPodMtu(mode, config),
    podPrefix: () => 32,
    hostIfname: (pod) => calicoVethName(pod.meta.namespace ?? 'default', pod.meta.name),
    fixedHostMac: CALICO_HOST_MAC,
    buildNode: buildNode(mode),
    buildPod: buildPod(mode),
    nodeFiles: (ctx, node) => ({
      '/etc/cni/net.d/10-calico.conflist': calicoConflist(node.meta.name),
      '/etc/cni/net.d/calico-kubeconfig': calicoKubeconfig(ctx.config),
    }),
    binaries: CALICO_BINARIES,
    // The Tigera operator (Calico's recommended install) runs calico-node in calico-system (docs.tigera.io, "Install Calico").
    daemonSet: { name: 'calico-node', namespace: 'calico-system', image: 'docker.io/calico/node:v3.29.1', containerName: 'calico-node' },
    fabric: 'l2',
  };
}

export const calicoPlugin: CniPlugin = make('calico');
export const calicoIpipPlugin: CniPlugin = make('calico-ipip');
export const calicoVxlanPlugin: CniPlugin = make('calico-vxlan');
