/**
 * Interface indexes a pod's veth pair takes, per plugin. The kernel hands out ifindexes per
 * network namespace, counting up and not reusing freed ones soon (dev_new_index), so the host
 * end's index comes from a per-node counter (IpamState.nextIfindex) that starts after the
 * devices the plugin creates before any pod (see cni/*.ts and cni/README.md):
 * - flannel: lo 1, eth0 2, flannel.1 3, cni0 4 → first veth 5; host-gw: cni0 3 → 4;
 * - calico: tunl0 / vxlan.calico 3 (with a tunnel), wireguard.cali next → first cali veth 3–5;
 * - cilium: cilium_net 3, cilium_host 4, cilium_vxlan 5 (tunnel), cilium_wg0 6 (WireGuard);
 * - weave: datapath 3, weave 4, vethwe-datapath 5, vethwe-bridge 6, vxlan-6784 7 → 8;
 * - azure-cni*: lo, eth0 → 3, the pair made in the host (azure-container-networking
 *   network/networkutils CreateEndpoint adds the veth with both names in the host namespace,
 *   then MoveEndpointsToContainerNS moves the container end).
 * - aws-vpc, gke: lo, eth0 → 3; gke-dataplane-v2: cilium_net 3, cilium_host 4 → 5.
 * Which end gets which index depends on where the pair is created: the bridge plugin, Calico's
 * and the AWS CNI create it from inside the pod namespace with the peer placed straight into
 * the host (netlink PeerNamespace; containernetworking pkg/ip makeVethPair, calico
 * dataplane_linux.go), so eth0 is the pod namespace's second device (2; 3 under calico-ipip,
 * where the kernel's fallback tunl0 takes 2) and the host end takes one index from the node.
 * Cilium (connector SetupVeth) and weave (net/veth.go CreateAndAttachVeth) create the pair in
 * the host and move the peer in, keeping its index: the peer registers first (veth_newlink),
 * so the pod's eth0 is N and the host end N+1, two indexes from the node's counter.
 */
import type { ClusterConfig } from '../../model/cluster';
import type { CniPlugin } from '../../cni/plugin';

export interface IfindexLayout {
  /** First ifindex a pod's device takes in a node namespace. */
  firstHostIfindex: number;
  /** Pair created in the host (peer moved into the pod): eth0 = N, host end = N + 1. */
  createdInHost: boolean;
  /** eth0's index in the pod namespace when the pair is created from inside it. */
  podIfindex: number;
}

export function ifindexLayout(plugin: CniPlugin, config: ClusterConfig): IfindexLayout {
  const wg = config.wireguard ? 1 : 0;
  switch (plugin.mode) {
    case 'flannel':
      return { firstHostIfindex: 5, createdInHost: false, podIfindex: 2 };
    case 'flannel-host-gw':
      return { firstHostIfindex: 4, createdInHost: false, podIfindex: 2 };
    case 'calico':
      return { firstHostIfindex: 3 + wg, createdInHost: false, podIfindex: 2 };
    case 'calico-ipip':
      return { firstHostIfindex: 4 + wg, createdInHost: false, podIfindex: 3 };
    case 'calico-vxlan':
      return { firstHostIfindex: 4 + wg, createdInHost: false, podIfindex: 2 };
    case 'cilium':
      return { firstHostIfindex: wg ? 7 : 6, createdInHost: true, podIfindex: 0 };
    case 'cilium-native':
      // cilium.ts puts cilium_wg0 at 6 whether or not cilium_vxlan (5) exists.
      return { firstHostIfindex: wg ? 7 : 5, createdInHost: true, podIfindex: 0 };
    case 'weave':
      return { firstHostIfindex: 8, createdInHost: true, podIfindex: 0 };
    case 'aws-vpc':
    case 'gke':
      // ptp, like bridge, creates the pair from the pod namespace (ip.SetupVeth); pod eth0 2 (a GKE pod: `eth0@if19`).
      return { firstHostIfindex: 3, createdInHost: false, podIfindex: 2 };
    case 'azure-cni':
    case 'azure-cni-overlay':
      return { firstHostIfindex: 3, createdInHost: true, podIfindex: 0 };
    case 'gke-dataplane-v2':
      // cilium_net 3, cilium_host 4 before any pod.
      return { firstHostIfindex: 5, createdInHost: false, podIfindex: 2 };
  }
}
