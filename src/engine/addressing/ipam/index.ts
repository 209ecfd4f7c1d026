/** The IPAM module a plugin uses (CniPlugin.ipam), built over a cluster's config and allocator state. */
import type { ClusterConfig, IpamState } from '../../model/cluster';
import type { CniPlugin } from '../../cni/plugin';
import type { Rng } from '../../sim/rng';
import { AwsVpcIpam } from './awsVpc';
import { AzureVnetIpam, azureOverlayIpam } from './azure';
import { CalicoIpam } from './calicoIpam';
import { CiliumPoolIpam } from './ciliumPool';
import { HostLocalIpam } from './hostLocal';
import type { PodIpam } from './podIpam';
import { withNodePodCidrs } from './nodePodCidrs';
import { WeaveIpam } from './weaveIpam';

export type { PodIpam, IpamResult } from './podIpam';
export { EndpointIds } from './ciliumPool';
export { NodeIpAllocator } from './nodeIps';

export function emptyIpamState(): IpamState {
  return { lastReserved: {}, blockFree: {}, nextIfindex: {}, nextEndpointId: 1 };
}

export function createIpam(plugin: CniPlugin, config: ClusterConfig, state: IpamState, rng: Rng): PodIpam {
  switch (plugin.ipam) {
    case 'host-local':
      return new HostLocalIpam(config, state);
    case 'calico-ipam':
      return withNodePodCidrs(
        new CalicoIpam(config, state, {
          tunnel: plugin.mode === 'calico-ipip' ? 'ipip' : plugin.mode === 'calico-vxlan' ? 'vxlan' : false,
          wireguard: config.wireguard,
        }),
        config,
        state,
      );
    case 'cilium-cluster-pool':
      return new CiliumPoolIpam(config, state, rng);
    case 'aws-vpc':
      return new AwsVpcIpam(config, rng);
    case 'weave':
      return withNodePodCidrs(new WeaveIpam(config), config, state);
    case 'azure-vnet':
      return new AzureVnetIpam(config, rng);
    case 'azure-cns-overlay':
      return azureOverlayIpam(config, state, rng);
  }
}
