/**
 * What a CNI plugin contributes to the simulation. Each mode (flannel, calico, cilium, ...)
 * is one `CniPlugin`: the facts its IPAM and naming follow, and two pure builders that turn
 * the cluster state into the Linux state the real plugin programs on a node and in a pod.
 * Builders read only the cluster (never the wall clock or an unseeded random source).
 */
import type { Ipv4 } from '../addressing/ipv4';
import type { Cluster, ClusterConfig, CniMode, NodeRec, PodRec } from '../model/cluster';
import type { CloudFabric, FabricRoute, Link, Netns, Network } from '../model/netns';
import type { PacketRepr } from '../model/packet';
import type { Rng } from '../sim/rng';

export type IpamKind = 'host-local' | 'calico-ipam' | 'cilium-cluster-pool' | 'aws-vpc' | 'weave' | 'azure-vnet' | 'azure-cns-overlay';

/** Everything a builder may read, with indexes precomputed once per cluster. */
export interface PlumbContext {
  cluster: Cluster;
  config: ClusterConfig;
  plugin: CniPlugin;
  node(name: string): NodeRec | undefined;
  /** Pods scheduled on a node (pod-network and host-network), in creation order. */
  podsOn(node: string): PodRec[];
  /** Stable MAC of a device: `mac('node/worker-1', 'eth0')`. */
  mac(netns: string, dev: string): string;
}

/**
 * What an eBPF program (or an OVS flow table, for weave) decides for a packet arriving on a link.
 * A plugin attaches programs by name (`Link.tcIngress`); the code is looked up in
 * dataplane/bpfPrograms.ts, so the plugin modules stay free of datapath code.
 */
export type BpfVerdict =
  | { kind: 'pass'; detail: string }
  | { kind: 'drop'; detail: string }
  /** Transmit out of `dev` in the same namespace (bpf_redirect); `tunnelRemote` sets the tunnel key for collect-metadata devices. */
  | { kind: 'redirect'; dev: string; detail: string; tunnelRemote?: Ipv4; packet?: PacketRepr; /** Tunnel key (VNI) for collect-metadata devices: Cilium puts the source security identity there, weave its ODP tunnel id. */ tunnelVni?: number }
  /** Deliver into a peer namespace's device directly (bpf_redirect_peer). */
  | { kind: 'redirect-peer'; dev: string; detail: string; packet?: PacketRepr };

export interface BpfContext {
  cluster: Cluster;
  network: Network;
  netns: Netns;
  link: Link;
  packet: PacketRepr;
}

export type BpfProgram = (ctx: BpfContext) => BpfVerdict;

/** The DaemonSet the plugin runs on every node (kube-flannel-ds, calico-node, cilium, weave-net, aws-node). */
export interface CniDaemonSet {
  name: string;
  namespace: string;
  image: string;
  containerName: string;
}

export interface CniPlugin {
  mode: CniMode;
  ipam: IpamKind;
  /** True when pod IPs come from the node's spec.podCIDR (host-local); Calico, Cilium, weave and AWS ignore it. */
  usesNodePodCIDR: boolean;
  /** Pod eth0 / host veth MTU for this config (node MTU minus encapsulation and WireGuard overhead). */
  podMtu(config: ClusterConfig): number;
  /** Prefix length of the pod's eth0 address. */
  podPrefix(config: ClusterConfig): number;
  /** Name of the host end of the pod's interface. `rng` is for plugins that really use random names (`veth` + 8 hex). */
  hostIfname(pod: PodRec, rng: Rng, endpointId?: number, config?: ClusterConfig): string;
  /** MAC of the host end, when the plugin fixes it (Calico: ee:ee:ee:ee:ee:ee). */
  fixedHostMac?: string;
  /** Builds a node's root network namespace. */
  buildNode(ctx: PlumbContext, node: NodeRec): Netns;
  /** Builds a pod's network namespace (never called for hostNetwork pods). */
  buildPod(ctx: PlumbContext, pod: PodRec): Netns;
  /** Files the plugin installs on each node: `/etc/cni/net.d/10-flannel.conflist`, `/run/flannel/subnet.env`, ... */
  nodeFiles(ctx: PlumbContext, node: NodeRec): Record<string, string>;
  /** `ls /opt/cni/bin/` on a node. */
  binaries: string[];
  daemonSet: CniDaemonSet;
  /**
   * How nodes get their InternalIPs when the scenario does not say: from `.firstHost` of the node
   * network (default .10), and with `holdsPodIps` the node's NIC keeps its max-pods addresses
   * right after its own (azure-cni's pre-allocated secondary IPs).
   */
  nodeAddressing?: { firstHost: number; holdsPodIps: boolean };
  /** The L2 fabric of the node network: `l2` everywhere but the cloud modes (`vpc`). */
  fabric: 'l2' | 'vpc';
  /** The cloud whose network fabric the nodes sit on (`fabric: 'vpc'` only). */
  cloud?: CloudFabric;
  /**
   * What the cloud fabric routes to this node besides its primary address: the pod IPs it holds
   * as secondary IPs (AWS, Azure CNI), its alias IP range (GKE), its overlay range (Azure CNI
   * Overlay). cni/network.ts joins every node's into the fabric's route table (`fabricRoute`),
   * which the forwarder's wire hop and the external VM use. `fabric: 'vpc'` plugins only.
   */
  fabricRoutes?(ctx: PlumbContext, node: NodeRec): FabricRoute[];
}
