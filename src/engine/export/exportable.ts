/**
 * Which clusters a Linux host can build with iproute2 alone (no CNI daemon running), and, for
 * the others, why not. The answer is a sentence a teacher can read in the CLI's error.
 */
import type { Cluster, CniMode } from '../model/cluster';

/** Modes whose whole data plane is static kernel state: devices, addresses, routes, neighbours, FDB entries. */
export const EXPORTABLE_MODES: readonly CniMode[] = ['flannel', 'flannel-host-gw', 'calico', 'calico-ipip', 'calico-vxlan', 'azure-cni', 'azure-cni-overlay', 'gke'];

const WHY_NOT: Partial<Record<CniMode, string>> = {
  cilium:
    'Cilium forwards pods\' packets with eBPF programs attached to the lxc… and cilium_… devices and reads ' +
    'endpoints, services and tunnel peers from BPF maps; those programs and maps are loaded by cilium-agent ' +
    'and cannot be written as ip/iptables commands',
  'cilium-native':
    'Cilium (native routing) forwards pods\' packets with eBPF programs attached to the lxc… devices and ' +
    'BPF maps loaded by cilium-agent; they cannot be written as ip/iptables commands',
  weave:
    'Weave Net\'s fast datapath is an Open vSwitch kernel datapath (the `datapath` device and its vxlan-6784 ' +
    'port) whose flows the weave router installs at run time over the OVS netlink interface; iproute2 cannot create those flows',
  'gke-dataplane-v2':
    'GKE Dataplane V2 forwards pods\' packets with anetd\'s (Cilium\'s) eBPF programs attached to the gke… veths and ' +
    'BPF maps; they cannot be written as ip/iptables commands',
  'aws-vpc':
    'the AWS VPC CNI relies on the VPC fabric: the VPC router answers ARP for every ENI\'s secondary IPs and ' +
    'routes by IP address, not by MAC; a Linux bridge cannot stand in for that fabric',
};

/** undefined when the cluster can be exported, else the reason it cannot. */
export function whyNotExportable(cluster: Cluster): string | undefined {
  const mode = cluster.config.cni;
  if (!EXPORTABLE_MODES.includes(mode)) return WHY_NOT[mode] ?? `CNI mode ${mode} has no Linux export`;
  if (cluster.config.wireguard) {
    return 'WireGuard encryption needs per-node key pairs generated at run time and the `wg` tool to load them; the export builds only what iproute2 can';
  }
  return undefined;
}
