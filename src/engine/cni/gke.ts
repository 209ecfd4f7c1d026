/**
 * GKE VPC-native clusters: pods take addresses from the node's alias IP range (a slice of the
 * subnet's secondary pod range, = the Node's spec.podCIDR), and the VPC routes each alias range
 * to its VM — no bridge, no tunnel, no per-node routes on the nodes (`fabricRoutes`: the fabric
 * hop of a cross-node trace). Two modes share the addressing (scenario/gkeRanges.ts):
 *
 * - `gke` (the legacy datapath, "Dataplane V1"): netd writes `/etc/cni/net.d/10-gke-ptp.conflist`
 *   (GoogleCloudPlatform/netd: "generate CNI Spec for PTP plugin based on PodCIDR"; the netd-config
 *   ConfigMap's cni_spec_template: `gke-pod-network`, host-local over the PodCIDR, route 0.0.0.0/0,
 *   MTU of the VPC, portmap). The ptp plugin (containernetworking plugins/main/ptp) makes a veth
 *   `veth<8 hex>` per pod, puts the range's gateway `.1/32` on the host end and a host route
 *   `<pod ip> dev veth… scope host`; in the pod eth0 `<ip>/<range>`, `default via .1`,
 *   `<range> via .1 src <ip>` and `.1 dev eth0 scope link` ("force all traffic to ARP via the
 *   gateway"). kube-proxy in iptables mode. With Calico network policy (`networkPolicy: calico`,
 *   GKE's --enable-network-policy) the CNI is Calico's (`10-calico.conflist`, host-local over the
 *   PodCIDR): `cali…` veths, proxy ARP, `<pod ip> dev cali… scope link`, pods route via 169.254.1.1,
 *   and Felix enforces NetworkPolicy.
 * - `gke-dataplane-v2`: the same ptp veths named `gke<11 hex>` with cilium-cni chained (netd's
 *   enable_cilium_plugin), anetd (GKE's Cilium agent) attaches its programs to them; node devices
 *   `cilium_net@cilium_host` with cilium_host `169.254.4.6/32 scope global`, per-pod
 *   `<pod ip> dev gke… scope link`; no kube-proxy (Services in eBPF), NetworkPolicy in eBPF.
 *
 * The node (both modes), as `ip a` / `ip route` show a GKE node: eth0 MTU 1460 with its address
 * as a /32 (`10.128.0.20/32 … dynamic eth0`), `default via <gw> dev eth0 proto dhcp src <ip>
 * metric 1024`, `<gw> dev eth0 proto dhcp scope link src <ip> metric 1024` and the metadata server
 * `169.254.169.254 via <gw> …` — everything off the node, other nodes included, goes to the VPC.
 * (Node dumps of a Dataplane V2 and a legacy GKE node; docker0 169.254.123.1/24, down, is left out.)
 *
 * Approximations: the `gke…` suffix is a hash of the container id (the real one is opaque), the
 * MACs are seeded (GCE's are 42:01 + the IP), the calico-node DaemonSet of the Calico add-on is
 * not listed, and Calico's host ends keep seeded MACs.
 */
import { Cidr, type Ipv4 } from '../addressing/ipv4';
import type { ClusterConfig, NodeRec, PodRec } from '../model/cluster';
import type { FabricRoute, Netns, Route } from '../model/netns';
import { sha256Hex } from '../util/hash';
import { addCalicoHostVeth, CALICO_GATEWAY, calicoVethName } from './calico';
import { ciliumHostPair } from './cilium';
import { baseNodeNetns, basePodNetns, hostVeth, podNetworkPods, sortRoutesKernelOrder } from './common';
import type { CniPlugin, PlumbContext } from './plugin';

/** GKE Dataplane V2's cilium_host address (a node dump: `inet 169.254.4.6/32 scope global cilium_host`). */
export const GKE_DPV2_ROUTER: Ipv4 = (169 << 24) + (254 << 16) + (4 << 8) + 6;
/** The GCE metadata server, routed via the gateway by the guest's DHCP client. */
const METADATA_SERVER: Ipv4 = (169 << 24) + (254 << 16) + (169 << 8) + 254;

/** The binaries GKE nodes carry in /home/kubernetes/bin (the CNI bin dir on COS), CNI plugins only. */
const GKE_CNI_BINARIES = ['bandwidth', 'host-local', 'loopback', 'portmap', 'ptp'];

export const calicoOnGke = (config: ClusterConfig) => config.cni === 'gke' && config.networkPolicy === 'calico';

/** The node's alias IP range: its spec.podCIDR (GKE's CloudAllocator copies the alias range there). */
export const gkeAliasRange = (node: NodeRec): Cidr | null => node.podCIDR;

/**
 * A GCE VM's addressing: eth0's address as a /32 and DHCP's routes (default and the metadata
 * server via the subnet gateway, which is a link route), so every packet off the node reaches the VPC.
 */
function gceNode(ctx: PlumbContext, node: NodeRec): Netns {
  const ns = baseNodeNetns(ctx, node);
  const gw = ctx.config.nodeNetwork.nth(1);
  const eth0 = ns.links[1];
  eth0.addrs = [{ ip: node.ip, prefix: 32, scope: 'global' }];
  const dhcp = { dev: 'eth0', proto: 'dhcp', src: node.ip, metric: 1024 } as const;
  ns.routes = [
    { type: 'unicast', dst: new Cidr(0, 0), via: gw, ...dhcp },
    { type: 'unicast', dst: Cidr.host(gw), scope: 'link', ...dhcp },
    { type: 'unicast', dst: Cidr.host(METADATA_SERVER), via: gw, ...dhcp },
  ];
  return ns;
}

/** ptp's host end: the range's gateway as a /32 on every pod's veth. */
function ptpHostVeth(pod: PodRec, node: NodeRec, tcIngress?: string) {
  const range = gkeAliasRange(node);
  return hostVeth(pod, { addrs: range ? [{ ip: range.nth(1), prefix: 32, scope: 'global' }] : [], ...(tcIngress ? { tcIngress } : {}) });
}

function buildNode(dpv2: boolean) {
  return (ctx: PlumbContext, node: NodeRec): Netns => {
    const ns = gceNode(ctx, node);
    const calico = calicoOnGke(ctx.config);
    if (dpv2) {
      ns.links[1].tcIngress = 'cil_from_netdev';
      ns.links.push(...ciliumHostPair(ctx, ns.id, GKE_DPV2_ROUTER, ctx.config.nodeMtu, 3, 'global'));
    }
    for (const pod of podNetworkPods(ctx, node.meta.name)) {
      const a = pod.attachment!;
      if (calico) {
        addCalicoHostVeth(ns, pod);
      } else {
        ns.links.push(ptpHostVeth(pod, node, dpv2 ? 'cil_from_container' : undefined));
        // ptp AddHostRoute: scope host; under Dataplane V2 the node shows the route with scope link.
        ns.routes.push({ type: 'unicast', dst: Cidr.host(a.ip), dev: a.hostIfname, scope: dpv2 ? 'link' : 'host' });
      }
    }
    sortRoutesKernelOrder(ns.routes);
    return ns;
  };
}

function buildPod(ctx: PlumbContext, pod: PodRec): Netns {
  const a = pod.attachment!;
  if (calicoOnGke(ctx.config)) {
    return basePodNetns(pod, [
      { type: 'unicast', dst: new Cidr(0, 0), via: CALICO_GATEWAY, dev: 'eth0' },
      { type: 'unicast', dst: Cidr.host(CALICO_GATEWAY), dev: 'eth0', scope: 'link' },
    ]);
  }
  const node = ctx.node(pod.nodeName);
  const range = node ? gkeAliasRange(node) : null;
  const routes: Route[] = [];
  if (range) {
    const gw = range.nth(1);
    routes.push(
      { type: 'unicast', dst: new Cidr(0, 0), via: gw, dev: 'eth0' },
      { type: 'unicast', dst: range, via: gw, dev: 'eth0', src: a.ip },
      { type: 'unicast', dst: Cidr.host(gw), dev: 'eth0', scope: 'link', src: a.ip },
    );
  }
  return basePodNetns(pod, routes);
}

/** netd's 10-gke-ptp.conflist for a node (the netd-config cni_spec_template, filled in). */
export function gkePtpConflist(podCIDR: string, mtu: number, dpv2: boolean): string {
  const cilium = dpv2 ? `,\n    {\n      "type": "cilium-cni",\n      "enable-route-mtu": true\n    }` : '';
  return `{
  "name": "gke-pod-network",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "ptp",
      "mtu": ${mtu},
      "ipam": {
          "type": "host-local",
          "ranges": [
          [{"subnet": "${podCIDR}"}]
          ],
          "routes": [
            {"dst": "0.0.0.0/0"}
          ]
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    },
    {
      "type": "bandwidth",
      "capabilities": {
        "bandwidth": true
      }
    }${cilium}
  ]
}
`;
}

/** Calico's CNI config on a GKE node with network policy enabled (host-local over the PodCIDR: `usePodCidr`). */
function calicoGkeConflist(nodeName: string, mtu: number): string {
  return `{
  "name": "k8s-pod-network",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "calico",
      "mtu": ${mtu},
      "log_level": "info",
      "datastore_type": "kubernetes",
      "nodename": "${nodeName}",
      "ipam": {
        "type": "host-local",
        "subnet": "usePodCidr"
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
      "capabilities": {"portMappings": true},
      "snat": true
    }
  ]
}
`;
}

function make(mode: 'gke' | 'gke-dataplane-v2'): CniPlugin {
  const dpv2 = mode === 'gke-dataplane-v2';
  return {
    mode,
    ipam: 'host-local',
    usesNodePodCIDR: true,
    podMtu: (config) => config.nodeMtu,
    // ptp keeps the range's prefix on eth0 (a pod dump: `inet 10.28.0.15/24`); Calico's CNI gives /32.
    podPrefix: (config) => (calicoOnGke(config) ? 32 : config.nodeCIDRMaskSize),
    hostIfname: (pod, rng, _endpointId, config) => {
      if (config && calicoOnGke(config)) return calicoVethName(pod.meta.namespace ?? 'default', pod.meta.name);
      // ptp: ip.SetupVeth → RandomVethName `veth` + 4 random bytes; Dataplane V2's veths read `gke` + 11 hex.
      return dpv2 ? 'gke' + sha256Hex(pod.containerId).slice(0, 11) : 'veth' + rng.hex(8);
    },
    buildNode: buildNode(dpv2),
    buildPod,
    nodeFiles: (ctx, node): Record<string, string> => {
      const range = gkeAliasRange(node)?.toString() ?? '';
      if (calicoOnGke(ctx.config)) return { '/etc/cni/net.d/10-calico.conflist': calicoGkeConflist(node.meta.name, ctx.config.nodeMtu) };
      return { '/etc/cni/net.d/10-gke-ptp.conflist': gkePtpConflist(range, ctx.config.nodeMtu, dpv2) };
    },
    binaries: [...GKE_CNI_BINARIES, ...(dpv2 ? ['cilium-cni'] : [])].sort(),
    daemonSet: dpv2
      ? { name: 'anetd', namespace: 'kube-system', image: 'gke.gcr.io/cilium/cilium:v1.14.12-gke.100', containerName: 'cilium-agent' }
      : { name: 'netd', namespace: 'kube-system', image: 'gke.gcr.io/netd-amd64:v0.5.0-gke.20', containerName: 'netd' },
    fabric: 'vpc',
    cloud: { provider: 'gcp', network: 'VPC' },
    // The VPC routes each node's alias IP range to its VM, for every VM of the network.
    fabricRoutes: (_ctx, node): FabricRoute[] => {
      const range = gkeAliasRange(node);
      return range ? [{ dst: range, node: node.meta.name, dev: 'eth0', kind: 'alias-range', reach: 'vpc' }] : [];
    },
  };
}

export const gkePlugin: CniPlugin = make('gke');
export const gkeDataplaneV2Plugin: CniPlugin = make('gke-dataplane-v2');
