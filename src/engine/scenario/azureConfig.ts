/**
 * The Cluster document on Azure (spec.cni azure-cni / azure-cni-overlay): AKS's defaults and the
 * checks AKS's resource provider runs before it creates a cluster, refused with its words.
 * - Defaults (az aks create with a managed VNet): VNet aks-vnet-<id> 10.224.0.0/12, node subnet
 *   aks-subnet 10.224.0.0/16, Service CIDR 10.0.0.0/16 (DNS 10.0.0.10), overlay pod CIDR
 *   10.244.0.0/16 with a /24 per node; max pods 30 per node with Azure CNI (node subnet) and 250
 *   with the overlay (AKS docs "Configure Azure CNI networking", "Azure CNI Overlay networking").
 * - InsufficientSubnetSize: the node subnet must hold nodes × (max pods + 1) addresses beside the
 *   five Azure reserves: `Pre-allocated IPs 1280 exceeds IPs available 1024 in Subnet Cidr
 *   10.240.100.0/22, Subnet Name networkProfile.podCIDR. … http://aka.ms/aks/insufficientsubnetsize`
 *   (Azure/AKS#3653, Azure/AKS-Construction#701; 10 nodes × 31 = 310 in Azure/AKS#456).
 * - NetworkProfileCIDROverlapVNET: the overlay pod CIDR may not overlap the VNet: `NetworkProfile
 *   CIDR 10.240.100.0/24 overlaps with reserved VNET CIDR 10.240.0.0/16` (Azure/AKS-Construction#403).
 */
import { Cidr } from '../addressing/ipv4';
import type { ClusterConfig, CniMode } from '../model/cluster';
import { AKS_SUBNET_NAME } from '../addressing/ipam/azure';
import type { ObjectPlace, Problems } from './problems';
import type { NodeDecl } from './types';

/** The VNet AKS creates for a cluster without its own (aks-vnet-<8 digits>). */
export const AKS_VNET_NAME = 'aks-vnet-31245765';

export const isAzure = (cni: CniMode) => cni === 'azure-cni' || cni === 'azure-cni-overlay';

export const AKS_DEFAULTS = {
  vnetCIDR: Cidr.parse('10.224.0.0/12')!,
  nodeNetwork: Cidr.parse('10.224.0.0/16')!,
  serviceCIDR: Cidr.parse('10.0.0.0/16')!,
} as const;

/** AKS's default --max-pods: 30 for Azure CNI on the node subnet, 250 for the overlay. */
export function aksMaxPods(cni: CniMode): number | undefined {
  return cni === 'azure-cni' ? 30 : cni === 'azure-cni-overlay' ? 250 : undefined;
}

export const AZURE_NETWORK_POLICIES = ['none', 'azure', 'calico'] as const;

/** Fills AKS's defaults for what the document left out (`explicit` names what it set). */
export function applyAksDefaults(config: ClusterConfig, explicit: Set<string>): void {
  if (!isAzure(config.cni)) return;
  if (!explicit.has('nodeNetwork')) config.nodeNetwork = AKS_DEFAULTS.nodeNetwork;
  if (!explicit.has('serviceCIDR')) config.serviceCIDR = AKS_DEFAULTS.serviceCIDR;
  if (!config.vnetCIDR) config.vnetCIDR = config.nodeNetwork.overlaps(AKS_DEFAULTS.vnetCIDR) ? AKS_DEFAULTS.vnetCIDR : config.nodeNetwork;
}

/** AKS's pre-flight checks of the address plan (see the module comment). */
export function checkAzure(config: ClusterConfig, nodes: NodeDecl[], problems: Problems, place: ObjectPlace): void {
  if (!isAzure(config.cni)) return;
  const subnet = config.nodeNetwork;
  const vnet = config.vnetCIDR ?? subnet;
  if (!vnet.containsSubnet(subnet)) {
    // Azure's NetcfgSubnetRangeOutsideVnet.
    problems.at(place, ['spec', 'nodeNetwork'], `NetcfgSubnetRangeOutsideVnet: Subnet '${AKS_SUBNET_NAME}' is not valid because its IP address range is outside the IP address range of virtual network '${AKS_VNET_NAME}'.`);
  }
  // Azure reserves .0–.3 and the broadcast address of every subnet.
  const available = Math.max(0, subnet.size - 5);
  if (config.cni === 'azure-cni') {
    const preAllocated = nodes.reduce((sum, n) => sum + n.capacityPods + 1, 0);
    if (preAllocated > available) {
      problems.at(place, ['spec', 'nodeNetwork'], `InsufficientSubnetSize: Pre-allocated IPs ${preAllocated} exceeds IPs available ${available} in Subnet Cidr ${subnet}, Subnet Name ${AKS_SUBNET_NAME}. http://aka.ms/aks/insufficientsubnetsize`);
    }
  } else {
    if (config.podCIDR.overlaps(vnet)) {
      problems.at(place, ['spec', 'podCIDR'], `NetworkProfileCIDROverlapVNET: NetworkProfile CIDR ${config.podCIDR} overlaps with reserved VNET CIDR ${vnet}`);
    }
    if (nodes.length > available) {
      problems.at(place, ['spec', 'nodeNetwork'], `InsufficientSubnetSize: Pre-allocated IPs ${nodes.length} exceeds IPs available ${available} in Subnet Cidr ${subnet}, Subnet Name ${AKS_SUBNET_NAME}. http://aka.ms/aks/insufficientsubnetsize`);
    }
  }
}
