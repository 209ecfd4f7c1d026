/**
 * kube-controller-manager's node range allocator running beside a CNI that does not use it.
 * kubeadm passes --allocate-node-cidrs=true whenever a pod subnet is configured, so every Node
 * gets spec.podCIDR even when Calico (its own /26 blocks) or Weave (its own ring) hands out the
 * pod addresses — the classic puzzle of `kubectl describe node | grep PodCIDR` disagreeing with
 * the pod IPs (kubeadm app/phases/controlplane/manifests.go getControllerManagerCommand).
 * The wrapped IPAM keeps doing the pod addresses; this only fills Node.spec.podCIDR.
 */
import type { ClusterConfig, IpamState, NodeRec } from '../../model/cluster';
import { CidrSet, outOfRangeMessage } from './cidrSet';
import { cidrNotAvailable } from './hostLocal';
import { ipFail, type IpamResult, type PodIpam } from './podIpam';

export function withNodePodCidrs(inner: PodIpam, config: ClusterConfig, state: IpamState): PodIpam {
  const cidrs = new CidrSet(config.podCIDR, config.nodeCIDRMaskSize, state.nextPodCidrIndex ?? 0);
  const claim = (node: NodeRec): IpamResult<void> | undefined => {
    if (node.podCIDR) {
      if (!cidrs.occupy(node.podCIDR)) return ipFail(`Invalid value: "${node.podCIDR.toString()}": ${outOfRangeMessage(node.podCIDR, config.podCIDR)}`, 'spec.podCIDR');
      return undefined;
    }
    const next = cidrs.allocateNext();
    if (!next) return ipFail(cidrNotAvailable(), 'spec.podCIDR');
    node.podCIDR = next;
    return undefined;
  };
  return {
    setupNode: (node, opts) => claim(node) ?? inner.setupNode(node, opts),
    ...(inner.nodeAddresses ? { nodeAddresses: (node: NodeRec) => inner.nodeAddresses!(node) } : {}),
    loadNode: (node) => {
      if (node.podCIDR) cidrs.occupy(node.podCIDR);
      inner.loadNode(node);
    },
    dropNode: (node) => {
      if (node.podCIDR) cidrs.release(node.podCIDR);
      inner.dropNode(node);
    },
    use: (node, ip) => inner.use(node, ip),
    reserve: (node, ip) => inner.reserve(node, ip),
    allocate: (node) => inner.allocate(node),
    release: (node, ip) => inner.release(node, ip),
    ...(inner.shareOf ? { shareOf: (node: string) => inner.shareOf!(node) } : {}),
    exportState: () => ({ ...inner.exportState(), nextPodCidrIndex: cidrs.nextCandidate }),
  };
}
