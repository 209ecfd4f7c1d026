/**
 * Azure CNI's two IPAMs.
 *
 * `azure-cni` (azure-vnet-ipam, "node subnet" mode): when AKS creates a node, its NIC gets the
 * node's primary IP plus `--max-pods` secondary IP configurations, all from the node subnet, so
 * node IPs and pod IPs interleave (node .4, its pods .5–.34, the next node .35 with max pods 30;
 * AKS docs "Configure Azure CNI networking": the subnet must hold nodes × (max pods + 1)
 * addresses). Azure reserves five addresses of every subnet: the network address, .1 (default
 * gateway), .2 and .3 (Azure DNS) and the broadcast address (Azure VNet FAQ), so nodes start at .4.
 * A pod takes any free address of its node's pool: azure-vnet-ipam's `requestAddress`
 * (ipam/pool.go) ranges over a Go map, so the pick is random; here the engine's seeded Rng.
 * When the pool is spent: `No available addresses` (ipam/api.go errNoAvailableAddresses).
 *
 * `azure-cni-overlay` (azure-cns, v4overlay): each node gets a /24 of the private overlay CIDR
 * (Node.spec.podCIDR, kube-controller-manager's range allocator with mask 24). CNS turns the
 * whole /24 into secondary IP configs, network and broadcast addresses included
 * (cns/kubecontroller/nodenetworkconfig/conversion_linux.go createNCRequestFromStaticNCHelper
 * iterates `primaryIPPrefix.Masked()` while it `Contains(addr)`), and hands out any free one
 * (a map again: random). Exhausted: CNS's `not enough IPs available, waiting on Azure CNS to
 * allocate more` (cns/restserver/ipam.go).
 */
import { formatIpv4, type Ipv4 } from '../ipv4';
import type { ClusterConfig, IpamState, NodeRec } from '../../model/cluster';
import type { Rng } from '../../sim/rng';
import { ipFail, ipOk, type IpamResult, type PodIpam } from './podIpam';
import { RandomScanRange } from './randomScan';
import { withNodePodCidrs } from './nodePodCidrs';

/** The first host Azure leaves to its VMs: .0–.3 are reserved (Azure VNet FAQ, "Are there any restrictions on using IP addresses within these subnets?"). */
export const AZURE_FIRST_HOST = 4;

/** The node subnet AKS creates in its managed VNet (aks-vnet-<id>/aks-subnet). */
export const AKS_SUBNET_NAME = 'aks-subnet';

/** azure-vnet-ipam's error when a node's pool is spent (ipam/api.go). */
export const AZURE_NO_IP = 'No available addresses';
/** CNS's error when the node's overlay /24 is spent (cns/restserver/ipam.go). */
export const AZURE_CNS_NO_IP = 'not enough IPs available, waiting on Azure CNS to allocate more';

/** Usable offsets of the node subnet: .4 up to the last address before broadcast. */
const subnetRange = (config: ClusterConfig) => new RandomScanRange(config.nodeNetwork.network + AZURE_FIRST_HOST, Math.max(0, config.nodeNetwork.size - AZURE_FIRST_HOST - 1));

/** Pools drawn from randomly: a node's set of free addresses, kept in address order. */
function pickRandom(free: Ipv4[], rng: Rng): Ipv4 | undefined {
  if (!free.length) return undefined;
  return free[rng.int(free.length)];
}

export class AzureVnetIpam implements PodIpam {
  /** Every address of the subnet a NIC holds (node primaries and secondary IP configs). */
  private readonly subnet: RandomScanRange;
  /** Per node: its secondary IPs, and which of them a pod uses. */
  private readonly pools = new Map<string, { ips: Ipv4[]; used: Set<Ipv4> }>();

  constructor(
    private readonly config: ClusterConfig,
    private readonly rng: Rng,
  ) {
    this.subnet = subnetRange(config);
  }

  /** All nodes' primary IPs are known before any node's NIC gets its secondary IPs. */
  claimNodeIps(ips: Ipv4[]): void {
    for (const ip of ips) this.subnet.take(ip);
  }

  private poolOf(node: NodeRec) {
    let p = this.pools.get(node.meta.name);
    if (!p) {
      p = { ips: [...(node.secondaryIps ?? [])], used: new Set() };
      this.pools.set(node.meta.name, p);
    }
    return p;
  }

  /**
   * The NIC's secondary IP configurations: the next `capacityPods` free addresses after the
   * node's own (Azure assigns dynamic IP configurations from the subnet in order), wrapping to .4.
   */
  setupNode(node: NodeRec): IpamResult<void> {
    this.subnet.take(node.ip);
    node.podCIDR = null;
    const net = this.config.nodeNetwork;
    const ips: Ipv4[] = [];
    const first = net.network + AZURE_FIRST_HOST;
    const last = net.broadcast - 1;
    const span = last - first + 1;
    const start = node.ip >= first && node.ip <= last ? node.ip - first + 1 : 0;
    for (let i = 0; i < span && ips.length < node.capacityPods; i++) {
      const ip = first + ((start + i) % span);
      if (this.subnet.take(ip)) ips.push(ip);
    }
    ips.sort((a, b) => a - b);
    node.secondaryIps = ips;
    this.pools.set(node.meta.name, { ips: [...ips], used: new Set() });
    if (ips.length < node.capacityPods) {
      // What AKS's pre-flight check refuses (clusterConfig checkAzureSubnet); reached only by nodes added later.
      // Azure's words (NRP, quoted in Azure/AKS-Construction#403): `Subnet aks-sn with address prefix 10.240.0.0/29 does not have enough capacity for 1 IP addresses.`
      return ipFail(`Subnet ${AKS_SUBNET_NAME} with address prefix ${net.toString()} does not have enough capacity for ${node.capacityPods + 1} IP addresses.`, 'status.addresses');
    }
    return ipOk(undefined);
  }

  loadNode(node: NodeRec): void {
    this.subnet.take(node.ip);
    for (const ip of node.secondaryIps ?? []) this.subnet.take(ip);
    this.poolOf(node);
  }

  dropNode(node: NodeRec): void {
    this.subnet.release(node.ip);
    for (const ip of this.pools.get(node.meta.name)?.ips ?? node.secondaryIps ?? []) this.subnet.release(ip);
    this.pools.delete(node.meta.name);
  }

  use(node: NodeRec, ip: Ipv4): void {
    this.poolOf(node).used.add(ip);
  }

  /** A recorded pod IP: an address of the subnet that its node's NIC holds (added to it when a dump's node did not say). */
  reserve(node: NodeRec, ip: Ipv4): IpamResult<void> {
    const text = formatIpv4(ip);
    const net = this.config.nodeNetwork;
    if (!net.contains(ip) || this.subnet.offsetOf(ip) === null) {
      return ipFail(`Invalid value: "${text}": is not in the node's range: not an assignable address of the node subnet ${net.toString()} (node ${node.meta.name})`);
    }
    const pool = this.poolOf(node);
    if (pool.used.has(ip)) return ipFail(`Invalid value: "${text}": address ${text} is already in use in subnet ${net.toString()}`);
    if (!pool.ips.includes(ip)) {
      if (!this.subnet.take(ip)) return ipFail(`Invalid value: "${text}": address ${text} is already in use in subnet ${net.toString()}`);
      pool.ips.push(ip);
      pool.ips.sort((a, b) => a - b);
      node.secondaryIps = [...pool.ips];
    }
    pool.used.add(ip);
    return ipOk(undefined);
  }

  allocate(node: NodeRec): IpamResult {
    const pool = this.poolOf(node);
    const ip = pickRandom(
      pool.ips.filter((a) => !pool.used.has(a)),
      this.rng,
    );
    if (ip === undefined) return ipFail(AZURE_NO_IP);
    pool.used.add(ip);
    return ipOk(ip);
  }

  release(node: NodeRec, ip: Ipv4): void {
    this.poolOf(node).used.delete(ip);
  }

  exportState() {
    return { lastReserved: {}, blockFree: {} };
  }
}

/** CNS in overlay mode: any free address of the node's /24 (all 256 of them). */
class AzureOverlayIpam implements PodIpam {
  private readonly ranges = new Map<string, RandomScanRange>();

  constructor(private readonly rng: Rng) {}

  private rangeOf(node: NodeRec): RandomScanRange | undefined {
    let r = this.ranges.get(node.meta.name);
    if (!r && node.podCIDR) {
      r = new RandomScanRange(node.podCIDR.network, node.podCIDR.size);
      this.ranges.set(node.meta.name, r);
    }
    return r;
  }

  setupNode(node: NodeRec): IpamResult<void> {
    this.rangeOf(node);
    return ipOk(undefined);
  }

  loadNode(node: NodeRec): void {
    this.rangeOf(node);
  }

  dropNode(node: NodeRec): void {
    this.ranges.delete(node.meta.name);
  }

  use(node: NodeRec, ip: Ipv4): void {
    this.rangeOf(node)?.take(ip);
  }

  reserve(node: NodeRec, ip: Ipv4): IpamResult<void> {
    const text = formatIpv4(ip);
    const r = this.rangeOf(node);
    if (!r || r.offsetOf(ip) === null) return ipFail(`Invalid value: "${text}": is not in the node's range ${node.podCIDR?.toString() ?? '(none)'} (node ${node.meta.name})`);
    if (!r.take(ip)) return ipFail(`Invalid value: "${text}": address ${text} is already in use in ${node.podCIDR!.toString()}`);
    return ipOk(undefined);
  }

  allocate(node: NodeRec): IpamResult {
    const ip = this.rangeOf(node)?.next(this.rng) ?? null;
    return ip === null ? ipFail(AZURE_CNS_NO_IP) : ipOk(ip);
  }

  release(node: NodeRec, ip: Ipv4): void {
    this.rangeOf(node)?.release(ip);
  }

  exportState() {
    return { lastReserved: {}, blockFree: {} };
  }
}

/** The overlay IPAM with Node.spec.podCIDR handed out by the range allocator (/24 per node). */
export function azureOverlayIpam(config: ClusterConfig, state: IpamState, rng: Rng): PodIpam {
  return withNodePodCidrs(new AzureOverlayIpam(rng), config, state);
}
