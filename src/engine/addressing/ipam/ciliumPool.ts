/**
 * Cilium's cluster-pool IPAM. The operator gives every node a CIDR of
 * clusterPoolIPv4MaskSize (config.nodeCIDRMaskSize) from the pool (config.podCIDR) with the
 * same cidrset code kube-controller-manager uses (cilium pkg/ipam/cidrset), recorded in
 * CiliumNode spec.ipam.podCIDRs, here NodeRec.blocks[0] (spec.podCIDR stays unset: cluster-pool
 * does not use it). The agent allocates from it with pkg/ipam/service/ipallocator, whose bitmap
 * uses the random scan strategy (randomScan.ts): the router IP (cilium_host, CiliumInternalIP)
 * first, at agent start, then one address per endpoint. That is why Cilium pod IPs look
 * scattered (10.0.1.187, 10.0.1.23, ...).
 */
import { Cidr, formatIpv4, type Ipv4 } from '../ipv4';
import type { ClusterConfig, IpamState, NodeRec } from '../../model/cluster';
import type { Rng } from '../../sim/rng';
import { CidrSet, NO_CIDRS_REMAINING } from './cidrSet';
import { ipFail, ipOk, type IpamResult, type PodIpam } from './podIpam';
import { RandomScanRange } from './randomScan';

/** ipallocator ErrFull, as cilium-cni reports an exhausted node CIDR. */
export const CILIUM_RANGE_FULL = 'unable to allocate IP via local cilium agent: range is full';

export function nodeRange(cidr: Cidr): RandomScanRange {
  // NewCIDRRange: base = network + 1, max = size − 2 (no network, no broadcast).
  return new RandomScanRange(cidr.network + 1, Math.max(0, cidr.size - 2));
}

export class CiliumPoolIpam implements PodIpam {
  private readonly cidrs: CidrSet;
  private readonly ranges = new Map<string, RandomScanRange>();

  constructor(
    config: ClusterConfig,
    state: IpamState,
    private readonly rng: Rng,
  ) {
    this.cidrs = new CidrSet(config.podCIDR, config.nodeCIDRMaskSize, state.nextPodCidrIndex ?? 0);
  }

  private rangeOf(node: NodeRec): RandomScanRange | undefined {
    let r = this.ranges.get(node.meta.name);
    if (!r && node.blocks[0]) {
      r = nodeRange(node.blocks[0]);
      this.ranges.set(node.meta.name, r);
    }
    return r;
  }

  setupNode(node: NodeRec): IpamResult<void> {
    const cidr = this.cidrs.allocateNext();
    // The operator's error when the pool is exhausted carries the cidrset wording.
    if (!cidr) return ipFail(`unable to allocate pod CIDR for node: ${NO_CIDRS_REMAINING}`, 'spec.ipam.podCIDRs');
    node.blocks = [cidr];
    node.podCIDR = null;
    const router = this.rangeOf(node)!.next(this.rng);
    if (router === null) return ipFail(CILIUM_RANGE_FULL);
    node.routerIp = router;
    return ipOk(undefined);
  }

  loadNode(node: NodeRec): void {
    const cidr = node.blocks[0];
    if (!cidr) return;
    this.cidrs.occupy(cidr);
    if (node.routerIp !== undefined) this.rangeOf(node)!.take(node.routerIp);
  }

  dropNode(node: NodeRec): void {
    if (node.blocks[0]) this.cidrs.release(node.blocks[0]);
    this.ranges.delete(node.meta.name);
  }

  use(node: NodeRec, ip: Ipv4): void {
    this.rangeOf(node)?.take(ip);
  }

  reserve(node: NodeRec, ip: Ipv4): IpamResult<void> {
    const r = this.rangeOf(node);
    const text = formatIpv4(ip);
    if (!r || r.offsetOf(ip) === null) {
      return ipFail(`Invalid value: "${text}": is not in the node's range ${node.blocks[0]?.toString() ?? '(none)'} (node ${node.meta.name})`);
    }
    if (!r.take(ip)) return ipFail(`Invalid value: "${text}": provided IP is already allocated`);
    return ipOk(undefined);
  }

  allocate(node: NodeRec): IpamResult {
    const r = this.rangeOf(node);
    const ip = r?.next(this.rng) ?? null;
    return ip === null ? ipFail(CILIUM_RANGE_FULL) : ipOk(ip);
  }

  release(node: NodeRec, ip: Ipv4): void {
    this.rangeOf(node)?.release(ip);
  }

  exportState() {
    return { lastReserved: {}, blockFree: {}, nextPodCidrIndex: this.cidrs.nextCandidate };
  }
}

/**
 * Cilium endpoint ids: per agent, a random free id in 1..4095 (pkg/endpointmanager/idallocator:
 * idpool.NewIDPool(1, 4095), "Allocate returns a new random ID from the pool").
 */
export class EndpointIds {
  private readonly used = new Map<string, Set<number>>();

  constructor(private readonly rng: Rng) {}

  private on(node: string): Set<number> {
    let s = this.used.get(node);
    if (!s) this.used.set(node, (s = new Set()));
    return s;
  }

  use(node: string, id: number): void {
    this.on(node).add(id);
  }

  /** An endpoint deleted: its id is free again (idpool Release). */
  release(node: string, id: number): void {
    this.used.get(node)?.delete(id);
  }

  next(node: string): number {
    const used = this.on(node);
    const start = this.rng.int(4095);
    for (let i = 0; i < 4095; i++) {
      const id = 1 + ((start + i) % 4095);
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
    return 0; // idpool.NoID: out of endpoint ids
  }
}
